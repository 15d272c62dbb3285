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
from dataclasses import dataclass, field
from datetime import date

from rag.news.dates import date_in, parse_iso
from rag.news.lexicon import Lexicon, lexicon
from rag.news.speakers import Mention, Speakers, read_chain, split_name
from rag.types import Article

MIN_STATEMENT_CHARS = 20
MIN_STATEMENT_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_WORD = re.compile(r"\w[\w’'-]*")
_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z .'-]{1,40}?)\s*,\s*[^\n]{0,40}?\s[-—–]\s")
_AGE_INTRO = re.compile(r"(?<![\w-])([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})\s*\((\d{1,2})\)")
_TITLE_CONTEXT = re.compile(r"(bertajuk|berjudul|bertema|tema|tagar|slogan|istilah|peribahasa|program|titled|called|dubbed|hashtag|slogan)\s*$", re.I)


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


@dataclass
class _Found:
    start: int
    end: int
    direct: bool
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    mention: Mention = field(default_factory=lambda: Mention("none"))
    mention_text: str | None = None
    anchor: int = 0  # where the speaker is mentioned (for pronouns: resolve to who came before)


def extract_quotes(article: Article) -> list[Quote]:
    """Every statement of ``article`` with its speaker, in text order."""
    lex = lexicon(article.lang)
    text = article.text
    found = _direct(text, lex)
    found += _indirect(text, lex, [(f.start, f.end) for f in found])
    found.sort(key=lambda f: f.start)
    # Subjects inside quotations and reported speech are not the speakers ("ia mengatakan, Presiden … memerintahkan").
    speakers = Speakers(text, lex, _quoted_spans(text, lex) + [(f.start, f.end) for f in found])
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
        if entity is None and f.mention.kind == "none" and f.direct and previous is not None and _continues(text, previous, f):
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


# -- direct quotes ---------------------------------------------------------------------------


def _quoted_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """``(open mark, close mark)`` offsets, paired left to right within a paragraph; a quote left
    open at a paragraph's end closes there (a quotation running over paragraphs reopens)."""
    spans = []
    open_at, closers = None, frozenset()
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None:
            if text[open_at + 1 : i].strip():
                spans.append((open_at, i))
            open_at = None
        elif open_at is not None and ch in closers:
            spans.append((open_at, i))
            open_at = None
        elif open_at is None and ch in lex.openers:
            open_at, closers = i, lex.openers[ch]
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def _direct(text: str, lex: Lexicon) -> list[_Found]:
    found = []
    for open_at, close_at in _quoted_spans(text, lex):
        start, end = open_at + 1, close_at
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        inner = text[start:end]
        if len(inner) < MIN_STATEMENT_CHARS or len(_WORD.findall(inner)) < MIN_STATEMENT_WORDS:
            continue  # a term, a title or a quoted fragment of an indirect statement
        before = text[_sentence_start(text, open_at) : open_at]
        if _TITLE_CONTEXT.search(before):
            continue
        f = _Found(start, end, True)
        tail_end = _sentence_end(text, close_at + 1)
        if not _cue_after(text, close_at + 1, tail_end, lex, f):
            if len(_WORD.findall(text[close_at + 1 : tail_end])) >= 2:
                continue  # 'X said that "a ceasefire" with …': a quoted fragment of an indirect statement
            if not _cue_before(text, _sentence_start(text, open_at), open_at, lex, f) and before.strip() and not before.rstrip().endswith((":", ",")):
                continue  # quoted words in the middle of a sentence of the writer's
        found.append(f)
    return found


def _cue_after(text: str, start: int, end: int, lex: Lexicon, f: _Found) -> bool:
    """``,” kata X …`` / ``," X said`` / ``," said X`` right after the closing mark."""
    tail = text[start:end]
    m = re.match(r"[\s,.!?;:—–-]*", tail)
    offset = m.end() if m else 0
    words = list(_WORD.finditer(tail, offset))
    for k, w in enumerate(words[:6]):
        cue = lex.cue_of(w.group(0))
        if cue is None:
            continue
        if k and (tail[offset : w.start()].count(",") or any(lex.cue_of(x.group(0)) for x in words[:k])):
            return False
        chain_before = tail[offset : w.start()]
        chain_after = _chain(tail[w.end() :], lex)
        _attach(f, text, cue, start + w.start(), start + w.end(), chain_before, chain_after, lex, start)
        return True
    return False


