"""``answer_latency``: where the total time of a local-model answer goes, question by question.

On the cross-lingual news dev set (English questions, Indonesian articles) every call of the local
model is timed and counted by what it was for: writing the answer (with its tokens), translating
the question, translating sentences (greedy and sampled retries apart), the YES/NO judge. The
answers are scored with ``rag eval``'s definitions, so a variant that is faster but worse shows it.

Each variant's rows go to benchmarks/work/answer_latency/<variant>.jsonl, a piece at a time (the
local model keeps both cores busy: run each piece under ``flock /tmp/newsrag-heavy.lock``)::

    python benchmarks/bench_answer_latency.py --variant main --start 0 --count 15
    python benchmarks/bench_answer_latency.py --summarise      # → results/answer_latency.json

Translations are cached on disk; every piece starts from an empty cache (a temporary
``NEWSRAG_CACHE_DIR``), so a re-run measures the model, not the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import DATA, RESULTS, WORK, machine_info, spread

DATASET = DATA / "dev" / "xling_en_q_id_news_facqa"
ROWS = WORK / "answer_latency"


class Meter:
    """Seconds and calls of the local model per purpose, for the question being answered."""

    def __init__(self) -> None:
        self.purpose: str | None = None  # set while the question's own translation runs
        self.reset()

    def reset(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.answer_tokens = 0
        self.model_answer = ""  # what the model wrote (a refusal sends the answer to the fallback)
        self.prompt_tokens = 0

    def add(self, purpose: str, seconds: float) -> None:
        self.seconds[purpose] += seconds
        self.calls[purpose] += 1


def _purpose(messages: list, kwargs: dict, meter: Meter) -> str:
    if meter.purpose:
        return meter.purpose
    system = str(messages[0].content) if messages else ""
    if system.startswith("Translate"):
        return "translate_retry" if kwargs.get("seed") else "translate"
    if system.startswith("You answer"):
        return "answer"
    return "other"


def instrument(meter: Meter) -> None:
    """Times every model call (the class's methods: the pipeline and the retriever hold their own adapters)."""
    from rag.llm.local import LlamaCppChat

    stream, yes = LlamaCppChat._stream, LlamaCppChat.yes_probability

    def timed_stream(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN202
        purpose, started = _purpose(messages, kwargs, meter), time.perf_counter()
        try:
            for chunk in stream(self, messages, stop, run_manager, **kwargs):
                if purpose == "answer" and chunk.text:
                    meter.answer_tokens += 1
                    meter.model_answer += chunk.text
                if purpose == "answer" and (usage := getattr(chunk.message, "usage_metadata", None)):
                    meter.prompt_tokens = usage["input_tokens"]  # reading them is most of the answer's time
                yield chunk
        finally:
            meter.add(purpose, time.perf_counter() - started)

    def timed_yes(self, prompt):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        try:
            return yes(self, prompt)
        finally:
            meter.add("judge", time.perf_counter() - started)

    LlamaCppChat._stream, LlamaCppChat.yes_probability = timed_stream, timed_yes


def run_piece(variant: str, start: int, count: int) -> None:
    from langchain_core.messages import HumanMessage

    from rag.evaluate import load_questions, score

    real_cache = Path(os.environ.get("NEWSRAG_CACHE_DIR") or Path.home() / ".cache" / "newsrag")
    cold = tempfile.mkdtemp(prefix="newsrag-latency-")
    os.environ["NEWSRAG_CACHE_DIR"] = cold  # translations (the question's and the answer's) from scratch
    from rag.assembly import make_pipeline
    from rag.config import Settings
    from rag.evaluate import eval_index

    settings = Settings.from_env().with_llm(backend="local")
    index = eval_index(DATASET, real_cache / "eval", settings.embedder)  # the index rag eval built once
    pipeline = make_pipeline(index, settings)
    meter = Meter()
    instrument(meter)
    translator = pipeline.retriever.translator
    if translator is not None:
        translate = translator.translate

        def question_translation(text: str, target: str, alternative: int = 0) -> str | None:
            meter.purpose = "question_translation"
            try:
                return translate(text, target, alternative)
            finally:
                meter.purpose = None

        translator.translate = question_translation  # type: ignore[method-assign]
    pipeline.model.complete([HumanMessage("Hi")])  # loads the model: not counted
    items = load_questions(DATASET, start + count)[start:]
    ROWS.mkdir(parents=True, exist_ok=True)
    with (ROWS / f"{variant}.jsonl").open("a", encoding="utf-8") as out:
        for item in items:
            meter.reset()
            load = os.getloadavg()[0]
            answer = pipeline.ask(item.question, retrieve_k=20)
            result = score(item, answer)
            row = {"variant": variant, "result": vars(result), "fallback": answer.fallback, "load_1min": load,
                   "model_s": dict(meter.seconds), "model_calls": dict(meter.calls), "answer_tokens": meter.answer_tokens, "model_answer": meter.model_answer,
                   "prompt_tokens": meter.prompt_tokens}  # fmt: skip
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(f"{variant} {item.id}: {result.total_s:.1f} s {dict(meter.calls)}", flush=True)


def summarise_variant(rows: list[dict]) -> dict:
    from rag.evaluate import QuestionResult, summarise
    from rag.prompting import is_refusal

    results = [QuestionResult(**r["result"]) for r in rows]
    report = summarise(DATASET.name, "local", results)
    purposes = sorted({p for r in rows for p in r["model_calls"]})
    totals = [r["result"]["total_s"] for r in rows]
    return {
        "questions": len(rows),
        "metrics": {k: report.metrics[k] for k in ("answer_accuracy", "answer_accuracy_in_language", "citation_precision", "answered_rate", "span_accuracy")},
        "first_token_s": spread([r["result"]["first_token_s"] for r in rows if r["result"]["first_token_s"] is not None]),
        "total_s": spread(totals),
        "fallback_rate": sum(r["fallback"] for r in rows) / len(rows),
        "answer_tokens": spread([float(r["answer_tokens"]) for r in rows]),
        "answer_prompt_tokens": spread([float(p) for r in rows if (p := r.get("prompt_tokens"))] or [0.0]),
        "model_refused_rate": sum(is_refusal(r.get("model_answer", "")) for r in rows) / len(rows),
        # per question, averaged: where the total goes
        "mean_seconds": {"total": statistics.mean(totals),
                         **{p: statistics.mean(r["model_s"].get(p, 0.0) for r in rows) for p in purposes}},  # fmt: skip
        "mean_calls": {p: statistics.mean(r["model_calls"].get(p, 0) for r in rows) for p in purposes},
        "load_1min": spread([r["load_1min"] for r in rows]),
    }


def summarise_all() -> dict:
    """Each variant over all its questions, and each over the questions every variant answered
    (side by side: the same questions, though not the same machine load)."""
    rows = {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()] for p in sorted(ROWS.glob("*.jsonl"))}
    common = set.intersection(*({r["result"]["id"] for r in v} for v in rows.values())) if rows else set()
    return {
        "dataset": DATASET.name,
        "variants": {name: summarise_variant(v) for name, v in rows.items()},
        "same_questions": {name: summarise_variant([r for r in v if r["result"]["id"] in common]) for name, v in rows.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", help="Name of the code measured (its rows file).")
    parser.add_argument("--start", type=int, default=0, help="First question (0-based).")
    parser.add_argument("--count", type=int, default=15, help="Questions in this piece.")
    parser.add_argument("--summarise", action="store_true", help="Write results/answer_latency.json from every variant's rows.")
    args = parser.parse_args()
    if args.summarise:
        results = {"benchmark": "answer_latency", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "command": " ".join([Path(sys.executable).name, *sys.argv]), "machine": machine_info(), **summarise_all()}  # fmt: skip
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "answer_latency.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps(results["variants"], indent=2))
        return
    if not args.variant:
        parser.error("--variant is required (or --summarise)")
    run_piece(args.variant, args.start, args.count)


if __name__ == "__main__":
    main()
