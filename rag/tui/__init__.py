"""Widgets and screens of the newsrag terminal UI; the App that wires them together is ``tui.py``."""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).with_name("newsrag.tcss")
"""Absolute, so the styles are found however the app is started (``rag tui``, ``python tui.py``, an editable install)."""