def _cue_before(text: str, start: int, end: int, lex: Lexicon, f: _Found) -> bool:
    """``X mengatakan, ”…”`` / ``Menurut X, ”…”`` / ``Kata X, ”…”`` before the opening mark."""
    head = text[start:end]
    if not head.strip() or not head.rstrip().endswith((",", ":")) and not re.search(r"(bahwa|that)\s*$", head):
        return False
    for phrase in lex.according_to:
        m = re.search(rf"(?<!\w){re.escape(phrase)}\s+(.+?),\s*$", head, re.IGNORECASE)
        if m:
            f.cue, f.cue_span = phrase, (start + m.start(), start + m.start() + len(phrase))
            f.mention = read_chain(_chain(m.group(1), lex), lex)
            f.mention_text, f.anchor = m.group(1).strip(), start + m.start()
            return True
    words = list(_WORD.finditer(head))
    for w in reversed(words):
        cue = lex.cue_of(w.group(0))
        if cue is not None:
            _attach(f, text, cue, start + w.start(), start + w.end(), _subject(head[: w.start()], lex), _chain(head[w.end() :], lex), lex, start)
            return True
    return False


def _attach(f: _Found, text: str, cue: tuple[str, bool], c0: int, c1: int, before: str, after: str, lex: Lexicon, anchor: int) -> None:
    f.cue, f.cue_span = text[c0:c1].lower(), (c0, c1)
    f.anchor = min(anchor, f.start)
    if cue[1]:  # "katanya": the speaker is the one last mentioned
        f.mention, f.mention_text = Mention("pronoun", text[c0:c1]), text[c0:c1]
        return
    for chain in (after, before):
        mention = read_chain(chain, lex)
        if mention.kind != "none":
            f.mention, f.mention_text = mention, chain.strip(" ,")
            return


def _chain(words: str, lex: Lexicon) -> str:
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


def _subject(head: str, lex: Lexicon) -> str:
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


# -- indirect speech -------------------------------------------------------------------------


def _indirect(text: str, lex: Lexicon, direct: list[tuple[int, int]]) -> list[_Found]:
    found = []
    for s0, s1 in _sentences(text):
        if any(a < s1 and s0 < b and (b - a) > 0.5 * (s1 - s0) for a, b in direct):
            continue  # the sentence is (mostly) a direct quote
        f = _indirect_in(text, s0, s1, lex)
        if f is not None and not any(a <= f.start < b for a, b in direct):
            found.append(f)
    return found


