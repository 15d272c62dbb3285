"""``python tui.py``: open the newsrag terminal UI (the same as ``rag tui``). The App is ``rag.tui.app``."""

from __future__ import annotations

from rag.tui import NewsRagApp, run

__all__ = ["NewsRagApp", "run"]

if __name__ == "__main__":
    run()
