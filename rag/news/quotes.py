"""Who said what: statements and their speakers, found in an article's text by rules.

Direct quotes are the text between quote marks (several sentences, split quotes
``"…," kata X. "…"``); indirect speech is a sentence with a cue ("X mengatakan bahwa …",
"menurut X, …", "X said …", "according to X, …", "…, kata X."); a quoted fragment inside such a
sentence makes it a mixed form (indirect, with the fragment). The speaker is read from the words
next to the cue and resolved to the fullest name of the article (``rag.news.speakers``); the date
is a day named in the sentence, else the article's date. Cue words are data (``lexicons/*.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rag.news.dates import date_in, parse_iso
from rag.news.direct_quotes import find_direct, quoted_spans
from rag.news.indirect_speech import find_indirect
from rag.news.lexicon import Lexicon, lexicon
from rag.news.speakers import Mention, Speakers
from rag.news.text_spans import Candidate, sentence_end, sentence_start
from rag.types import Article

_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z .'-]{1,40}?)\s*,\s*[^\n]{0,40}?\s[-—–]\s")
_AGE_INTRO = re.compile(r"(?<![\w-])([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})\s*\((\d{1,2})\)")


@dataclass(frozen=True)
class Quote:
    """One statement and who made it; offsets are into the article's text."""

    article_id: str
    statement: str
    statement_start: int
    statement_end: int
    speaker: str | None  # resolved to the fullest name in the article
    speaker_mention: str | None  # as written next to the cue ("Blinken", "katanya", "dia")
    speaker_role: str | None
    speaker_affiliation: str | None
    cue: str | None
    direct: bool
    public_figure: bool
    place: str | None
    date: str | None
    cue_start: int | None = None
    cue_end: int | None = None

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def extract_quotes(article: Article) -> list[Quote]:
    """Every statement of ``article`` with its speaker, in text order."""
    lex = lexicon(article.lang)
    text = article.text
    found = find_direct(text, lex)
    found += find_indirect(text, lex, [(f.start, f.end) for f in found])
    found.sort(key=lambda f: f.start)
    # Subjects inside quotations and reported speech are not the speakers ("ia mengatakan, Presiden … memerintahkan").
    speakers = Speakers(text, lex, quoted_spans(text, lex) + [(f.start, f.end) for f in found])
    article_date = parse_iso(article.date)
    place = article.place or _dateline(text)
    quotes: list[Quote] = []
    previous = None
    # People introduced with their age ("Yudi Kevin (27), warga Manado, …") are people of the
    # public whom a later "katanya" may refer to; they take part in the speaker order.
    introductions = [(m.start(), m.group(1)) for m in _AGE_INTRO.finditer(text)]
    for f in found:
        while introductions and introductions[0][0] < f.anchor:
            at, name = introductions.pop(0)
            if name.split()[0].lower() not in lex.function_words:
                previous = speakers.resolve(Mention("name", name), at)
        entity = speakers.resolve(f.mention, f.anchor) if f.mention.kind != "none" else None
        if entity is None and f.mention.kind == "none" and f.direct and previous is not None:
            entity = previous  # a quote running on after "…," kata X. "…" or in the next paragraph
        if entity is not None:
            speakers.seen(entity, f.start)
            previous = entity
        sentence = _attribution(text, f, lex)
        when = date_in(sentence, article_date, list(lex.weekdays)) or article_date
        role = (f.mention.role or (entity.role if entity else "")) or None
        quotes.append(Quote(
            article_id=article.id, statement=text[f.start:f.end], statement_start=f.start, statement_end=f.end,
            speaker=entity.name if entity else None, speaker_mention=f.mention_text, speaker_role=role,
            speaker_affiliation=_affiliation(role, lex), cue=f.cue, direct=f.direct,
            public_figure=bool(entity and entity.public), place=_place(sentence, lex) or place,
            date=when.isoformat() if isinstance(when, date) else None,
            cue_start=f.cue_span[0] if f.cue_span else None, cue_end=f.cue_span[1] if f.cue_span else None,
        ))  # fmt: skip
    return quotes


def _attribution(text: str, f: Candidate, lex: Lexicon) -> str:
    """The words of the sentence around a statement that are not the statement: where the cue,
    the speaker, the day and the place are ("…,” kata Blinken dalam konferensi pers di Kairo").
    Cut at the next clause after the statement (", seraya menambahkan bahwa … pada hari Jumat" is
    about something else)."""
    start = sentence_start(text, f.start)
    before = text[start : f.start]
    after = text[f.end : sentence_end(text, f.end)]
    if f.cue_span and f.cue_span[0] >= f.end:
        cue_at = f.cue_span[0] - f.end
        m = re.compile(rf",\s+(?:{'|'.join(map(re.escape, lex.clause_openers)) or '$^'})\b", re.IGNORECASE).search(after, cue_at)
        after = after[: m.start() if m else len(after)]
    return before + " … " + after


def _dateline(text: str) -> str | None:
    """"Cairo, Gatra.com - …" / "JAKARTA, KOMPAS — …": the place the article was filed from."""
    m = _DATELINE.match(text)
    return m.group(1).strip().title() if m else None


def _place(sentence: str, lex: Lexicon) -> str | None:
    """"dalam sebuah konferensi pers di Kairo" / "in Cairo": a capitalised place after a preposition."""
    for prep in lex.place_prepositions:
        m = re.search(rf"(?<!\w){prep}\s+((?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+)?)", sentence)
        if m and m.group(1).lower() not in lex.function_words and m.group(1).split()[0].lower() not in lex.weekdays:
            return m.group(1)
    return None


def _affiliation(role: str | None, lex: Lexicon) -> str | None:
    """The institution part of a role ("Menteri Luar Negeri Mesir" → None; "Ketua Partai X" → "Partai X")."""
    if not role:
        return None
    words = "|".join(map(re.escape, lex.institution_words)) or "$^"
    m = re.search(rf"\b(?:{words})\b.*", role)
    return m.group(0).strip(" ,") if m else None
