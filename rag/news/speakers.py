"""Speakers: reading a speaker chain ("kata Menteri Sosial Juliari Batubara") and resolving a
mention (a name, a role, a pronoun, a folded "katanya") to the fullest name the article gives.

Resolution follows how news is written: a person is introduced once with role and full name, then
referred to by surname, role or pronoun. So a surname resolves to the latest earlier person sharing
a name token, a role to the latest person introduced with it (else a "Role Name" found in the
text), and a pronoun to the person mentioned last before the statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.news.lexicon import Lexicon
from rag.news.mentions import aliases, blends, place_tokens, subject_mentions

_TOKEN = re.compile(r"[\w’'.-]+")
_PARENS = re.compile(r"\([^()]*\)")
_AGE = r"\s*\(\d{1,3}\)"
MAX_NAME_TOKENS = 3


@dataclass(frozen=True)
class Mention:
    """Who a chain names: ``kind`` is "name", "role", "pronoun" or "none"."""

    kind: str
    text: str = ""
    role: str = ""


@dataclass
class Entity:
    name: str
    tokens: frozenset[str]
    role: str = ""
    public: bool = False
    last: int = -1  # offset of the latest mention seen so far


def _cap(token: str) -> bool:
    return token[:1].isupper()


def _tokens(text: str) -> list[str]:
    return [t.strip(".") or t for t in _TOKEN.findall(text)]


def name_tokens(name: str, lex: Lexicon) -> frozenset[str]:
    return frozenset(t.lower() for t in _tokens(name) if len(t) > 1 and t.lower() not in lex.titles and t.lower() not in lex.role_words)


def split_name(segment: str, lex: Lexicon) -> tuple[str, str]:
    """``(role, name)`` of a capitalised stretch: the name is the trailing run of capitalised words
    that are neither title nor institution/place words ("Menteri Luar Negeri AS Antony Blinken")."""
    words = segment.split()
    name: list[str] = []
    for word in reversed(words):
        bare = word.strip(",.;:()")
        low = bare.lower()
        if not bare or not (_cap(bare) or low in {"bin", "binti", "van", "de", "al", "el", "da"} and name):
            break
        if low in lex.titles or low in lex.role_words or low in lex.function_words or len(name) >= MAX_NAME_TOKENS:
            break
        name.insert(0, bare)
    while name and name[0].lower() in {"bin", "binti", "van", "de", "al", "el", "da"}:
        name.pop(0)
    role = " ".join(words[: len(words) - len(name)]).strip(" ,")
    return role, " ".join(name)


def read_chain(chain: str, lex: Lexicon) -> Mention:
    """The speaker a chain of words after/before a cue names: "Presiden", "dia",
    "pengelola Gang Hijau, Juriah", "Candrakumara, warga Karah", "Menlu AS Antony Blinken"."""
    chain = _PARENS.sub(" ", chain).strip(" ,.:;")
    if not chain:
        return Mention("none")
    segments = [s.strip() for s in chain.split(",") if s.strip()]
    first = segments[0].split()[0].lower().strip(".,")
    if first in lex.pronouns:
        return Mention("pronoun", first)
    if first in lex.group_pronouns:
        return Mention("none")
    kept: list[str] = []
    for seg in segments:
        words = seg.split()
        if words[0].lower().strip(".") in lex.weekdays or re.match(r"\d", seg):
            break  # a date ("Senin (13/4)") ends the chain
        kept.append(seg)
    if not kept:
        return Mention("none")
    # "Candrakumara, warga Karah" (name first) or "juru bicara Gugus Tugas, Alamsyah" (role first).
    pure = [i for i, seg in enumerate(kept) if _pure_name(seg, lex)]
    if pure:
        i = pure[0]
        return Mention("name", kept[i].strip(" .,"), ", ".join(kept[:i] + kept[i + 1 :]))
    role, name = split_name(kept[0], lex)
    if name and name.split()[0].lower() not in lex.function_words:
        return Mention("name", name, ", ".join([role, *kept[1:]]).strip(" ,"))
    text = ", ".join(kept)
    return Mention("role", text, text) if _titled(text, lex) else Mention("none")


def _pure_name(segment: str, lex: Lexicon) -> bool:
    words = [w.strip(".") for w in segment.split()]
    return 0 < len(words) <= MAX_NAME_TOKENS and all(
        w and (_cap(w) or w in {"bin", "binti", "van", "de"}) and w.lower() not in lex.titles
        and w.lower() not in lex.role_words and w.lower() not in lex.function_words
        for w in words
    )


def _titled(text: str, lex: Lexicon) -> bool:
    return any(t.lower() in lex.titles for t in _tokens(text))


class Speakers:
    """The people of one article, built up in reading order."""

    def __init__(self, text: str, lex: Lexicon, quoted: list[tuple[int, int]] = ()) -> None:
        self.text = text
        self.lex = lex
        self.entities: list[Entity] = []
        self.places = place_tokens(text, lex)
        self.aliases = aliases(text, lex)
        self.subjects = subject_mentions(text, lex, sorted(quoted), split_name, self.places)

    def resolve(self, mention: Mention, pos: int) -> Entity | None:
        if mention.kind == "name":
            return self._by_name(mention.text, mention.role, pos)
        if mention.kind == "role":
            return self._by_role(mention.text, pos)
        if mention.kind == "pronoun":
            return self.latest(pos)
        return None

    def latest(self, pos: int) -> Entity | None:
        """The speaker named last before ``pos``: "katanya" and "dia" refer to whoever the text
        last attributed words to, not to any person it happened to mention since."""
        before = [(max(e.last, self._subject_mention(e, pos)), e) for e in self.entities if 0 <= e.last < pos]
        at, entity = max(before, key=lambda p: p[0]) if before else (-1, None)
        # A person made the subject of a sentence since ("Abdian Saputra, Koordinator …, juga
        # menyampaikan harapan serupa. ”…,” tuturnya.") is who the folded cue refers to.
        subject = next((s for s in reversed(self.subjects) if at < s.pos < pos), None)
        if subject is not None:
            return self._by_name(subject.name, subject.role, pos)
        if entity is not None:
            return entity
        # Nobody spoke yet: the last titled person the text introduced ("Direktur Utama X Budi …").
        last = None
        for m in re.finditer(r"(?<![\w-])([A-Za-z][\w-]*)((?:\s+[A-Z][\w’'.-]*)+)", self.text[:pos]):
            if m.group(1).lower() in self.lex.titles:
                role, name = split_name(m.group(0), self.lex)
                if name:
                    last = (name, role)
        return self._by_name(last[0], last[1], pos - 1) if last else None

    def seen(self, entity: Entity, pos: int) -> None:
        entity.last = max(entity.last, pos)

    def _subject_mention(self, e: Entity, pos: int) -> int:
        """Where a sentence last opened with this speaker's name ("Anies melanjutkan, …")."""
        last = -1
        for tok in e.tokens:
            for m in re.finditer(rf"(?:^|\n|[.!?”]\s+|,\s+(?:lanjut|kata|menurut)\s+)({re.escape(tok)})(?!\w)", self.text[:pos], re.IGNORECASE):
                if _cap(m.group(1)):
                    last = max(last, m.start(1))
        return last

    def _last_mention(self, e: Entity, pos: int) -> int:
        last = -1
        for tok in e.tokens:
            for m in re.finditer(rf"(?<!\w){re.escape(tok)}(?!\w)", self.text[:pos], re.IGNORECASE):
                if _cap(m.group(0)):
                    last = max(last, m.start())
        return last

    def _trim(self, name: str) -> str:
        """Drop place words glued before a name by the role ("Kota Bekasi Rahmat Effendi" read
        from the right gives "Bekasi Rahmat Effendi")."""
        words = name.split()
        while len(words) > 1 and words[0].lower() in self.places:
            words.pop(0)
        return " ".join(words)

    def _aliased(self, name: str) -> Entity | None:
        """The entity a nickname stands for: one the text gives ("yang biasa disapa Tjok Ace") or
        one built from the name's words ("Jokowi" = Joko Widodo)."""
        full = self.aliases.get(name.lower().strip(" .,"))
        if full:
            # The whole name before the alias, however long ("Tjokorda Oka Artha Ardana Sukawati").
            words = full.split()
            cut = max((i + 1 for i, w in enumerate(words) if w.lower() in self.lex.titles or w.lower() in self.lex.role_words), default=0)
            person = self._trim(" ".join(words[cut:])) or full
            having = [e for e in self.entities if e.tokens & name_tokens(person, self.lex)]
            return having[-1] if having else self._new(person, " ".join(words[:cut]))
        if " " in name.strip():
            return None
        bare = name.strip(" .,")
        found = next((e for e in reversed(self.entities) if blends(bare, e.name.split())), None)
        if found is None:  # someone introduced but not quoted yet ("Presiden Joko Widodo meresmikan …")
            intro = next((s for s in reversed(self.subjects) if blends(bare, s.name.split())), None)
            found = self._new(intro.name, intro.role) if intro else None
        return found

    def _new(self, name: str, role: str) -> Entity:
        tokens = name_tokens(name, self.lex) or frozenset({name.lower()})
        full, intro_role = self._fuller(name, tokens)
        e = Entity(full, name_tokens(full, self.lex) or tokens, role or intro_role)
        e.public = self._public(e)
        self.entities.append(e)
        return e

    def _by_name(self, name: str, role: str, pos: int) -> Entity:
        name = self._trim(name)
        tokens = name_tokens(name, self.lex) or frozenset({name.lower()})
        sharing = [e for e in self.entities if e.tokens & tokens]
        if not sharing:
            alias = self._aliased(name)
            if alias is not None:
                self.seen(alias, pos)
                return alias
        if sharing:
            e = max(sharing, key=lambda e: (max(e.last, self._last_mention(e, pos)) if e.last < pos else -1, len(e.name)))
            if len(name) > len(e.name) and e.tokens <= tokens:
                e.name, e.tokens = name, tokens
            if role and not e.role:
                e.role = role
                e.public = self._public(e)
            self.seen(e, pos)
            return e
        e = self._new(name, role)
        self.seen(e, pos)
        return e

    def _by_role(self, role: str, pos: int) -> Entity | None:
        role = role.strip(" .,;:")
        words = {t.lower() for t in _tokens(role)}
        having = [e for e in self.entities if words <= {t.lower() for t in _tokens(e.role)}]
        if having:
            e = max(having, key=lambda e: max(e.last, self._last_mention(e, pos)))
            self.seen(e, pos)
            return e
        # "kata Presiden": the article names "Presiden Joko Widodo" somewhere (often in the lead).
        m = re.search(rf"(?<!\w){re.escape(role)}((?:\s+[A-Z][\w’'.-]*){{1,{MAX_NAME_TOKENS}}})", self.text)
        if m:
            _, name = split_name(role + m.group(1), self.lex)
            if name:
                return self._by_name(name, role, pos)
        e = Entity(role, frozenset({role.lower()}), role, public=_titled(role, self.lex))
        self.entities.append(e)
        self.seen(e, pos)
        return e

    def _fuller(self, name: str, tokens: frozenset[str]) -> tuple[str, str]:
        """The longest "Role Name" stretch of the article that contains this name's words."""
        best, best_role = name, ""
        written = [t for t in _tokens(name) if t.lower() in tokens]
        key = max(written, key=len) if written else name
        word = r"(?:[A-Z][\w’'-]{0,2}\.|[A-Z][\w’'-]*)"  # "Dr." yes, a sentence's last word "Lestari." no
        for m in re.finditer(rf"((?:{word}[ \t]+){{0,8}})({re.escape(key)}(?:[ \t]+{word}){{0,3}})", self.text):
            role, full = split_name((m.group(1) + m.group(2)).strip(), self.lex)
            trimmed = self._trim(full)
            role, full = (role + full[: len(full) - len(trimmed)]).strip(), trimmed
            if full and tokens <= name_tokens(full, self.lex) and len(full) > len(best):
                best, best_role = full, role
            elif full and not best_role and role and tokens <= name_tokens(full, self.lex):
                best_role = role
        if not best_role:
            best_role = self._apposition(best)
        return best, best_role

    def _apposition(self, name: str) -> str:
        """"Candrakumara, warga Karah" / "Faisal Basri, ekonom senior": a role after the name."""
        m = re.search(rf"{re.escape(name)}(?:{_AGE})?,\s+([a-z][^,.;]{{2,80}})", self.text)
        return m.group(1).strip() if m else ""

    def _public(self, e: Entity) -> bool:
        """A public figure unless introduced as one of the public: with an age in brackets
        ("Suminah (45)") or as "warga", "pedagang", … — and with no title."""
        role_words = [t.lower() for t in _tokens(e.role)]
        head = next((w for w in role_words if w not in self.lex.function_words), "")  # "salah satu sopir …"
        if head in self.lex.ordinary:
            return False
        if any(w in self.lex.titles for w in role_words):
            return True
        return not any(re.search(rf"(?<!\w){re.escape(t)}{_AGE}", self.text) for t in e.name.split())
