"""Unanswerable English questions over the Indonesian FacQA news: a refusal dev set.

``generate`` made ``benchmarks/unanswerable_news/questions.jsonl`` once (committed: questions only):
each is an answerable question of ``xling_en_q_id_news_facqa`` with one of its people, places,
organisations or years replaced by one that occurs nowhere in the corpus, so no passage answers
it. ``assemble`` builds an eval folder at run time from ``../shared`` (nothing here requires it):

    python benchmarks/unanswerable_news.py assemble /tmp/unanswerable-news --half heldout
    python -m rag eval /tmp/unanswerable-news --llm extractive

The folder holds the corpus, these unanswerable questions and the real answerable ones of the same
half, so one ``rag eval`` reports refusal beside the answered rate. ``--half calibration`` (even
positions) is what thresholds may be tuned on; ``heldout`` (odd positions) judges them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "unanswerable_news" / "questions.jsonl"
SOURCE = HERE.parent.parent / "shared" / "data" / "dev" / "xling_en_q_id_news_facqa"

# Replacements absent from the corpus (checked by ``generate``): the change makes the question unanswerable.
PEOPLE = ["Margarethe Lindqvist", "Tomasz Wieczorek", "Chidi Okonkwo", "Einar Hallgrimsson", "Ines Valcarcel", "Dmitri Korsakovich",
          "Aroha Whitmore", "Lucian Petrescu", "Farida Nazarbekova", "Hamish Drummond"]  # fmt: skip
PLACES = ["Reykjavik", "Winnipeg", "Tbilisi", "Ushuaia", "Montevideo", "Dushanbe", "Valparaiso", "Kaunas", "Nuuk", "Bratislava"]
YEARS = ["2019", "2021", "2023"]
# A second set of replacements (``--names alternative``), so a refusal rule tuned on the set is checked
# against names it never saw: Indonesian ones whose first name or surname alone does occur in the
# corpus ("Hendra", "Harahap"), Japanese and English ones, Indonesian and foreign places.
ALTERNATIVE = {"person/organisation": ["Wulan Kusumawardani", "Hendra Simanjuntak", "Rizal Pratomo", "Dewi Anggraeni", "Kenji Matsumura",
                                       "Sarah Goldberg", "Oliver Brandt", "Priya Raghunathan", "Agus Wibisono", "Yusuf Harahap"],
               "place": ["Sintang", "Ternate", "Lyon", "Ottawa", "Nairobi", "Hanoi", "Salatiga", "Sintra", "Odessa", "Tromso"],
               "year": ["2024", "2026", "2027"]}  # fmt: skip
_QUESTION_WORDS = {"What", "Which", "Who", "Whom", "Whose", "When", "Where", "How", "In", "On", "At", "By", "From", "According",
                   "Since", "With", "After", "Under", "As", "Besides", "The"}  # fmt: skip
_ENTITY = re.compile(r"(?<![\w'])[A-Z][\w\-]*(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][\w\-]*)*")
_PLACE_CUE = re.compile(r"\b(in|at|from|near|to)\s+$")


def _entities(question: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _ENTITY.finditer(question):
        words = m.group().split()
        while words and words[0] in _QUESTION_WORDS:
            words.pop(0)
        if words:
            text = " ".join(words)
            start = m.start() + m.group().index(words[0])
            out.append((start, start + len(text), text))
    return out


def generate(source: Path = SOURCE) -> list[dict]:
    corpus = {json.loads(line)["id"]: json.loads(line) for line in (source / "corpus.jsonl").open(encoding="utf-8")}
    everything = " ".join(d["text"] for d in corpus.values()).lower()
    for word in [*PEOPLE, *PLACES, *YEARS]:
        assert word.lower() not in everything, f"{word} occurs in the corpus; pick another replacement"
    out = []
    for position, line in enumerate((source / "qa.jsonl").open(encoding="utf-8")):
        d = json.loads(line)
        gold = " ".join(corpus[i]["text"] for i in d["gold_doc_ids"]).lower()
        question = d["question"]
        kind = ("year", "person", "place")[position % 3]
        years = [m for m in re.finditer(r"\b(19|20)\d{2}\b", question) if m.group().lower() in gold]
        entities = [e for e in _entities(question) if any(w.lower() in gold for w in e[2].split())]
        entities.sort(key=lambda e: -len(e[2].split()))  # "Teguh Karya" rather than "Tribute"
        if kind == "year" and years:
            m = years[0]
            changed, what = question[: m.start()] + YEARS[position % len(YEARS)] + question[m.end() :], ("year", m.group())
        elif entities:
            start, end, text = entities[0]
            place = bool(_PLACE_CUE.search(question[:start]))
            pool = PLACES if place else PEOPLE
            new = pool[position % len(pool)]
            changed, what = question[:start] + new + question[end:], ("place" if place else "person/organisation", text)
        elif years:
            m = years[0]
            changed, what = question[: m.start()] + YEARS[position % len(YEARS)] + question[m.end() :], ("year", m.group())
        else:
            continue
        out.append({"id": d["id"] + "-unans", "question": changed, "answers": [], "gold_doc_ids": d["gold_doc_ids"], "lang": "en",
                    "doc_lang": "id", "is_impossible": True, "derived_from": d["id"], "changed": what[0], "replaced": what[1],
                    "position": position})  # fmt: skip
    return out


def _absent(words: list[str], source: Path) -> None:
    everything = " ".join(json.loads(line)["text"] for line in (source / "corpus.jsonl").open(encoding="utf-8")).lower()
    for word in words:
        assert word.lower() not in everything, f"{word} occurs in the corpus; pick another replacement"


def renamed(question: dict) -> dict:
    """``question`` with its replacement swapped for the one ``ALTERNATIVE`` holds at its position."""
    pools = {"person/organisation": PEOPLE, "place": PLACES, "year": YEARS}
    kind, position = question["changed"], question["position"]
    old, new = pools[kind][position % len(pools[kind])], ALTERNATIVE[kind][position % len(ALTERNATIVE[kind])]
    assert old in question["question"], question
    return {**question, "question": question["question"].replace(old, new, 1), "id": question["id"] + "-alt"}


def assemble(out: Path, half: str, source: Path = SOURCE, names: str = "set") -> None:
    if not (source / "corpus.jsonl").is_file():
        raise SystemExit(f"{source} has no corpus.jsonl: this benchmark needs ../shared/data/dev/xling_en_q_id_news_facqa.")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "corpus.jsonl", out / "corpus.jsonl")
    keep = (lambda p: p % 2 == 0) if half == "calibration" else (lambda p: p % 2 == 1) if half == "heldout" else (lambda p: True)
    unanswerable = [d for d in map(json.loads, QUESTIONS.open(encoding="utf-8")) if keep(d["position"])]
    if names == "alternative":
        _absent([w for pool in ALTERNATIVE.values() for w in pool], source)
        unanswerable = [renamed(d) for d in unanswerable]
    answerable = [line for p, line in enumerate((source / "qa.jsonl").open(encoding="utf-8")) if keep(p)]
    with (out / "qa.jsonl").open("w", encoding="utf-8") as f:
        for a, u in zip(answerable, unanswerable, strict=False):  # interleaved, so --limit keeps the mix
            f.write(a.rstrip("\n") + "\n")
            f.write(json.dumps(u, ensure_ascii=False) + "\n")
        for rest in answerable[len(unanswerable) :]:
            f.write(rest.rstrip("\n") + "\n")
        for rest in unanswerable[len(answerable) :]:
            f.write(json.dumps(rest, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("generate", help="(re)write benchmarks/unanswerable_news/questions.jsonl")
    build = sub.add_parser("assemble", help="build an eval folder")
    build.add_argument("out", type=Path)
    build.add_argument("--half", choices=["calibration", "heldout", "all"], default="heldout")
    build.add_argument("--names", choices=["set", "alternative"], default="set",
                       help="alternative: swap each replacement for another name, place or year absent from the corpus")
    args = parser.parse_args()
    if args.command == "generate":
        QUESTIONS.parent.mkdir(exist_ok=True)
        questions = generate()
        QUESTIONS.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
        print(f"{len(questions)} unanswerable questions → {QUESTIONS}")
    else:
        assemble(args.out, args.half, names=args.names)
        print(f"eval folder → {args.out}")


if __name__ == "__main__":
    main()
