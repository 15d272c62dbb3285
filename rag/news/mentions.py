"""What an article says about its people before anyone is quoted: who is the subject of each
sentence, which capitalised words are places, and which short names are aliases.

News introduces a speaker in a sentence of its own ("Koordinator LSM X Budi Santoso juga
menyampaikan harapan serupa.", "Tri Maharini, dokter dari …, memaparkan, …") and then quotes them
with only "katanya". So a folded cue refers to the person the text last made the *subject* of a
sentence, not merely to the last speaker quoted, and not to a person named as an object ("…
mengapresiasi sikap Kiai Said"). A subject counts as a person when the text shows it is one: a
title before the name, a role in apposition after it, an affiliation ("Reynaldi dari PT …"), or a
name already introduced that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.news.lexicon import Lexicon

_WORDS = r"[A-Z][\w’'.-]*"
# A capitalised stretch: "Ketua Presidium HIMKI Abdul Sobur", "Koordinator Nasional (DFW) Indonesia …".
_STRETCH = rf"{_WORDS}(?:\s+(?:{_WORDS}|of|and|&|\([^()\n]{{1,40}}\)))*"
_CLAUSE_START = r"(?:^|\n|[.!?][”\"’]?\s+|[,;:]\s+)"


@dataclass(frozen=True)
class SubjectMention:
    """A person the text makes the subject of a clause, at ``pos``."""

    pos: int
    name: str
    role: str
    end: int = -1  # where the stretch that names them ends


def _strip_parens(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text)


def place_tokens(text: str, lex: Lexicon) -> frozenset[str]:
    """Capitalised words the article uses as places ("di Bekasi", "Kota Manado", "BEKASI, KOMPAS"):
    such a word glued before a name ("Wali Kota Bekasi Rahmat Effendi") is not part of it. A word
    followed by another capitalised one is left out: "Daerah Andi Saputra" is a role and a name."""
    markers = "|".join(map(re.escape, sorted(lex.place_markers, key=len, reverse=True))) or "$^"
    found = {m.group(1).lower() for m in re.finditer(rf"(?<!\w)(?i:{markers})\s+(?=([A-Z][\w-]+)(?![ \t]+[A-Z]))", text)}
    dateline = re.match(r"\s*([A-Z][A-Z .'-]{2,40}),", text)
    if dateline:
        found |= {w.lower() for w in dateline.group(1).split()}
    return frozenset(found)


def aliases(text: str, lex: Lexicon) -> dict[str, str]:
    """``{alias: name}`` for aliases the text gives ("Tjokorda Oka Artha Ardana Sukawati, yang
    biasa disapa Tjok Ace", "Joko Widodo alias Jokowi")."""
    markers = "|".join(map(re.escape, sorted(lex.alias_markers, key=len, reverse=True)))
    if not markers:
        return {}
    found: dict[str, str] = {}
    pattern = rf"((?:{_WORDS}\s+){{0,5}}{_WORDS})\s*(?:\([^()]*\))?,?\s+(?:yang\s+|who\s+(?:is\s+)?)?(?:{markers})\s+({_WORDS}(?:\s+{_WORDS}){{0,2}})"
    for m in re.finditer(pattern, text):
        found[m.group(2).strip(" .,").lower()] = m.group(1)
    return found


def blends(alias: str, name_words: list[str]) -> bool:
    """Whether ``alias`` is built from the name's words the way Indonesian nicknames are: the
    initials ("SBY" = Susilo Bambang Yudhoyono) or the heads of consecutive words, from the first
    ("Jokowi" = Joko Widodo)."""
    a = alias.lower()
    words = [w.lower() for w in name_words if w]
    if len(words) < 2 or len(a) < 2 or " " in a:
        return False
    if alias.isupper() and a == "".join(w[0] for w in words):
        return True

    def heads(rest: str, k: int) -> bool:
        if not rest:
            return k >= 2
        if k >= len(words):
            return False
        w = words[k]
        return any(rest.startswith(w[:n]) and heads(rest[n:], k + 1) for n in range(min(len(w), len(rest)), 1, -1))

    return len(a) >= 4 and heads(a, 0)


def _affiliated(after: str, lex: Lexicon) -> bool:
    """"X dari PT House of Rattan …" / "X of the World Bank": an institution follows the name."""
    words = "|".join(map(re.escape, lex.affiliation_words)) or "$^"
    m = re.match(rf"\s+(?:{words})\s+(?:the\s+)?([A-Z][\w-]*)", after)
    return bool(m) and (m.group(1).lower() in lex.role_words or len(m.group(1)) >= 2 and m.group(1).isupper())


def subject_mentions(text: str, lex: Lexicon, quoted: list[tuple[int, int]], split_name, places: frozenset[str] = frozenset()) -> list[SubjectMention]:
    """Every clause-initial (or passive-agent) person of the text outside quotations and reported
    speech, in order. ``split_name(stretch, lex) -> (role, name)`` reads a "Role Name" stretch;
    ``places`` are the article's place words (see :func:`place_tokens`)."""
    titles, ordinary = lex.titles, lex.ordinary
    agent = "|".join(map(re.escape, lex.agent_prefixes)) or "$^"
    starts = rf"(?:{_CLAUSE_START}|(?<![\w-])(?:{agent})[a-z]{{3,}}\s+)"
    out: list[SubjectMention] = []
    known: set[str] = set()
    names: list[str] = []
    for m in re.finditer(rf"{starts}(?P<s>{_STRETCH})(?=(?P<after>[^\n]{{0,120}}))", text):
        pos = m.start("s")
        if any(a <= pos < b for a, b in quoted):
            continue
        stretch, after = m.group("s"), m.group("after")
        role, name = split_name(_strip_parens(stretch), lex)
        words = [w for w in role.split() if w.lower() not in lex.function_words]
        role = " ".join(words)
        if out and re.fullmatch(r"\s*(?:\(\d{1,3}\))?\s*,\s*", text[out[-1].end : pos]):
            continue  # "Abdian Saputra, Koordinator Ekajaya Fast Boat, …": the role of the name before
        kept = name.split()
        while kept and kept[0].lower() in places:
            kept.pop(0)
        if not kept or all(w.isupper() for w in kept):
            continue  # "Wali Kota Bogor", "Kepala BNPB": a place or an institution, no name
        name = " ".join(kept)
        first = name.split()[0].lower()
        if not name or first in lex.function_words or first in lex.weekdays or first in ordinary:
            continue  # "Namun, …", "Senin (13/4) …", "Orangtua dari A ini …": no name
        tokens = {t.lower() for t in name.split()}
        apposition = re.match(r"\s*(?:\(\d{1,3}\))?\s*,\s+([^,.;]{2,100})", after)
        first_after = apposition.group(1).split()[0].lower().strip(".") if apposition else ""
        titled = any(w.lower().strip(".,") in titles for w in words)
        if not titled and apposition and (first_after in titles or first_after in ordinary or first_after in lex.apposition_openers):
            role = apposition.group(1).strip()
        elif not titled and _affiliated(after, lex):
            pass  # "Reynaldi dari PT House of Rattan mengatakan"
        elif not titled and not tokens & known and not any(blends(name, k.split()) for k in names):
            continue  # an organisation, a place, a program: nothing shows it is a person
        # It acts in the clause: a verb follows, or a role / the day in apposition ("…, Senin, mengatakan").
        acts = re.match(r"\s+[a-z]", after) or apposition and (first_after[:1].islower() or first_after in lex.weekdays or role == apposition.group(1).strip())
        if acts:
            known |= tokens
            names.append(name)
            out.append(SubjectMention(pos, name, role, m.end("s")))
    return out
