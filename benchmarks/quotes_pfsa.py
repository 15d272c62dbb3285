"""Quote attribution on the PFSA-ID dev split, scored by ``../shared/tools/score_quotes.py``.

    python benchmarks/quotes_pfsa.py [--shared ../shared] [--out benchmarks/results/quotes_pfsa.txt]

Predictions are what ``rag quotes --export --jsonl --direct --public-figures`` exports for the same
articles: the gold set annotates only direct quotations of public figures (people introduced with a
role), so indirect statements and quotes of people of the public are left out of the predictions.
The corpus is evaluation data (CC BY-NC-SA): read from ``../shared`` at run time, never stored here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))


def main(argv: list[str] | None = None) -> int:
    from rag.news.quotes import extract_quotes
    from rag.types import Article

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    ap.add_argument("--split", default="id_quotes_pfsa")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "quotes_pfsa.txt")
    args = ap.parse_args(argv)
    data = args.shared / "data" / "dev" / args.split
    scorer = args.shared / "tools" / "score_quotes.py"
    if not (data / "corpus.jsonl").is_file() or not scorer.is_file():
        print(f"need {data}/corpus.jsonl and {scorer}: pass --shared.", file=sys.stderr)
        return 2
    started, n_articles, n_all = time.perf_counter(), 0, 0
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as pred:
        for line in (data / "corpus.jsonl").open(encoding="utf-8"):
            d = json.loads(line)
            article = Article(id=d["id"], title=d.get("title") or "", text=d["text"], source=d.get("source"), date=d.get("date"), lang=d.get("lang"))
            found = extract_quotes(article)
            n_articles, n_all = n_articles + 1, n_all + len(found)
            for q in found:
                if q.direct and q.public_figure:
                    pred.write(json.dumps(q.to_json(), ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    tables = []
    for extra in ([], ["--ignore", str(data / "unannotated_quotes.jsonl")]):
        out = subprocess.run([sys.executable, str(scorer), str(data / "quotes.jsonl"), pred.name, *extra], capture_output=True, text=True, check=True)
        tables.append(("lenient (unannotated quotes ignored)" if extra else "strict") + "\n" + out.stdout)
    report = (f"PFSA-ID {args.split}: {n_articles} articles, {n_all} statements extracted (all kinds) in {seconds:.2f} s "
              f"({1000 * seconds / max(1, n_articles):.1f} ms per article)\n\n" + "\n".join(tables))  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    Path(pred.name).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
