"""What copy groups cost a Milvus Lite ``add``, beside the default store: adding one article to N stored ones.

The first add of an opened store loads every stored article's fingerprint (rag.stores.milvus_copies;
the default store loads its LSH from SQLite the same way); later adds reuse it. Synthetic articles of
one month (so each has many neighbours of nearby days), the model-free ``hashing`` embedder (the
embedding is not what is measured). Writes benchmarks/results/milvus_copies_add.json.

    .venv/bin/python benchmarks/milvus_copies_add.py --articles 3000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rag.index import Index  # noqa: E402
from rag.readers.article import make_article  # noqa: E402
from rag.stores.milvus import MilvusStore  # noqa: E402

RESULTS = Path(__file__).parent / "results"
WORDS = "harbour bridge council harvest election ferry library snow road market price rain".split()


def articles(n: int, seed: int = 3) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(10))
        out.append(make_article(text=text, origin="synthetic", title=f"Story {i}", source="Wire", lang="en", date=f"2024-03-{1 + i % 28:02}",
                                explicit_id=f"a{i}"))  # fmt: skip
    return out


def probe(i: int):  # noqa: ANN201
    return make_article(text=f"Probe {i}: the harbour council met about the ferry and the snow road price.", origin="synthetic",
                        title=f"Probe {i}", source="Probe", lang="en", date="2024-03-05", explicit_id=f"probe{i}")  # fmt: skip


def measure(store_cls, location: str, corpus: list) -> dict:  # noqa: ANN001
    store = store_cls.create(location, embedder="hashing")
    started = time.perf_counter()
    store.add(corpus)
    ingest_s = time.perf_counter() - started
    store.close()
    store = store_cls.open(location)  # a new process's store: nothing of the copy state loaded yet
    adds = []
    for i in range(3):
        started = time.perf_counter()
        store.add([probe(i)])
        adds.append(time.perf_counter() - started)
    store.close()
    return {"ingest_s": ingest_s, "first_add_s": adds[0], "later_add_s": sorted(adds[1:])[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args()
    corpus = articles(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "articles": args.articles,
            "milvus_lite": measure(MilvusStore, str(Path(tmp) / "news.db"), corpus),
            "default_store": measure(Index, str(Path(tmp) / "index"), corpus),
            "command": f"benchmarks/milvus_copies_add.py --articles {args.articles}",
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "milvus_copies_add.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
