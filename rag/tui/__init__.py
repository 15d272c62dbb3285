"""The newsrag terminal UI: the App (``rag.tui.app``), its chat screen, dialogs and widgets.

``from rag.tui import NewsRagApp, run`` imports the App lazily, so importing a widget module does
not build the whole UI.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

STYLESHEET = Path(__file__).with_name("newsrag.tcss")
"""Absolute, so the styles are found however the app is started (``rag tui``, ``python tui.py``, an editable install)."""

__all__ = ["STYLESHEET", "NewsRagApp", "run"]


def __getattr__(name: str) -> Any:
    if name in {"NewsRagApp", "run"}:
        return getattr(importlib.import_module("rag.tui.app"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