def _indirect_in(text: str, s0: int, s1: int, lex: Lexicon) -> _Found | None:
    sentence = text[s0:s1]
    for phrase in lex.according_to:  # "Menurut X, …" / "According to X, …"
        m = re.search(rf"(?<!\w){re.escape(phrase)}\s+([^,]{{2,80}}),\s*(.+)", sentence, re.IGNORECASE | re.DOTALL)
        if m:
            f = _Found(s0 + m.start(2), s0 + _strip_end(sentence, m.end(2)), False, phrase, (s0 + m.start(), s0 + m.start(1) - 1))
            f.mention, f.mention_text, f.anchor = read_chain(_chain(m.group(1), lex), lex), m.group(1), s0
            return f if f.mention.kind != "none" else None
    words = list(_WORD.finditer(sentence))
    for k, w in enumerate(words):
        cue = lex.cue_of(w.group(0))
        if cue is None or cue[1] and k == 0:
            continue
        head, rest = sentence[: w.start()], sentence[w.end() :]
        if cue[1] and not head.rstrip().endswith(","):
            continue  # "nilainya ditingkatkan": a folded cue only closes a statement ("…, katanya.")
        if head.rstrip().endswith(",") and k >= MIN_STATEMENT_WORDS:  # "…, kata Blinken, seraya …" / "…, he said."
            chain = _chain(rest, lex) if not cue[1] else ""
            mention = Mention("pronoun", w.group(0)) if cue[1] else read_chain(chain, lex)
            if mention.kind == "none" and not cue[1]:
                mention = read_chain(_subject(head.rstrip(" ,").rsplit(",", 1)[-1], lex), lex)
            end = s0 + len(head.rstrip(" ,"))
            start = s0 + len(sentence) - len(sentence.lstrip())
            if mention.kind != "none" and end - start >= MIN_STATEMENT_CHARS:
                return _Found(start, end, False, w.group(0).lower(), (s0 + w.start(), s0 + w.end()), mention, chain or w.group(0), s0)
            if cue[1]:
                continue
            # else "X, saat dihubungi, mengatakan, …": the subject comes before, as below
        subject = _subject(head, lex)
        mention = read_chain(subject, lex) if subject else Mention("none")
        if mention.kind == "none" or w.group(0)[0].isupper():
            continue
        # "X told reporters that …" / "X mengatakan kepada wartawan bahwa …": after the complementiser.
        comp = "|".join(map(re.escape, lex.complementisers)) or "$^"
        body = re.match(rf"(?:[\s,:]*\S+){{0,5}}?[\s,:]*(?:{comp})\b[\s,:]*", rest, re.IGNORECASE) or re.match(r"[\s,:]*", rest)
        start = s0 + w.end() + (body.end() if body else 0)
        end = s0 + _strip_end(sentence, len(sentence))
        if end - start >= MIN_STATEMENT_CHARS and len(_WORD.findall(text[start:end])) >= MIN_STATEMENT_WORDS:
            return _Found(start, end, False, w.group(0).lower(), (s0 + w.start(), s0 + w.end()), mention, subject, s0)
    return None


# -- text helpers ----------------------------------------------------------------------------


def _strip_end(sentence: str, end: int) -> int:
    while end > 0 and sentence[end - 1] in " \n\t.,;":
        end -= 1
    return end


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[”\"’]?\s+(?=[A-Z”“\"])|\n+", text):
        if not re.search(r"\b[A-Z][a-z]?\.$|\d\.$", text[start : m.start() + 1]) or "\n" in m.group(0):
            out.append((start, m.start() + (len(m.group(0)) - len(m.group(0).lstrip("”\"’")))))
            start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (within its paragraph)."""
    i = pos
    while i > 0 and text[i - 1] != "\n":
        if text[i - 1] in ".!?" and i < len(text) and text[i].isspace():
            return i
        i -= 1
    return i


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.end() if m else len(text)


def _sentence_around(text: str, start: int, end: int) -> str:
    return text[_sentence_start(text, start) : _sentence_end(text, end)]


def _attribution(text: str, f: _Found, lex: Lexicon) -> str:
    """The words of the sentence around a statement that are not the statement: where the cue,
    the speaker, the day and the place are ("…,” kata Blinken dalam konferensi pers di Kairo").
    Cut at the next clause after the statement (", seraya menambahkan bahwa … pada hari Jumat" is
    about something else)."""
    start = _sentence_start(text, f.start)
    before = text[start : f.start]
    after = text[f.end : _sentence_end(text, f.end)]
    if f.cue_span and f.cue_span[0] >= f.end:
        cue_at = f.cue_span[0] - f.end
        m = re.compile(rf",\s+(?:{'|'.join(map(re.escape, lex.clause_openers)) or '$^'})\b", re.IGNORECASE).search(after, cue_at)
        after = after[: m.start() if m else len(after)]
    return before + " … " + after


def _continues(text: str, previous_entity: object, f: _Found) -> bool:
    """A quote without its own cue continues the last speaker's words."""
    return True


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
    m = re.search(r"\b(Kementerian|Partai|Universitas|PT|Badan|Dinas|Komisi|Lembaga|Institut|University|Ministry|Department|Party)\b.*", role)
    return m.group(0).strip(" ,") if m else None
