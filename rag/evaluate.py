"""``rag eval``: retrieval and answer quality on a ``corpus.jsonl`` + ``qa.jsonl`` folder.

Metrics (deterministic: the same index, questions and backend give the same numbers):

- recall@1/5/20 and MRR@10: a gold passage (``gold_doc_ids``) among the top-k retrieved;
- answer-bearing recall@5: a gold passage *or one containing a gold answer string* among the top 5
  (FacQA splits articles into 1–3-sentence passages, so a sibling passage often holds the answer);
- answer accuracy: a gold answer string (``answers``, plus ``answers_id`` on cross-lingual sets)
  occurs in the answer, case-insensitive — over answerable questions;
- answer accuracy in the asker's language: the answer is in the question's language (its own words,
  quotations of a source left out) and contains a gold answer *in that language* (``answers``, which
  are in the question's language; an Indonesian "90 menit" does not answer an English question);
- span accuracy: the code-chosen answer span (``Answer.span``) contains a gold answer in the
  question's language — over answerable questions (how often the answer's lead is right);
- citation precision: share of citations whose passage is gold or contains a gold answer string;
- citation recall: share of answered, answerable questions with at least one gold citation;
- refusal rate on unanswerable questions (``is_impossible``) beside the answered rate on answerable ones;
- latency p50/p95: retrieval, time to first token (model backends), end to end.
"""

from __future__ import annotations

import hashlib
import json
import re
import os
import shutil
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rag.chat import ChatPipeline
from rag.errors import ConfigError
from rag.index import Index, ProgressFn
from rag.readers import read_paths
from rag.types import Answer


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    answers: tuple[str, ...]
    gold_doc_ids: frozenset[str]
    impossible: bool
    lang: str | None = None
    """The question's language, when the set says (else detected)."""
    answers_asked: tuple[str, ...] = ()
    """The gold answers in the question's language (``answers``; ``answers_id`` are the documents')."""


def load_questions(folder: Path, limit: int | None = None) -> list[QAItem]:
    path = folder / "qa.jsonl"
    if not path.is_file() or not (folder / "corpus.jsonl").is_file():
        raise ConfigError(f"{folder} is not an eval set: it needs corpus.jsonl and qa.jsonl (see the data README).")
    items = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                answers = tuple(dict.fromkeys([*d.get("answers", []), *d.get("answers_id", [])]))
                items.append(QAItem(d["id"], d["question"], answers, frozenset(d["gold_doc_ids"]), bool(d.get("is_impossible")),
                                    d.get("lang"), tuple(d.get("answers", []))))  # fmt: skip
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise ConfigError(f"{path}, line {number}: not a question record ({e}).") from e
            if limit and len(items) >= limit:
                break
    return items


