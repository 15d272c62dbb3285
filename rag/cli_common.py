"""What every command shares: the settings of one run, the index option and the user's errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rag.errors import RagError
from rag.types import DEFAULT_K

if TYPE_CHECKING:
    from rag.config import Settings


def run_settings(index_dir: Path | None = None, *, k: int | None = None, as_of: str | None = None, **llm: object) -> Settings:
    """The settings of this run: the defaults, the environment (``rag.config``), then the flags given."""
    from rag.config import Settings

    settings = Settings.from_env().with_k(k).with_llm(**llm).with_as_of(as_of)
    return replace(settings, index_dir=index_dir) if index_dir is not None else settings


def _resolve_index(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    return value if value is not None else run_settings().index_dir


INDEX_OPTION = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), callback=_resolve_index,
    show_default="index, or $NEWSRAG_INDEX_DIR", help="Index directory.",
)  # fmt: skip
K_OPTION = click.option("-k", type=int, show_default=str(DEFAULT_K), help="Number of sources.")
AS_OF_OPTION = click.option("--as-of", help='The date (YYYY-MM-DD) that "last week", "yesterday", "kemarin" count from (default: today, or $NEWSRAG_AS_OF).')

@contextmanager
def user_errors() -> Iterator[None]:
    """Library errors are meant for the user: show the message, not a traceback."""
    try:
        yield
    except RagError as e:
        raise click.ClickException(str(e)) from e
