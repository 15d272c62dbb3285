"""``copies``: copy groups and stories on the dev set (benchmarks/copies/measure.py), and what copy
detection costs: its share of ``Index.add`` time (goal ≤ 5%, issue 12)."""

from __future__ import annotations

import argparse


def bench_copies(args: argparse.Namespace) -> dict:  # noqa: ARG001 - one fixed dev set: no sizes or repeats to choose
    from copies.measure import measure

    return measure()
