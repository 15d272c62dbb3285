"""``ttft``: time to first token of the local model with the prompt ``rag ask`` builds, and with whole passages."""

from __future__ import annotations

import argparse

from common import DATA, spread


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
        pipeline.sentence_vectors.clear()

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
            "first_token_s": spread(ttft) if ttft else None,
            "total_s": spread([r.total_s for r in rows]),
            "retrieval_s": spread([r.retrieval_s for r in rows]),
            "sources_chars": spread([float(c) for c in prompt_chars[variant]]) if prompt_chars[variant] else None,
            "metrics": report.metrics,
        }
    return {"dataset": dataset.name, "translate": "off", "model": str(getattr(pipeline.llm, "model_path", "")), "variants": results}
