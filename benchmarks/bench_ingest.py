"""``ingest``: passages/s of ``Index.add``, LangChain's ``FAISS.from_documents`` and the bare embedder."""

from __future__ import annotations

import argparse
import shutil
import time

from common import WORK, corpus_subset, spread


def bench_ingest(args: argparse.Namespace) -> dict:
    import warnings

    from rag.chunking import chunk_article, text_for_embedding
    from rag.embedding import E5Embedder
    from rag.index import Index
    from rag.langchain import NewsragEmbeddings

    warnings.filterwarnings("ignore")
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document

    articles = corpus_subset(args.passages)
    embedder = E5Embedder()
    # The same strings for all three: newsrag's passages as it embeds them (title + passage text).
    params = __import__("rag.chunking", fromlist=["ChunkingParams"]).ChunkingParams()
    texts = [text_for_embedding(a.title, p.text) for a in articles for p in chunk_article(a, params)]
    docs = [Document(page_content=t) for t in texts]
    lc_embeddings = NewsragEmbeddings(embedder)  # what a LangChain user plugs in
    runs: dict[str, list[float]] = {"newsrag": [], "langchain": [], "bare": []}
    copy_shares: list[float] = []

    def newsrag() -> float:
        path = WORK / "ingest-subset"
        shutil.rmtree(path, ignore_errors=True)
        with Index.create(path, embedder=embedder) as index:
            report = index.add(articles)
            copy_shares.append(index.copy_detection_seconds / report.seconds)  # copy groups + stories (rag.news.copies)
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
    rates = {name: spread(values) for name, values in runs.items()}
    result = {
        "subset": {"articles": len(articles), "passages": len(texts), "corpora": "FacQA + TyDi QA GoldP dev (Indonesian)"},
        "passages_per_s": rates,
        "newsrag_over_langchain": rates["newsrag"]["median"] / rates["langchain"]["median"],
        "newsrag_overhead_vs_bare": 1 - rates["newsrag"]["median"] / rates["bare"]["median"],
        "copy_detection_share_of_ingest": spread(copy_shares),
        "copy_detection_goal": "<= 0.05 of Index.add time (issue 12)",
    }
    if args.full:
        full = corpus_subset(None)
        path = WORK / "ingest-full"
        shutil.rmtree(path, ignore_errors=True)
        with Index.create(path, embedder=embedder) as index:
            report = index.add(full)
        result["full_corpus_newsrag"] = {
            "articles": len(full), "passages": report.passages_embedded, "seconds": report.seconds,
            "passages_per_s": report.passages_embedded / report.seconds,
        }  # fmt: skip
    return result
