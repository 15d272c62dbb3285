"""The news commands: ``rag quotes`` (what a person said, newest first, or every stored quote as
JSON Lines), ``rag stories`` and ``rag timeline``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rag.cli_common import AS_OF_OPTION, INDEX_OPTION, run_settings, user_errors


@click.command("quotes")
@click.argument("speaker", required=False)
@INDEX_OPTION
@click.option("--about", help="Only statements about this (shared words).")
@click.option("--in", "place", help="Only statements made in this place (Cairo = Kairo).")
@click.option("--since", help="Only statements from this date on (YYYY-MM-DD).")
@click.option("--until", help="Only statements up to this date (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Only these outlets (repeatable).")
@click.option("--direct", "direct_only", is_flag=True, help="Only direct quotations.")
@click.option("--public-figures", is_flag=True, help="With --export: only statements of public figures (people introduced with a role).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--export", is_flag=True, help="Print every stored quote (with --jsonl: one JSON object per line).")
@click.option("--jsonl", is_flag=True, help="With --export: JSON Lines.")
def quotes_command(
    speaker: str | None, index_dir: Path, about: str | None, place: str | None, since: str | None, until: str | None,
    sources: tuple[str, ...], direct_only: bool, public_figures: bool, as_json: bool, export: bool, jsonl: bool,
) -> None:  # fmt: skip
    """What SPEAKER said, newest first, with date, place, outlet and citation.

    Examples: rag quotes Blinken · rag quotes "Antony Blinken" --about Rafah --since 2024-03-01 ·
    rag quotes --export --jsonl > quotes.jsonl
    """
    from rag.index import Index
    from rag.news.lookup import SpeakerQuery, citation, find_quotes, short_date, to_json

    if not export and not speaker:
        raise click.UsageError("give a SPEAKER (e.g. rag quotes Blinken) or --export --jsonl for every stored quote.")
    with user_errors(), Index.open(index_dir) as index:
        if export:
            found = index.quotes(since=since, until=until, sources=list(sources))
            found = [q for q in found if (not direct_only or q.quote.direct) and (not public_figures or q.quote.public_figure)]
        else:
            found = find_quotes(index, SpeakerQuery(speaker or "", about, since, until, sources, place, direct_only))
    if export or as_json:
        rows = [to_json(q) for q in found]
        if export and (jsonl or not as_json):
            for row in rows:
                click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"No stored statements of {speaker!r} in {index_dir}" + (" matching the filters." if about or place or since or until or sources else ".")
                   + " Try a surname (rag quotes Blinken) or rag quotes --export --jsonl to see every speaker.")  # fmt: skip
        return
    for q in found:
        s = q.quote
        role = f" ({s.speaker_role})" if s.speaker_role else ""
        kind = "" if s.direct else " (indirect)"
        click.echo(f"{short_date(s.date)} · {s.place or 'place unknown'} · {q.source or '?'} — {s.speaker}{role}, {s.cue or 'said'}{kind}:")
        click.echo(f"    “{s.statement}”")
        click.echo(f"    [{citation(q)}] {q.title}\n")


@click.command("stories")
@INDEX_OPTION
@click.option("--since", help="Only stories with an article from this date on (YYYY-MM-DD).")
@click.option("--all", "show_all", is_flag=True, help="Also stories of a single article.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every story, with its articles).")
def stories_command(index_dir: Path, since: str | None, show_all: bool, as_json: bool) -> None:
    """The stories of the index (reports of one event, copies collapsed), newest first:
    title, date span, outlets, article count.

    Examples: rag stories · rag stories --since 2024-03-01 --json
    """
    import re

    from rag.index import Index

    if since is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        raise click.BadParameter(f"{since!r} is not a date; write it as YYYY-MM-DD (e.g. 2024-03-01).", param_hint="--since")
    with user_errors(), Index.open(index_dir) as index:
        found = index.stories(since)
    if not show_all and not as_json:
        found = [s for s in found if len(s.articles) > 1]
    if as_json:
        click.echo(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"No stories of more than one article in {index_dir}" + (f" since {since}" if since else "") + ". rag stories --all lists every article's story.")
        return
    for s in found:
        span = s.first_date if s.first_date == s.last_date else f"{s.first_date or '?'} – {s.last_date or '?'}"
        click.echo(f"{span} · {s.title}")
        click.echo(f"    {len(s.articles)} article{'s' if len(s.articles) != 1 else ''}, {s.reports} report{'s' if s.reports != 1 else ''} · "
                   f"{len(s.outlets)} outlet{'s' if len(s.outlets) != 1 else ''}: {', '.join(s.outlets)}")  # fmt: skip


@click.command("timeline")
@click.argument("query")
@INDEX_OPTION
@click.option("-k", type=int, default=10, show_default=True, help="Passages retrieved for the story.")
@AS_OF_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
def timeline_command(query: str, index_dir: Path, k: int, as_of: str | None, as_json: bool) -> None:
    """The dated events of the story QUERY finds, oldest first, each cited; or a speaker's statements.

    Examples: rag timeline "Rafah ceasefire" · rag timeline Blinken · rag timeline "Rafah last week" --as-of 2024-03-27
    """
    from rag.index import Index
    from rag.language import detect_language
    from rag.news.timeline import build_timeline, timeline_text

    with user_errors():
        settings = run_settings(index_dir, as_of=as_of)
        with Index.open(index_dir) as index:
            found = build_timeline(index, query, as_of=settings.as_of, k=k, lang=detect_language(query) or "en")
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(timeline_text(found), nl=False)
