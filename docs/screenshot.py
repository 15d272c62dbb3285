"""Regenerate docs/tui.svg (and docs/tui.png when cairosvg is importable): the TUI answering a question.

    python docs/screenshot.py --index /tmp/demo-index --llm extractive
    python docs/screenshot.py --index index --llm local          # the bundled model (slow on a laptop CPU)

Runs the app headless at a fixed size, asks the question, waits for the answer and saves the
screen as SVG. The PNG is converted with cairosvg if it is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.config import LLMSettings, Settings  # noqa: E402
from rag.tui import NewsRagApp  # noqa: E402

QUESTION = "What did Blinken say in Cairo?"
SIZE = (140, 40)


async def capture(settings: Settings, question: str) -> str:
    app = NewsRagApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.chat.question_input.value = question
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.chat.question_input.blur()  # no blinking cursor in the picture
        await pilot.pause()
        return app.export_screenshot(title="newsrag")


def to_png(svg: str, path: Path) -> bool:
    try:
        import cairosvg
    except ImportError:
        return False
    # The SVG asks for Fira Code (a web font); name an installed monospace font so columns line up.
    svg = svg.replace('font-family: "Fira Code";', 'font-family: "DejaVu Sans Mono", monospace;')
    svg = svg.replace("font-family: Fira Code, monospace;", 'font-family: "DejaVu Sans Mono", monospace;')
    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(path), output_width=1800)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--llm", default="extractive", choices=["auto", "local", "openai", "extractive"])
    parser.add_argument("--translate", default="off", choices=["auto", "on", "off"])
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "tui.svg")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as data_dir:  # the screenshot's conversation is not kept
        settings = Settings.from_env()
        settings = replace(settings, index_dir=args.index, folders=replace(settings.folders, data=Path(data_dir)),
                           llm=LLMSettings(backend=args.llm, translate=args.translate))  # fmt: skip
        svg = asyncio.run(capture(settings, args.question))
    args.out.write_text(svg, encoding="utf-8")
    print(args.out)
    png = args.out.with_suffix(".png")
    print(png if to_png(svg, png) else "cairosvg is not installed: no PNG written")


if __name__ == "__main__":
    main()
