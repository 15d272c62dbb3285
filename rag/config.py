"""Settings, read once at the edge (CLI, TUI) from ``NEWSRAG_*`` environment variables and flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a user can configure. Flags override environment variables override defaults."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", frozen=True, extra="forbid")

    index_dir: Path = Field(Path("index"), description="Where the index lives (NEWSRAG_INDEX_DIR).")
    embedder: str | None = Field(
        None, description="Embedder for a new index; an existing index keeps the one it was built with."
    )
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are skipped (JSON Lines are streamed and exempt).")
    batch_size: int = Field(64, gt=0, description="Passages embedded per batch.")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
