"""Print the PFSA-ID errors of the quote extractor with their context, for reading one by one.

    python benchmarks/quotes_pfsa_errors.py [--shared ../shared] [--only fp|speaker|missed]

False positives (predicted public-figure quotes matching no gold quote, ignored ones included,
marked), wrong speakers on matched statements, and missed gold quotes. Uses the scorer's own
matching (``../shared/tools/score_quotes.py``) so the list is exactly what it counts.
The corpus is evaluation data (CC BY-NC-SA): read from ``../shared`` at run time, never stored here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))


def _context(text: str, start: int, end: int, before: int = 220, after: int = 140) -> str:
    body = text[start:end]
    if len(body) > 160:
        body = body[:70] + " … " + body[-70:]
    return (text[max(0, start - before) : start] + "⟦" + body + "⟧" + text[end : end + after]).replace("\n", " ¶ ")


def main(argv: list[str] | None = None) -> int:
    from rag.news.quotes import extract_quotes
    from rag.types import Article

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    ap.add_argument("--split", default="id_quotes_pfsa")
    ap.add_argument("--only", choices=["fp", "speaker", "missed"])
    args = ap.parse_args(argv)
    data = args.shared / "data" / "dev" / args.split
    spec = importlib.util.spec_from_file_location("score_quotes", args.shared / "tools" / "score_quotes.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    texts, pred = {}, []
    for line in (data / "corpus.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        texts[d["id"]] = d["text"]
        article = Article(id=d["id"], title=d.get("title") or "", text=d["text"], source=d.get("source"), date=d.get("date"), lang=d.get("lang"))
        pred += [q.to_json() for q in extract_quotes(article) if q.direct and q.public_figure]
    gold = scorer.load(data / "quotes.jsonl")
    ignore = scorer.load(data / "unannotated_quotes.jsonl")
    pairs = scorer.match(gold, pred)
    mg, mp = {i for i, _ in pairs}, {j for _, j in pairs}
    regions: dict[str, list[tuple[int, int]]] = {}
    for r in ignore:
        regions.setdefault(r["article_id"], []).append((r["start"], r["end"]))
    if args.only in (None, "fp"):
        fps = [j for j in range(len(pred)) if j not in mp]
        print(f"== {len(fps)} false positives")
        for j in fps:
            q = pred[j]
            s0, s1 = q["statement_start"], q["statement_end"]
            ign = any(scorer.overlap(s0, s1, a, b) >= 0.5 * max(1, s1 - s0) for a, b in regions.get(q["article_id"], []))
            print(f"- {q['article_id']} {'[unannotated]' if ign else '[FP]'} speaker={q['speaker']!r} role={q['speaker_role']!r} mention={q['speaker_mention']!r} cue={q['cue']!r}")
            print("   ", _context(texts[q["article_id"]], s0, s1))
    if args.only in (None, "speaker"):
        wrong = [(i, j) for i, j in pairs if not scorer.speaker_match(gold[i].get("speaker"), pred[j].get("speaker"))]
        print(f"== {len(wrong)} wrong speakers of {len(pairs)} matched")
        for i, j in wrong:
            g, q = gold[i], pred[j]
            print(f"- {g['id']} gold={g['speaker']!r} ({g['link']}, mention={g['speaker_mention']!r}, cue={g['cue']!r} {g['cue_position']}) pred={q['speaker']!r} (mention={q['speaker_mention']!r}, cue={q['cue']!r})")
            print("   ", _context(texts[g["article_id"]], g["statement_start"], g["statement_end"], 400))
    if args.only in (None, "missed"):
        missed = [i for i in range(len(gold)) if i not in mg]
        print(f"== {len(missed)} missed gold quotes")
        for i in missed:
            g = gold[i]
            print(f"- {g['id']} gold={g['speaker']!r} cue={g['cue']!r}")
            print("   ", _context(texts[g["article_id"]], g["statement_start"], g["statement_end"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
