"""How answers, hits, ingest reports and eval reports read, as plain text and as Markdown.

One place for the words the user sees: the CLI prints these, the TUI shows them (answers as
Markdown, summaries as notifications) and the conversation export is ``conversation_markdown``.
Pure functions of the values; nothing here prints, colours or imports a UI toolkit. Plain-text
output is a list of ``Line``s whose ``tone`` the CLI maps to a colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from rag.types import Answer, Hit, Problem, Source

if TYPE_CHECKING:
    from rag.evaluate import EvalReport
    from rag.index import AddReport, IndexStatus
    from rag.ingest import IngestReport

UNSUPPORTED_MARK = "⚠"
Tone = Literal["plain", "note", "problem"]


class Line(NamedTuple):
    text: str
    tone: Tone = "plain"


# -- hits and sources ---------------------------------------------------------------------------


def describe(hit: Hit, *, url: bool = False) -> str:
    """``title · outlet · date`` (and `` · url``), leaving out what is unknown."""
    parts = (hit.title or hit.passage.article_id, hit.source, hit.date, hit.url if url else None)
    return " · ".join(x for x in parts if x)


ALSO_IN_SHOWN = 3
"""Outlets named in "also in: …" before the rest are counted (each agency still names its first)."""


def also_in_text(hit: Hit) -> str | None:
    """"also in: ANTARA via Antara, Kabar Nusantara; AP via West Hawaii Today (3 outlets)" for a report other
    outlets ran too, else None: each agency with its own outlets (rag.news.reports.outlets_by_agency)."""
    from rag.news.reports import outlets_by_agency

    groups = outlets_by_agency(hit)
    count = sum(len(names) for _, names in groups)
    if not count:
        return None
    parts, shown = [], 0
    for agency, names in groups:  # every agency named, with at least its first outlet
        listed = names[: max(1, ALSO_IN_SHOWN - shown)]
        shown += len(listed)
        parts.append(f"{agency + ' via ' if agency else ''}{', '.join(listed)}{', …' if len(listed) < len(names) else ''}")
    return f"also in: {'; '.join(parts)} ({count} outlet{'s' if count != 1 else ''})"


def supporting_sentence(source: Source) -> str | None:
    """The sentence of the source's passage that supports the answer, when the check found one."""
    if source.support_start is None or source.support_end is None:
        return None
    start = source.support_start - source.hit.passage.start
    return source.hit.passage.text[start : source.support_end - source.hit.passage.start]


def unsupported_sources(answer: Answer) -> set[int]:
    """Numbers of the sources cited by a sentence that the check found unsupported."""
    return {n for s in answer.sentences if not s.supported for n in s.citations}


def hits_text(hits: Sequence[Hit], width: int = 300) -> str:
    """``rag search``: each hit's rank, score, description and the start of its passage."""
    return "".join(f"[{rank}] {hit.score:.3f}  {describe(hit, url=True)}\n    {hit.passage.text[:width]}\n\n" for rank, hit in enumerate(hits, 1))


def retrieved_lines(hits: Sequence[Hit]) -> list[Line]:
    """The retrieved sources when no answer could be written (the LLM failed)."""
    return [Line("\n\nRetrieved sources (no answer was written):")] + [Line(f"[{n}] {describe(hit, url=True)}") for n, hit in enumerate(hits, 1)]


# -- answers --------------------------------------------------------------------------------------


def _notes(answer: Answer) -> list[str]:
    return [note for s in answer.sentences for note in s.notes]


