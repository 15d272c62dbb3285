"""Index.add in batches: each batch a committed generation, one article's failure only its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.chunking import MAX_PASSAGE_CHARS, chunk_text
from rag.embedding import HashingEmbedder
from rag.hygiene import Repairs, clean_text, display_path
from rag.index import CommitPolicy, Index
from rag.readers import read_paths
from rag.types import Article


class PickyEmbedder(HashingEmbedder):
    """The hashing embedder, except that it fails (or gives NaN) on passages containing a marker."""

    def embed_passages(self, texts):  # noqa: ANN001, ANN201
        if any("EXPLODE" in t for t in texts):
            raise ValueError("model crashed on this input")
        vectors = super().embed_passages(texts)
        for i, t in enumerate(texts):
            if "NOTANUMBER" in t:
                vectors[i] = np.nan
        return vectors


class BrokenEmbedder(HashingEmbedder):
    def embed_passages(self, texts):  # noqa: ANN001, ANN201
        raise ValueError("no model")


def _index(tmp_path: Path, embedder=None) -> Index:  # noqa: ANN001
    return Index.create(tmp_path / "ix", embedder=embedder or HashingEmbedder())


def test_a_long_add_commits_in_batches(tmp_path: Path, mini_articles: list[Article]) -> None:
    with _index(tmp_path) as ix:
        start = ix.manifest.generation
        report = ix.add(mini_articles, policy=CommitPolicy(passages=5, seconds=3600))
        assert report.batches > 2 and ix.manifest.generation == start + report.batches
        assert report.new == len(mini_articles) and ix.check() == []
        again = ix.add(mini_articles, policy=CommitPolicy(passages=5))
        assert again.batches == 0 and again.unchanged == len(mini_articles) and again.passages_embedded == 0


def test_batches_by_time(tmp_path: Path, mini_articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.batches

    monkeypatch.setattr(rag.batches, "WINDOW_PASSAGES", 5)  # the clock is looked at between windows
    with _index(tmp_path) as ix:
        report = ix.add(mini_articles, policy=CommitPolicy(passages=10**9, seconds=0))
        assert report.batches >= 2 and ix.check() == []


def test_one_article_failing_to_embed_costs_only_itself(tmp_path: Path, mini_articles: list[Article]) -> None:
    bad = replace(mini_articles[0], id="bad-1", text=mini_articles[0].text + " EXPLODE")
    nan = replace(mini_articles[1], id="bad-2", text=mini_articles[1].text + " NOTANUMBER")
    with _index(tmp_path, PickyEmbedder()) as ix:
        report = ix.add([bad, *mini_articles[2:], nan])
        assert report.new == len(mini_articles) - 2
        reasons = {p.reason.split(" was skipped")[0]: p.reason for p in report.problems}
        assert len(report.problems) == 2
        assert any("could not be embedded" in r for r in reasons.values())
        assert any("not finite" in r for r in reasons.values())
        assert {a.id for a in ix.articles()} == {a.id for a in mini_articles[2:]}
        assert ix.check() == []


def test_a_broken_embedder_is_an_error_not_a_list_of_problems(tmp_path: Path, mini_articles: list[Article]) -> None:
    with _index(tmp_path, BrokenEmbedder()) as ix:
        with pytest.raises(ValueError, match="no model"):
            ix.add(mini_articles[:3])
        assert ix.articles() == [] and ix.check() == []


def test_unstorable_text_given_directly_is_that_articles_problem(tmp_path: Path, mini_articles: list[Article]) -> None:
    dirty = replace(mini_articles[0], id="dirty", title="half an emoji \ud83d")
    with _index(tmp_path) as ix:
        report = ix.add([dirty, *mini_articles[1:4]])
        assert report.new == 3 and len(report.problems) == 1 and "lone surrogates" in report.problems[0].reason
        assert ix.check() == []


def test_clean_text_and_display_path() -> None:
    repairs = Repairs()
    assert clean_text("a\ud83d b\x00c\x07 e\u0301\n\t", repairs) == "a\ufffd bc \u00e9\n\t"
    assert (repairs.surrogates, repairs.controls) == (1, 2)
    assert display_path(b"berita-\xff\xfe-rusak.txt") == "berita-\\xff\\xfe-rusak.txt"
    assert display_path("line\nbreak.txt") == "line\\x0abreak.txt"
    assert display_path("plain/ascii.txt") == "plain/ascii.txt"


def test_chunks_of_text_without_spaces_are_bounded() -> None:
    text = "x" * 50_000 + ". " + "word " * 1000
    spans = chunk_text(text)
    assert all(s.end - s.start <= MAX_PASSAGE_CHARS for s in spans)
    assert "".join(text[s.start : s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


def test_over_long_article_is_cut_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Long story\n\n" + "The council met again today. " * 10_000, encoding="utf-8")
    result = read_paths([path], max_article_chars=20_000)
    (article,) = result.articles
    assert len(article.text) <= 20_000 and article.text.endswith(".")
    (warning,) = result.problems
    assert warning.warning and "over the limit of 20,000" in warning.reason and "long.txt" in warning.path
    again = read_paths([path], max_article_chars=20_000).articles[0]
    assert again.id == article.id and again.content_hash == article.content_hash  # the same cut every time
