"""Write an eval folder for the attribution questions: the PFSA-ID dev corpus (read from
``../shared`` at run time, never stored in the project) + ``qa.jsonl``.

    python benchmarks/attribution/build.py /tmp/attr-eval [--shared ../shared]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=HERE.parents[2] / "shared")
    args = ap.parse_args(argv)
    corpus = args.shared / "data" / "dev" / "id_quotes_pfsa" / "corpus.jsonl"
    if not corpus.is_file():
        print(f"{corpus} not found: pass --shared with the folder that holds data/dev/id_quotes_pfsa/.", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus, args.out / "corpus.jsonl")
    shutil.copyfile(HERE / "qa.jsonl", args.out / "qa.jsonl")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