def checked_answer_lines(answer: Answer, streamed: str | None = None) -> list[Line]:
    """What to show after the streamed text: the checked answer where it differs, the checker's notes, the sources.

    ``streamed`` is the text the user already saw (the model's stream); None when nothing was streamed.
    The checked answer (``answer.text``) is shown whenever it is not what was streamed: a sentence
    translated or repaired afterwards, unsupported sentences, the fallback to the cited sentences.
    """
    lines: list[Line] = []
    notes = _notes(answer)
    unsupported = [s.text for s in answer.sentences if not s.supported]
    differs = streamed is None or _squeezed(streamed) != _squeezed(answer.text)
    if answer.fallback:
        lines += [Line("\nThe model's answer could not be checked against the sources; the cited source sentences:", "note"), Line(answer.text)]
    elif notes or unsupported or differs:
        lines += [Line("\nChecked answer:", "note"), Line(answer.text)]
        lines += [Line(f"  note: {note}", "note") for note in notes]
        lines += [Line(f"  unsupported by any source: {text}", "problem") for text in unsupported]
    if answer.refused:
        return lines
    lines.append(Line("\nSources:"))
    for source in answer.cited_sources():
        lines.append(Line(f"[{source.number}] {describe(source.hit, url=True)}"))
        if (sentence := supporting_sentence(source)) is not None:
            lines.append(Line(f"    “{sentence}”"))
        if (also := also_in_text(source.hit)) is not None:
            lines.append(Line(f"    {also}", "note"))
    if answer.also_retrieved:
        numbers = " ".join(f"[{n}]" for n in answer.also_retrieved)
        lines.append(Line(f"Also retrieved, far below the cited sources or about something else: {numbers} (rag ask --json)"))
    return lines


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def answer_markdown(answer: Answer) -> str:
    """The checked answer, then the checker's notes.

    An answer whose sentences are all supported is its text, as code composed it: the extractive
    answer's lead span and "from the Indonesian: “…”" are in the text, not in its sentences (the
    source sentences themselves). One with an unsupported sentence is rebuilt from its sentences,
    each with its citations, so the unsupported one is marked where it stands."""
    if not answer.sentences or all(s.supported for s in answer.sentences):
        lines = [_with_citations(answer.text)]
    else:
        parts = [f"{escape_markdown(answer.stamp)}:"] if answer.stamp else []
        for sentence in answer.sentences:
            cites = "".join(f"[{n}]" for n in sentence.citations)
            text = escape_markdown(sentence.text) + (f" {cites}" if cites else "")
            parts.append(text if sentence.supported else f"{text} **{UNSUPPORTED_MARK} unsupported**")
        lines = [" ".join(parts)]
    if answer.fallback:
        lines.append("*The model's answer could not be checked against the sources; these are the cited source sentences.*")
    if notes := _notes(answer):
        lines.append("\n".join(f"- *{escape_markdown(note)}*" for note in notes))
    return "\n\n".join(lines)


def conversation_markdown(answers: Sequence[Answer], title: str = "newsrag conversation") -> str:
    """An exported conversation: each question, its checked answer, and the sources it cites."""
    out = [f"# {title}", ""]
    for answer in answers:
        out += [f"## {answer.question}", "", answer_markdown(answer), ""]
        cited = answer.cited_sources()
        if cited:
            out += ["Sources:", ""]
            for source in cited:
                link = f" <{source.hit.url}>" if source.hit.url else ""
                out.append(f"- [{source.number}] {describe(source.hit)}{link}")
                if (sentence := supporting_sentence(source)) is not None:
                    out.append(f"  > {sentence}")
                if (also := also_in_text(source.hit)) is not None:
                    out.append(f"  ({escape_markdown(also)})")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _with_citations(text: str) -> str:
    """``text`` escaped, its citation marks ("[1]") left as they are."""
    return "".join(piece if re.fullmatch(r"\[\d+\]", piece) else escape_markdown(piece) for piece in re.split(r"(\[\d+\])", text))


def escape_markdown(text: str) -> str:
    """Article sentences are data: keep Markdown from reading ``*``, ``_`` or ``#`` in them as formatting."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


_MARKDOWN_SPECIAL = set("\\`*_{}[]<>#|~")


def error_text(error: BaseException) -> str:
    """A library error's own message (it is written for the user); anything else is a bug, named as one."""
    from rag.errors import RagError

    return str(error) if isinstance(error, RagError) else f"Unexpected error ({type(error).__name__}): {error}"


