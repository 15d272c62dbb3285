"""The words next to a cue that name the speaker: after it ("kata Menteri Sosial Juliari
Batubara saat …") up to where the rest of the sentence begins, or before it ("Menlu AS Antony
Blinken pada hari Kamis mengatakan")."""

from __future__ import annotations

import re

from rag.news.lexicon import Lexicon
from rag.news.speakers import split_name


def speaker_words(words: str, lex: Lexicon) -> str:
    """The speaker words after a cue, up to the first word that begins the rest of the sentence."""
    out = []
    for m in re.finditer(r"[^\s]+", words):
        token = m.group(0)
        bare = token.strip(",.;:()\"“”").lower()
        if bare in lex.chain_stops or bare in lex.complementisers or lex.cue_of(bare):
            break
        out.append(token)
        if token.endswith((".", ";", ":", "?", "!")) and not re.fullmatch(r"[A-Z][a-z]?\.", token):
            break
    return " ".join(out)


def subject_before(head: str, lex: Lexicon) -> str:
    """The speaker before a cue verb: the nearest clause that names someone, with the role
    clauses around it, without time and place clauses or adverbials ("Menlu AS Antony Blinken pada
    hari Kamis mengatakan" → "Menlu AS Antony Blinken"; "Marullah, Wali Kota Jaksel, yang dihubungi,
    juga membenarkan" → "Marullah, Wali Kota Jaksel")."""
    kept: list[str] = []
    for clause in reversed(re.split(r"[,;:]\s+|\s[-—–]\s", re.sub(r"\([^()]*\)", " ", head).strip())):  # "Cairo, Gatra.com - Menteri …"
        words = clause.split()
        while words and words[0].lower().strip(",.") in lex.function_words:
            words = words[1:]
        if not words:
            continue
        first = words[0].lower().strip(".")
        if first in lex.chain_stops or first in lex.weekdays or first[:1].isdigit():
            if kept:
                break
            continue  # ", Senin," ", di Jakarta," ", pada hari Kamis," ", yang dihubungi,"
        cut = next((i for i, w in enumerate(words) if i and w.lower().strip(",.") in lex.chain_stops and not _of_institution(words, i)), len(words))
        words = words[:cut]
        if words[0].lower() in lex.pronouns:
            return words[0] if not kept else ""
        if not words[0][:1].isupper():
            # "… Kementerian Sosial Asep Sasa Purnama" after a glued subheading: its capitalised end.
            tail = []
            for w in reversed(words):
                if not (w[:1].isupper() or w.lower() in lex.titles):
                    break
                tail.insert(0, w)
            if tail and not kept and any(t.lower() in lex.titles for t in tail) and len(tail) >= 2:
                if tail[0][:1].isupper() or tail[0].lower() in lex.titles:
                    kept.insert(0, " ".join(tail))
                    if split_name(kept[0], lex)[1]:
                        break
                continue
            if words[0].lower() in lex.titles or words[0].lower() in lex.ordinary:
                kept.insert(0, " ".join(words))  # an apposition: "dokter emergensi dari …"
                continue
            break
        kept.insert(0, " ".join(words))
        if split_name(kept[0], lex)[1] or not kept[0].split()[0].lower() in lex.titles:
            break
    return ", ".join(kept)


def _of_institution(words: list[str], i: int) -> bool:
    """"Pengamat politik dari Universitas Lampung Robi …": a "from" inside a role, before a name."""
    return words[i].lower() in {"dari", "from", "of"} and i + 1 < len(words) and words[i + 1][:1].isupper()
