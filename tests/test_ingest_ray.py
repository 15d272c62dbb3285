"""``rag ingest --ray``: the same index as a plain ingest, bad records as Problems; Ray on a local cluster."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.batches import chunk_and_embed
from rag.chunking import ChunkingParams
from rag.embedding import HashingEmbedder
from rag.index import CommitPolicy, Index
from rag.ingest import ingest
from rag.readers import read_paths
from tests.test_batched_commits import PickyEmbedder

DATA = Path(__file__).parent / "data"
INPUTS = [DATA / "corpus", DATA / "messy"]  # messy/: malformed JSON lines, a binary file, an empty feed...


def _contents(path: Path) -> tuple[dict, dict]:
    """Articles by id, and each passage (by article and ordinal) with its text, offsets and vector."""
    with Index.open(path) as index:
        articles = {a.id: (a.content_hash, a.title, a.text) for a in index.articles()}
        ids = index.vector_index.ids()
        hits = index.hits(ids.tolist(), [0.0] * len(ids))
        vectors = index.passage_vectors([h.passage.id for h in hits])
        assert not index.check()
    passages = {(h.passage.article_id, h.passage.ordinal): (h.passage.start, h.passage.end, h.passage.text, v) for h, v in zip(hits, vectors)}
    return articles, passages


def test_chunk_and_embed_keeps_the_good_articles_when_one_fails() -> None:
    """What each Ray actor runs: an article the embedder fails on is a Problem, its neighbours are kept."""
    articles = read_paths([DATA / "corpus"]).articles[:4]
    bad = replace(articles[1], text=articles[1].text + " EXPLODE")
    window = chunk_and_embed([articles[0], bad, *articles[2:]], ChunkingParams(), PickyEmbedder())
    assert [a.id for a, _, _ in window.kept] == [articles[0].id, *(a.id for a in articles[2:])]
    assert window.failed == [bad.id]
    assert len(window.problems) == 1 and bad.id in window.problems[0].reason
    assert all(v.shape == (len(p), HashingEmbedder.dim) for _, p, v in window.kept)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from rag.ingest_ray import RaySettings

    root = tmp_path_factory.mktemp("ray")
    plain = ingest(INPUTS, root / "plain", policy=CommitPolicy(passages=10))
    # Small groups and commits: several windows from two actors, committed as several batches.
    distributed = ingest(INPUTS, root / "ray", policy=CommitPolicy(passages=10), ray=RaySettings(workers=2, group_passages=8))
    return root, plain, distributed


@pytest.mark.slow
def test_ray_ingest_builds_the_same_index_as_a_plain_one(ingested) -> None:  # noqa: ANN001
    root, plain, distributed = ingested
    assert distributed.added.new == plain.added.new > 0
    assert distributed.added.passages_embedded == plain.added.passages_embedded
    assert distributed.added.batches > 1
    articles, passages = _contents(root / "plain")
    ray_articles, ray_passages = _contents(root / "ray")
    assert ray_articles == articles
    assert ray_passages.keys() == passages.keys()
    for key, (start, end, text, vector) in passages.items():
        assert ray_passages[key][:3] == (start, end, text)
        assert np.allclose(ray_passages[key][3], vector, atol=1e-5), key


@pytest.mark.slow
def test_ray_ingest_reports_bad_records_as_problems(ingested) -> None:  # noqa: ANN001
    _, plain, distributed = ingested
    assert distributed.skipped and [str(p) for p in distributed.problems] == [str(p) for p in plain.problems]
    assert distributed.files_read == plain.files_read


@pytest.mark.slow
def test_cli_ray_ingest_again_changes_nothing(ingested) -> None:  # noqa: ANN001
    """Re-ingest through the CLI with --ray: nothing re-embedded, the partial-input exit status kept."""
    import subprocess

    root, plain, _ = ingested
    run = subprocess.run(
        [sys.executable, "-m", "rag", "ingest", *map(str, INPUTS), "--index", str(root / "ray"), "--ray", "--ray-workers", "1", "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 3, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert report["unchanged"] == plain.added.new and report["passages_embedded"] == 0
