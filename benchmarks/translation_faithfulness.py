"""How many evidence-sentence translations the faithfulness check accepts, and why it rejects the rest.

When the local model's own answer fails the citation checks, the answer falls back to the evidence
sentences, translated by the same model and checked (``rag.translation.unfaithful_reason``); a
rejected one is quoted in Indonesian. This takes the evidence sentences the extractive pipeline
picks for English questions over Indonesian news, translates each greedily with the local model
(as the fallback's first try does), judges it as the answer path does, and writes every pair with
its verdict, so the rejections can be read and told apart (a changed number or name: a real error;
"PBB" → "United Nations": a false rejection).

Translations are cached on disk (~/.cache/newsrag/translations.sqlite), so a rerun after a change
to the checks costs only the judge's calls. Run in pieces, which accumulate in the results file:

    flock /tmp/newsrag-heavy.lock python benchmarks/translation_faithfulness.py --offset 0 --limit 40
    flock /tmp/newsrag-heavy.lock python benchmarks/translation_faithfulness.py --offset 40 --limit 40
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from common import DATA, RESULTS, save_results

NAME = "translation_faithfulness"
DATASET = DATA / "dev" / "xling_en_q_id_news_facqa"


def evidence_sentences(pipeline, question: str) -> list[str]:  # noqa: ANN001 - a ChatPipeline
    """The foreign-language evidence sentences the pipeline would quote or translate for ``question``."""
    from rag.answer_context import in_order, is_foreign
    from rag.language import question_language
    from rag.types import Timings

    started = time.perf_counter()
    retrieval = pipeline.retriever.find(question, k=pipeline.settings.k, translate=False)
    lang = question_language(question)
    context = pipeline._prepare(question, question, retrieval, Timings(), started, lang)  # noqa: SLF001 - the evidence the answer uses
    if pipeline.refusal(context) is not None:
        return []
    return [e.text for e in in_order(context.evidence) if e.hit and is_foreign(e.hit, "en")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offset", type=int, default=0, help="First question (0-based).")
    parser.add_argument("--limit", type=int, default=40, help="Questions in this piece.")
    parser.add_argument("--fresh", action="store_true", help="Forget the pieces measured before.")
    parser.add_argument("--quick", action="store_true", help="Five questions.")
    args = parser.parse_args()
    limit = 5 if args.quick else args.limit

    from rag.assembly import make_pipeline
    from rag.config import Settings
    from rag.evaluate import eval_index, load_questions
    from rag.translation import translator_for, unfaithful_reason

    settings = Settings.from_env()
    items = load_questions(DATASET)[args.offset : args.offset + limit]
    index = eval_index(DATASET, settings.folders.eval_cache, settings.embedder)
    extractive = make_pipeline(index, replace_llm(settings, "extractive"))
    local = make_pipeline(index, replace_llm(settings, "local"))
    translator = translator_for(local.model)

    previous = RESULTS / f"{NAME}.json"
    pairs = {} if args.fresh or not previous.exists() else {
        (p["question_index"], p["original"]): p for p in json.loads(previous.read_text(encoding="utf-8"))["pairs"]}  # fmt: skip
    started = time.perf_counter()
    for position, item in enumerate(items, args.offset):
        for original in evidence_sentences(extractive, item.question):
            translation = translator.translate(original, "en") or ""
            reason = unfaithful_reason(original, translation, "en", local.checker.judge) if translation else "empty"
            pairs[(position, original)] = {"question_index": position, "question": item.question, "original": original,
                                           "translation": translation, "rejected_for": reason}  # fmt: skip
        print(f"{position + 1}/{args.offset + len(items)} questions, {time.perf_counter() - started:.0f} s", flush=True)
        write(pairs, time.perf_counter() - started, args)  # after every question: a piece cut short keeps its work


def write(pairs: dict, seconds: float, args: argparse.Namespace) -> None:
    ordered = sorted(pairs.values(), key=lambda p: p["question_index"])
    reasons = Counter(p["rejected_for"] for p in ordered if p["rejected_for"])
    save_results(NAME, {
        "dataset": DATASET.name,
        "questions_measured": len({p["question_index"] for p in ordered}),
        "sentences": len(ordered),
        "accepted": len(ordered) - sum(reasons.values()),
        "rejected": sum(reasons.values()),
        "rejected_by_reason": dict(reasons.most_common()),
        "seconds_this_piece": round(seconds, 1),
        "pairs": ordered,
    }, args)  # fmt: skip

def replace_llm(settings, backend: str):  # noqa: ANN001, ANN201 - Settings
    from dataclasses import replace

    return replace(settings, llm=replace(settings.llm, backend=backend))


if __name__ == "__main__":
    main()