def eval_index(folder: Path, cache: Path, embedder: str, on_progress: ProgressFn | None = None) -> Index:
    """An index of the set's corpus, built once per (corpus content, embedder) and reused."""
    corpus = folder / "corpus.jsonl"
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()[:12]
    # Keyed by content, not folder name: sets that share a corpus share its index.
    path = cache / f"corpus-{digest}-{embedder.replace('/', '_').replace(':', '_')}"
    if not Index.exists(path):
        # Built aside and moved into place when complete: an interrupted build is never reused.
        building = path.with_name(path.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        with Index.create(building, embedder=embedder) as index:
            index.add(read_paths([corpus]).articles, on_progress=on_progress)
        os.replace(building, path)
    return Index.open(path, embedder=embedder)


@dataclass
class QuestionResult:
    id: str
    gold_rank: int | None  # 1-based rank of the first gold passage among the retrieved, None if absent
    answer_rank: int | None  # the same for a gold passage or one that contains a gold answer
    answerable: bool
    refused: bool
    correct: bool
    correct_in_language: bool  # correct, in the asker's language, with a gold answer in that language
    span_correct: bool  # the answer's span contains a gold answer in the asker's language
    citations: int
    good_citations: int
    retrieval_s: float
    first_token_s: float | None
    total_s: float
    answer: str


def _contains_answer(text: str, answers: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(a.lower() in lowered for a in answers if a.strip())


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


def in_language(text: str, lang: str) -> bool:
    """``text``'s own words are in ``lang``: its lower-case words outside quotations (of a source),
    so names and numbers, the same in every language, do not decide; an answer that is only names,
    numbers or dates is in every language."""
    from rag.language import detect_language

    own = " ".join(re.findall(r"\b[^\W\d_A-Z][^\W\d_]*", _QUOTED.sub(" ", text)))
    return detect_language(own) in (None, lang)


def score(item: QAItem, answer: Answer) -> QuestionResult:
    ranks = [i for i, hit in enumerate(answer.retrieved, 1) if hit.passage.article_id in item.gold_doc_ids]
    bearing = [i for i, hit in enumerate(answer.retrieved, 1) if i in ranks or _contains_answer(hit.passage.text, item.answers)]
    sources = {s.number: s for s in answer.sources}
    cited = [sources[n] for s in answer.sentences for n in s.citations if n in sources]
    good = [s for s in cited if s.article_id in item.gold_doc_ids or _contains_answer(s.hit.passage.text, item.answers)]
    # The as-of stamp is the newest source's date, written by code: a "when" answer must not be right by it.
    text = answer.text.removeprefix(f"{answer.stamp}: ") if answer.stamp else answer.text
    return QuestionResult(
        id=item.id,
        gold_rank=ranks[0] if ranks else None,
        answer_rank=bearing[0] if bearing else None,
        answerable=not item.impossible,
        refused=answer.refused,
        correct=(correct := not item.impossible and not answer.refused and _contains_answer(text, item.answers)),
        correct_in_language=correct and _contains_answer(text, item.answers_asked or item.answers)
        and in_language(text, item.lang or _question_language(item.question)),
        span_correct=not item.impossible and not answer.refused and answer.span is not None and _contains_answer(answer.span, item.answers_asked or item.answers),
        citations=len(cited),
        good_citations=len(good),
        retrieval_s=answer.timings.get("retrieval_s", 0.0),
        first_token_s=answer.timings.get("first_token_s"),
        total_s=answer.timings.get("total_s", 0.0),
        answer=answer.text,
    )


def _question_language(question: str) -> str:
    from rag.language import question_language

    return question_language(question)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percentiles(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]}


@dataclass
class EvalReport:
    dataset: str
    backend: str
    questions: int
    metrics: dict[str, float | None]
    latency: dict[str, dict[str, float] | None]
    results: list[QuestionResult] = field(default_factory=list)

    def to_json(self, with_results: bool = False) -> str:
        data = asdict(self)
        if not with_results:
            data.pop("results")
        return json.dumps(data, indent=2, ensure_ascii=False)


def summarise(dataset: str, backend: str, results: list[QuestionResult]) -> EvalReport:
    answerable = [r for r in results if r.answerable]
    impossible = [r for r in results if not r.answerable]
    answered = [r for r in answerable if not r.refused]
    ranked = [r.gold_rank for r in answerable]
    citations = sum(r.citations for r in answered)
    metrics = {
        "recall@1": _ratio(sum(1 for x in ranked if x and x <= 1), len(ranked)),
        "recall@5": _ratio(sum(1 for x in ranked if x and x <= 5), len(ranked)),
        "recall@20": _ratio(sum(1 for x in ranked if x and x <= 20), len(ranked)),
        "mrr@10": _ratio(sum(1 / x for x in ranked if x and x <= 10), len(ranked)),  # type: ignore[arg-type]
        "answer_bearing_recall@5": _ratio(sum(1 for r in answerable if r.answer_rank and r.answer_rank <= 5), len(answerable)),
        "answer_accuracy": _ratio(sum(r.correct for r in answerable), len(answerable)),
        "answer_accuracy_in_language": _ratio(sum(r.correct_in_language for r in answerable), len(answerable)),
        "span_accuracy": _ratio(sum(r.span_correct for r in answerable), len(answerable)),
        "citation_precision": _ratio(sum(r.good_citations for r in answered), citations),
        "citation_recall": _ratio(sum(1 for r in answered if r.good_citations), len(answered)),
        "answered_rate": _ratio(len(answered), len(answerable)),
        "refusal_rate_unanswerable": _ratio(sum(r.refused for r in impossible), len(impossible)),
    }
    latency = {
        "retrieval_s": _percentiles([r.retrieval_s for r in results]),
        "first_token_s": _percentiles([r.first_token_s for r in results if r.first_token_s is not None]),
        "total_s": _percentiles([r.total_s for r in results]),
    }
    return EvalReport(dataset, backend, len(results), metrics, latency, results)


def evaluate(
    items: list[QAItem], pipeline: ChatPipeline, dataset: str, on_question: Callable[[int, int], None] | None = None
) -> EvalReport:
    """Ask every question (retrieving 20 passages for recall@20; the answer uses the top k)."""
    results = []
    for i, item in enumerate(items, 1):
        results.append(score(item, pipeline.ask(item.question, retrieve_k=20)))
        if on_question:
            on_question(i, len(items))
    return summarise(dataset, pipeline.backend, results)