# -- index writes ---------------------------------------------------------------------------------


def ingest_text(report: IngestReport, index_dir: object) -> str:
    """``rag ingest``'s summary: counts, time and rate, commits, files read and skipped, text repaired."""
    a = report.added
    rate = f" ({a.passages_embedded / a.seconds:.1f} passages/s)" if a.passages_embedded and a.seconds else ""
    batches = f" in {a.batches} commits" if a.batches > 1 else ""
    text = (
        f"{index_dir}: {a.new} new, {a.updated} updated, {a.unchanged} unchanged articles; "
        f"{a.passages_embedded} passages embedded in {a.seconds:.1f} s{rate}{batches}; "
        f"{report.files_read} files read, {len(report.skipped)} skipped."
    )
    if report.repairs.surrogates or report.repairs.controls:
        text += (
            f"\ntext repaired: {report.repairs.surrogates} lone surrogate(s) replaced by U+FFFD, "
            f"{report.repairs.controls} control character(s) dropped."
        )
    return text


def problem_line(problem: Problem) -> str:
    return f"{'warning' if problem.warning else 'skipped'} {problem}"


def ingest_summary(report: IngestReport, max_problems: int = 3) -> str:
    """One line for a notification: the counts, then the first few skipped inputs with their reasons."""
    a = report.added
    summary = (
        f"{a.new} new, {a.updated} updated, {a.unchanged} unchanged articles; {a.passages_embedded} passages embedded; "
        f"{report.files_read} files read, {len(report.skipped)} skipped."
    )
    if report.problems:
        shown = "; ".join(str(p) for p in report.problems[:max_problems])
        summary += " " + shown + (" …" if len(report.problems) > max_problems else "")
    return summary


def rebuild_summary(report: AddReport) -> str:
    return f"Rebuilt {report.updated} articles, {report.passages_embedded} passages."


def index_status_text(st: IndexStatus) -> str:
    """``rag index status``: counts, the most frequent languages and sources, embedder, size, last update."""

    def top(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in list(counts.items())[:8])

    return (
        f"index      {st.path}\nbackend    {st.backend}\narticles   {st.articles}\npassages   {st.passages}\n"
        f"languages  {top(st.languages)}\nsources    {top(st.sources)}\n"
        f"embedder   {st.embedder} ({st.dim}-d)\nsize       {st.size_bytes / 1e6:.1f} MB\n"
        f"updated    {st.updated_at} (generation {st.generation})"
    )


# -- evaluation -----------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _latency(value: dict[str, float] | None) -> str:
    return "-" if value is None else f"p50 {value['p50']:.2f} s   p95 {value['p95']:.2f} s"


def eval_text(report: EvalReport) -> str:
    """``rag eval``: the dataset line, then one metric per line, then latency percentiles."""
    lines = [f"{report.dataset} · {report.backend} · {report.questions} questions"]
    lines += [f"  {name:<28}{_number(value)}" for name, value in report.metrics.items()]
    lines += [f"  latency {name:<20}{_latency(value)}" for name, value in report.latency.items()]
    return "\n".join(lines)


def eval_markdown(reports: Iterable[EvalReport]) -> str:
    """Eval reports as one Markdown table (a column per report), for RESULTS-style notes."""
    reports = list(reports)
    if not reports:
        return ""
    names = list(dict.fromkeys(name for r in reports for name in r.metrics))
    head = "| metric | " + " | ".join(f"{r.dataset} · {r.backend} ({r.questions})" for r in reports) + " |"
    rule = "|---|" + "---|" * len(reports)
    rows = [f"| {name} | " + " | ".join(_number(r.metrics.get(name)) for r in reports) + " |" for name in names]
    latency = list(dict.fromkeys(name for r in reports for name in r.latency))
    rows += [f"| latency {name} | " + " | ".join(_latency(r.latency.get(name)) for r in reports) + " |" for name in latency]
    return "\n".join([head, rule, *rows]) + "\n"

