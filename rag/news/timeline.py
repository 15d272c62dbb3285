"""``rag timeline QUERY``: the dated events of the story QUERY finds, oldest first, each cited; or,
when QUERY names a speaker with stored quotes, that person's statements in date order.

A story's events are the sentences of the retrieved passages whose dates were resolved at ingest
(``sentence_dates``: "pada hari Kamis" in a Thursday report is that Thursday); a retrieved passage
without one stands for its article on its publication date. Only passages scored within
``margin`` (fused z-score) of the best are the story: the rest of the top k is other news. A time
phrase in QUERY ("last week") narrows the articles, counted from the as-of date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from rag.news.timeframe import Timeframe, find_timeframe, parse_as_of

if TYPE_CHECKING:
    from rag.index import Index


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    text: str
    source: int
    """The number of its source in ``Timeline.sources`` (``[n]``)."""
    article_id: str
    start: int
    end: int
    kind: str
    """explicit | weekday | relative (a date the sentence names), published (the article's date), statement (a quote)."""
    speaker: str | None = None


@dataclass(frozen=True)
class TimelineSource:
    number: int
    article_id: str
    title: str
    source: str | None
    url: str | None
    date: str | None
    passage_id: int | None


@dataclass
class Timeline:
    query: str
    events: list[TimelineEvent] = field(default_factory=list)
    sources: list[TimelineSource] = field(default_factory=list)
    speaker: str | None = None
    window: str | None = None
    """The time phrase's window in words ("from 18–24 March 2024"), when the query had one."""

    def to_json(self) -> dict:
        return asdict(self)


def build_timeline(index: Index, query: str, *, as_of: str | None = None, k: int = 10, margin: float = 1.5, lang: str = "en") -> Timeline:
    """The timeline of ``query`` (see the module's docstring)."""
    from rag.news.lookup import SpeakerQuery, find_quotes

    frame, rest = find_timeframe(query, parse_as_of(as_of), lang)
    if frame is not None and frame.event is not None:
        frame, rest = None, query  # "since <event>" needs the story itself: the whole query is the story
    window = frame.filters() if frame is not None else None
    timeline = Timeline(query, window=frame.span(lang) if frame is not None else None)
    quotes = find_quotes(index, SpeakerQuery(rest, since=window.since if window else None, until=window.until if window else None))
    if quotes:
        return _statements(index, timeline, quotes)
    return _story(index, timeline, rest, frame, k, margin)


def _number(timeline: Timeline, hit, passage_id: int | None) -> int:  # noqa: ANN001
    for s in timeline.sources:
        if s.article_id == hit.passage.article_id:
            return s.number
    timeline.sources.append(TimelineSource(len(timeline.sources) + 1, hit.passage.article_id, hit.title, hit.source, hit.url, hit.date, passage_id))
    return len(timeline.sources)


def _statements(index: Index, timeline: Timeline, quotes: list) -> Timeline:
    ordered = sorted(quotes, key=lambda q: (q.quote.date or q.article_date or "", q.quote.article_id, q.quote.statement_start))
    hits = {h.passage.id: h for h in index.hits([q.passage_id for q in ordered if q.passage_id is not None], [1.0] * len(ordered))}
    for q in ordered:
        hit = hits.get(q.passage_id)
        if hit is None:
            continue
        s = q.quote
        timeline.speaker = timeline.speaker or s.speaker
        timeline.events.append(TimelineEvent(s.date or q.article_date or "", s.statement, _number(timeline, hit, q.passage_id),
                                             s.article_id, s.statement_start, s.statement_end, "statement", s.speaker))  # fmt: skip
    return timeline


def _story(index: Index, timeline: Timeline, query: str, frame: Timeframe | None, k: int, margin: float) -> Timeline:
    from rag.chunking import split_sentences
    from rag.retrieval import Retriever

    hits = Retriever(index).retrieve(query, k=k, filters=frame.filters() if frame else None)
    if not hits:
        return timeline
    story = [h for h in hits if h.score >= hits[0].score - margin]
    dated = {}
    for d in index.sentence_dates(list(dict.fromkeys(h.passage.article_id for h in story))):
        dated.setdefault(d.passage_id, []).append(d)
    events = []
    for hit in story:
        p = hit.passage
        rows = [d for d in dated.get(p.id, []) if p.start <= d.start < p.end]
        if frame is not None:  # a story of last week: its events of last week
            rows = [d for d in rows if (frame.since is None or d.date >= frame.since.isoformat()) and (frame.until is None or d.date <= frame.until.isoformat())]
        for d in rows:
            events.append((d.date, hit, d.start, min(d.end, p.end), d.kind))
        if not rows and hit.date:
            first = split_sentences(p.text)
            if first:
                events.append((hit.date[:10], hit, p.start + first[0].start, p.start + first[0].end, "published"))
    seen = set()
    for date, hit, start, end, kind in sorted(events, key=lambda e: (e[0], e[1].date or "", e[1].passage.article_id, e[2])):
        if (hit.passage.article_id, start) in seen:
            continue
        seen.add((hit.passage.article_id, start))
        text = hit.passage.text[start - hit.passage.start : end - hit.passage.start]
        timeline.events.append(TimelineEvent(date, text, _number(timeline, hit, hit.passage.id), hit.passage.article_id, start, end, kind))
    return timeline


def timeline_text(timeline: Timeline) -> str:
    """The timeline as lines: date · outlet — event [n], then the numbered sources."""
    from rag.news.lookup import short_date

    if not timeline.events:
        where = f" {timeline.window}" if timeline.window else ""
        return f"No dated events{where} found for {timeline.query!r}.\n"
    by_number = {s.number: s for s in timeline.sources}
    head = f"Statements of {timeline.speaker}" if timeline.speaker else f"Timeline of {timeline.query!r}"
    lines = [head + (f" ({timeline.window})" if timeline.window else "") + ", oldest first:"]
    for e in timeline.events:
        lines.append(f"{short_date(e.date)} · {by_number[e.source].source or '?'} — {' '.join(e.text.split())} [{e.source}]")
    lines.append("\nSources:")
    for s in timeline.sources:
        lines.append(f"[{s.number}] {s.title} — {s.source or '?'}, {short_date(s.date)} ({s.article_id})" + (f" {s.url}" if s.url else ""))
    return "\n".join(lines) + "\n"
