"""``coldstart``: process start to the first result of ``rag search`` and ``rag ask --llm extractive``."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import ROOT, WORK, spread


# -- cold start ------------------------------------------------------------------------------


def bench_coldstart(args: argparse.Namespace) -> dict:
    from rag.index import Index

    demo = WORK / "demo-index"
    if not Index.exists(demo):
        subprocess.run([sys.executable, "-m", "rag", "ingest", str(ROOT / "data" / "demo" / "corpus.jsonl"), "--index", str(demo)], check=True)
    commands = {
        "rag search": ["search", "Blinken Rafah", "--index", str(demo)],
        "rag ask --llm extractive": ["ask", "What did Blinken say in Cairo?", "--llm", "extractive", "--translate", "off", "--index", str(demo)],
        "import rag.cli only": None,
    }
    out = {}
    for name, argv in commands.items():
        times = []
        for _ in range(args.repeats):
            cmd = [sys.executable, "-c", "import rag.cli"] if argv is None else [sys.executable, "-m", "rag", *argv]
            started = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        out.setdefault("commands", {})[name] = spread(times)
        print(f"coldstart {name}: {statistics.median(times):.2f} s", flush=True)
    # What `rag ask` does up to its first retrieval result (the Retrieved event), in a fresh process.
    child = (
        "import time, sys; from rag.config import Settings; from rag.assembly import make_pipeline; from rag.chat import Retrieved; "
        "from rag.index import Index; ix = Index.open(sys.argv[1]); "
        "p = make_pipeline(ix, Settings.from_env().with_llm(backend='extractive', translate='off')); "
        "next(e for e in p.stream('What did Blinken say in Cairo?') if isinstance(e, Retrieved)); print(time.time())"
    )
    times = []
    for _ in range(args.repeats):
        started = time.time()
        done = float(subprocess.run([sys.executable, "-c", child, str(demo)], check=True, capture_output=True, text=True).stdout.split()[-1])
        times.append(done - started)
    out["commands"]["rag ask --llm extractive: until sources are retrieved"] = spread(times)
    print(f"coldstart ask until retrieved: {statistics.median(times):.2f} s", flush=True)
    trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "rag", *commands["rag search"]], capture_output=True, text=True).stderr
    heavy = []
    for line in trace.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):  # top level only
            heavy.append((int(parts[1]), parts[2].strip()))
    out["largest_imports_us"] = [{"module": m, "cumulative_us": us} for us, m in sorted(heavy, reverse=True)][:12]
    return out
