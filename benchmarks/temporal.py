"""Temporal-question accuracy on the demo corpus (benchmarks/temporal/README.md): the answer's cited
sources come from the gold date window and include a gold article, or the answer refuses when the
window holds nothing that answers. Extractive backend by default (no model), so it measures the
time filter, not a model's phrasing.

    python benchmarks/temporal.py --index /tmp/demo-idx [--llm extractive] [--out benchmarks/results/temporal.json]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from rag.assembly import make_pipeline
from rag.config import Settings
from rag.index import Index

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "temporal" / "questions.jsonl"


def judge(item: dict, answer) -> bool:  # noqa: ANN001
    if not item["gold"]:
        return answer.refused
    cited = answer.cited_sources()
    inside = all(item["since"] <= (s.hit.date or "")[:10] <= item["until"] for s in cited)
    return not answer.refused and bool(cited) and inside and bool({s.article_id for s in cited} & set(item["gold"]))


def top_hits(pipeline, item: dict) -> tuple[str | None, str | None, str | None]:  # noqa: ANN001
    """The best passage's article for the question as asked (no time filter: "before") and for the
    question without its time phrase, filtered to its window ("after"); and the window's first day."""
    from rag.news.temporal import question_timeframe

    retriever = pipeline.retriever
    plain = retriever.retrieve(item["question"], k=1)
    frame, rest = question_timeframe(pipeline, item["question"], "en")
    filtered = retriever.retrieve(rest, k=1, filters=frame.filters() if frame else None)
    since = frame.since.isoformat() if frame and frame.since else None
    return (plain[0].passage.article_id if plain else None), (filtered[0].passage.article_id if filtered else None), since


def names_an_event(item: dict) -> bool:
    """"since the ceasefire talks": a window that starts at an event the corpus must date."""
    from rag.news.timeframe import find_timeframe, parse_as_of

    frame, _ = find_timeframe(item["question"], parse_as_of(item["as_of"] or "2026-01-01"))
    return frame is not None and frame.event is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--llm", default="extractive")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "temporal.json")
    args = parser.parse_args()
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = Settings.from_env().with_llm(backend=args.llm)
    rows = []
    started = time.perf_counter()
    with Index.open(args.index) as index:
        pipeline = make_pipeline(index, base)
        for item in items:
            pipeline.settings = replace(pipeline.settings, as_of=item["as_of"] or "2026-01-01")
            answer = pipeline.ask(item["question"])
            ok = judge(item, answer)
            before, after, since = top_hits(pipeline, item)
            rows.append({"id": item["id"], "question": item["question"], "as_of": item["as_of"], "correct": ok, "refused": answer.refused,
                         "cited": sorted({s.article_id for s in answer.cited_sources()}), "text": answer.text[:160],
                         "top_hit_before": before, "top_hit_after": after, "window_since": since})  # fmt: skip
            print(f"{'ok  ' if ok else 'MISS'} {item['id']} {item['question']!r} → {rows[-1]['cited'] or answer.text[:70]}")
    answerable = [r for r, i in zip(rows, items) if i["gold"]]
    empty = [r for r, i in zip(rows, items) if not i["gold"]]
    events = [(r, i) for r, i in zip(rows, items) if names_an_event(i)]
    report = {
        "questions": len(rows), "accuracy": round(sum(r["correct"] for r in rows) / len(rows), 3),
        "answerable_accuracy": round(sum(r["correct"] for r in answerable) / len(answerable), 3),
        "refusal_accuracy": round(sum(r["correct"] for r in empty) / len(empty), 3),
        "top_hit_gold_before": round(sum(r["top_hit_before"] in i["gold"] for r, i in zip(rows, items) if i["gold"]) / len(answerable), 3),
        "top_hit_gold_after": round(sum(r["top_hit_after"] in i["gold"] for r, i in zip(rows, items) if i["gold"]) / len(answerable), 3),
        "event_questions": len(events),
        "event_dated": round(sum(r["window_since"] == i["since"] for r, i in events) / len(events), 3) if events else None,
        "event_undated": sum(r["window_since"] is None for r, _ in events),
        "backend": args.llm, "seconds": round(time.perf_counter() - started, 1), "results": rows,
    }  # fmt: skip
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"accuracy {report['accuracy']} ({sum(r['correct'] for r in rows)}/{len(rows)}); answerable {report['answerable_accuracy']}, "
          f"refusals {report['refusal_accuracy']}; best passage from a gold article: {report['top_hit_gold_before']} without the time "
          f"filter, {report['top_hit_gold_after']} with it; events dated right {report['event_dated']} of {len(events)} "
          f"({report['event_undated']} left undated) → {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
