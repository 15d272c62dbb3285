"""Retrieval recall@1/5/20 and MRR@10 of hybrid retrieval for several lexical weights.

    python benchmarks/retrieval_recall.py ../shared/data/dev/xling_en_q_id_passage_squad \\
        --limit 400 --weights 0,0.3,0.5 [--translate] [--stemmed 0,1] [--per-article 1,2]

Weight 0 is dense retrieval alone. ``--translate`` adds the BM25 score of the question translated
into the corpus language by the local model (cached). Uses the same cached eval index as `rag eval`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rag.evaluate import eval_index, load_questions
from rag.retrieval import RetrievalSettings, Retriever
from rag.config import Settings
from rag.llm import DEFAULT_LOCAL_MODEL
from rag.translation import LLMTranslator, TranslationCache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--weights", default="0,0.5")
    parser.add_argument("--translate", action="store_true")
    parser.add_argument("--stemmed", default="1", help="1: also search Indonesian by root (rag.stemmed_fts), 0: not; 0,1: both")
    parser.add_argument("--per-article", default="2", help="Passages one article may hold among the hits (RetrievalSettings.per_article); 1,2: both")
    args = parser.parse_args()
    settings = Settings.from_env()
    index = eval_index(args.dataset, settings.folders.eval_cache, settings.embedder)
    items = [q for q in load_questions(args.dataset, args.limit) if not q.impossible]
    translator = None
    if args.translate:
        from rag.llm import create_chat_model

        translator = LLMTranslator(create_chat_model("local"), DEFAULT_LOCAL_MODEL, TranslationCache(settings.folders.translations))
    runs = [(float(w), s == "1", int(p)) for p in args.per_article.split(",") for s in args.stemmed.split(",") for w in args.weights.split(",")]
    for weight, stemmed, per_article in runs:
        retriever = Retriever(index, RetrievalSettings(lexical_weight=weight, stemmed=stemmed, per_article=per_article), translator)
        started, ranks = time.perf_counter(), []
        for item in items:
            hits = retriever.retrieve(item.question, k=20)
            ranks.append(next((i for i, h in enumerate(hits, 1) if h.passage.article_id in item.gold_doc_ids), None))
        n = len(ranks)
        recall = {k: sum(1 for r in ranks if r and r <= k) / n for k in (1, 5, 20)}
        mrr = sum(1 / r for r in ranks if r and r <= 10) / n
        print(f"{args.dataset.name} weight={weight} stemmed={stemmed} per_article={per_article} translate={args.translate} n={n} "
              f"r@1={recall[1]:.3f} r@5={recall[5]:.3f} r@20={recall[20]:.3f} mrr@10={mrr:.3f} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
