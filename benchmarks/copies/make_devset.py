"""Build the copy-detection dev set from the demo corpus: synthetic wire copies with known groups.

Each of the demo's news reports gets 1–3 "outlet copies" made the way outlets make them:
retitled, trimmed (the last paragraphs dropped, as for a short slot), boilerplate added (an
agency dateline, a byline, "Read more:" / "Baca juga:" links, a photo caption, an agency tag),
paragraphs reordered, one local paragraph added. The seed story (gatra-595212) gets two
Indonesian copies and its English original (``seed_translations.jsonl``: a hand translation
back into English, standing for the AP story Gatra translated) plus a follow-up report of the same
event a day later (a different report: same story, other copy group).

Writes ``benchmarks/copies/devset.jsonl`` (articles, each with ``gold_group`` and ``gold_story``)
and the small test corpus ``tests/data/copies/wire.jsonl`` (the seed, its three copies, the
follow-up). Deterministic: run it again and the files are the same.

    python benchmarks/copies/make_devset.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "corpus.jsonl"
HERE = Path(__file__).parent
OUTLETS_EN = ["MyNorthwest", "West Hawaii Today", "Arkansas Democrat-Gazette", "The Daily Courier", "Lakeside Ledger"]
OUTLETS_ID = ["Antara", "Detik Dunia", "Kabar Nusantara"]
AGENCIES = ["AP", "Reuters", "AFP"]
LOCAL_EN = "Local officials said they were following the developments closely, a spokesperson for the county told the {outlet} on {day}."
LOCAL_ID = ("Pengamat hubungan internasional Universitas Contoh, Budi Santoso, mengatakan kepada {outlet} bahwa \"pernyataan itu "
            "menunjukkan tekanan Washington yang makin besar terhadap Israel\".")  # fmt: skip


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def make_copy(article: dict, n: int, rng: random.Random, outlet: str) -> dict:
    """One outlet's copy of ``article``: some of the edits outlets make, chosen by ``rng``."""
    paras = _paragraphs(article["text"])
    lang = article.get("lang") or "en"
    if len(paras) > 3 and rng.random() < 0.6:  # trimmed to fit: keep at least 60%
        paras = paras[: max(2, int(len(paras) * rng.uniform(0.6, 0.9)))]
    if len(paras) > 3 and rng.random() < 0.5:  # two middle paragraphs swapped
        i = rng.randrange(1, len(paras) - 2)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    if rng.random() < 0.4:  # a local paragraph
        local = (LOCAL_ID if lang == "id" else LOCAL_EN).format(outlet=outlet, day="Thursday")
        paras.insert(min(len(paras), 2), local)
    agency = rng.choice(AGENCIES)
    place = (article.get("place") or "WASHINGTON").upper() if lang == "en" else "Jakarta"
    if lang == "id":
        paras[0] = re.sub(r"^[A-Z][\w .]+, [\w.]+\.com - ", "", paras[0])  # the first outlet's own dateline goes
        paras[0] = f"{place} (ANTARA) - {paras[0]}" if outlet == "Antara" else f"{place}, {outlet.replace(' ', '').lower()}.com - {paras[0]}"
        paras.insert(len(paras) // 2, f"Baca juga: {rng.choice(['Harga beras naik lagi', 'Timnas menang tipis', 'Cuaca ekstrem di Jawa'])}")
        paras.append(rng.choice(["(ant/rfa)", "Penulis: Redaksi", "Editor: Dewi"]))
    else:
        paras[0] = f"{place} ({agency}) — {paras[0]}"
        if rng.random() < 0.6:
            paras.insert(0, f"By {rng.choice(['Matthew Lee', 'Sam Metz', 'Aamer Madhani'])}, {'Associated Press' if agency == 'AP' else agency}")
        if rng.random() < 0.5:
            paras.insert(len(paras) // 2, f"Read more: {rng.choice(['Markets slip on rate fears', 'Storm season begins early'])}")
        if rng.random() < 0.5:
            paras.append("Photo: a file picture distributed by the agency.")
    title = rng.choice(["{t}", "UPDATE: {t}", "{t} — report", "Wire: {t}"]).format(t=article["title"])
    return {
        "id": f"{article['id']}~copy{n}", "title": title, "date": article.get("date"), "source": outlet,
        "url": f"https://example.invalid/newsrag-dev/{article['id']}/copy{n}", "lang": lang, "text": "\n".join(paras),
        "license": article.get("license", ""), "gold_group": article["id"], "gold_story": article["id"],
    }  # fmt: skip


def build() -> tuple[list[dict], list[dict]]:
    demo = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    extra = [json.loads(line) for line in (HERE / "seed_translations.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for article in demo:
        out.append({**article, "gold_group": article["id"], "gold_story": article["id"]})
        rng = random.Random(article["id"])
        if article["id"] == "gatra-595212":
            continue  # its copies are made below, for the must-show and the tests
        if not article["id"].startswith("GUM_news_"):
            continue  # interviews run once
        for n in range(1, rng.randint(1, 3) + 1):
            out.append(make_copy(article, n, rng, OUTLETS_EN[(n + len(article["id"])) % len(OUTLETS_EN)]))
    seed = next(a for a in demo if a["id"] == "gatra-595212")
    rng = random.Random("seed")
    wire = [{**seed, "gold_group": seed["id"], "gold_story": seed["id"]}]
    for n, outlet in enumerate(["Antara", "Kabar Nusantara"], 1):
        copy = make_copy(seed, n, rng, outlet)
        if n == 2:  # this outlet's copy carries a local quote that no other outlet has
            paras = copy["text"].split("\n")
            paras.insert(3, LOCAL_ID.format(outlet=outlet))
            copy["text"] = "\n".join(dict.fromkeys(paras))
        wire.append(copy)
    for e in extra:
        if "of" in e:
            wire.append({**e, "license": seed.get("license", ""), "gold_group": e["of"], "gold_story": e["of"]})
        else:
            wire.append({**e, "license": "synthetic (newsrag dev set)", "gold_group": e["id"], "gold_story": e["story_of"]})
    for w in wire:
        w.pop("of", None), w.pop("story_of", None)
    return out + wire[1:], wire


def main() -> None:
    devset, wire = build()
    (HERE / "devset.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in devset), encoding="utf-8")
    target = ROOT / "tests" / "data" / "copies" / "wire.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in wire), encoding="utf-8")
    groups = len({a["gold_group"] for a in devset})
    print(f"{len(devset)} articles, {groups} copy groups, {len({a['gold_story'] for a in devset})} stories → {HERE / 'devset.jsonl'}")
    print(f"{len(wire)} articles → {target}")


if __name__ == "__main__":
    main()
