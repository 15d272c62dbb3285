"""The answer span: what the question asks for, found by code in an evidence sentence (shown by rag/span_render.py).

Names, numbers, dates and places are written the same way (or nearly) in every language, so code
can copy them exactly out of an Indonesian sentence to answer an English question; a correct
answer then stays correct however a small model words the rest. The question's words decide the
slot (who / when / where / how many / which, from ``rag.languages``); the sentence's candidates of
that kind are ranked by how close they stand to the question's own terms in the sentence, and a
candidate the question itself already names is never the answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rag.answer_kinds import AskedKind, asked_kind, is_common_word, looks_like_person
from rag.evidence import Evidence
from rag.languages import LANGUAGES, all_companions, all_months, all_stopwords, language, number_words, question_patterns

_CONNECTORS = r"(?:de|van|der|den|bin|binti|al|el|von|of|la|le|dan|and|&)"
_CAP = r"(?:[A-Z][A-Z\d]{0,4} - \d+\w*|[A-Z][a-z]\w{1,12} - \d{1,3}\b(?![.,]\d)|[A-Z][\w'’\-]*(?:\.(?=\s[A-Z]))?)"
"""A capitalised word, or a code or numbered name as tokenised news text writes it ("MI - 2",
"GA - 181", the satellites "Telkom - 2" and "ChinaStar - 1")."""
_NUMBERED = r"(?:No\.?|Nomor|Number)\s+\d+\w*(?:\s?/\s?[\w\-]+(?:\.[\w\-]+)*)*"
"""A document's number: "No 55/2005", "Nomor 17 / M-DAG / PER / 9/2005"."""
_NAME = re.compile(rf"(?<![\w\-]){_CAP}(?:\s+(?:{_NUMBERED}|(?:{_CONNECTORS}\s+)?{_CAP}))*")
_NUMBER = r"\d+(?:[.,]\d+)*"
_SPLIT_DECIMAL = r"\d+, \d+(?=\s*(?:%|persen|juta|miliar|triliun|ribu|hektar\w*|ton|meter|kilometer|km|kg)\b)"
"""A decimal number as tokenised news text writes it, split at its comma ("Rp 3, 717 miliar",
"101, 25 hektar"): a scale or unit after it tells it from a list ("pada 2004, 25 orang")."""
_MONTHS = all_months()
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?\b|\b{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b|\b{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:1[5-9]|20)\d{2}\b|(?<=\btahun )\d{3,4}\b|(?<=\byear )\d{3,4}\b",
    re.IGNORECASE,
)
"""A date: day and month (and year), month and year, "24/8", or a year (any after "tahun", "year": "tahun 1459")."""
_STOP = all_stopwords()
_DAYS = frozenset().union(*(lang.days for lang in LANGUAGES.values()))
_DAY = r"\b(?:" + "|".join(sorted(_DAYS)) + r")\b"
_NUMBER_WORDS = "|".join(sorted(number_words()))
_COMPANION = re.compile(rf"(?i:\b(?:{'|'.join(sorted(map(re.escape, all_companions())))}))\s+(?:[A-Z][\w\-]*\s+){{0,4}}$")
"""A companion word ("bersama", "with", "bertemu dengan") and the title words after it, before a name."""


@dataclass(frozen=True)
class Span:
    """What the question asks for, as written in the evidence sentence it was found in."""

    slot: str
    text: str
    evidence: Evidence
    """The sentence it was copied from (its source is the citation)."""


def question_slot(question: str, lang: str | None) -> str | None:
    """The slot ``question`` asks for (``rag.languages.SLOTS``), or None (why/how/what-did-X-say...).

    The question word that comes first decides ("How old was he when …" asks how many, "In which
    species … when …" which; a later one opens a clause); on a tie, the ``SLOTS`` order ("Which
    country" is where, not which)."""
    found = [(m.start(), order, slot) for order, (slot, pattern) in enumerate(question_patterns(language(lang).code))
             if (m := pattern.search(question))]  # fmt: skip
    return min(found)[2] if found else None


def find_span(question: str, lang: str | None, evidence: Sequence[Evidence], translation: str | None = None) -> Span | None:
    """The answer to ``question`` copied from the best evidence sentence that has one, or None.

    ``translation`` (the question in the sources' language) tells more of the question's own
    words apart from the answer ("the head of the Agriculture Office" is "Kepala Dinas Pertanian").
    """
    slot = question_slot(question, lang)
    if slot is None:
        return None
    asked = _Asked.of(question, translation)
    best: tuple[float, str, Evidence] | None = None
    top = max((e.score for e in evidence), default=0.0)
    for e in evidence:
        if (found := _best_candidate(slot, e.text, asked)) is None:
            continue
        score = found[0] - SENTENCE_WEIGHT * (top - e.score)  # its candidate, less how far the sentence is below the best
        if best is None or score > best[0]:
            best = (score, found[1], e)
    return Span(slot, best[1], best[2]) if best else None


SENTENCE_WEIGHT = 15.0
"""How much a candidate loses per unit its sentence scores below the best sentence: 1.2 at the
span margin (0.08), so only a far better candidate (the asked kind, a person's name beside the
question's terms) moves the answer to a lower sentence. Chosen on the dev news set: span right
for 106 (weight 4) to 115 (15, margin 0.08) of 264 answerable questions, even and odd halves alike."""


@dataclass(frozen=True)
class _Asked:
    """What of the question a candidate is measured against."""

    words: set[str]
    """The question's (and its translation's) content words: anchors, and what is not the answer."""
    names: set[str]
    """Its own names (not its first word, capitalised because it starts the question)."""
    units: frozenset[str]
    """The unit a "how many X" asks for ("bombs", "hectares"), with its glossary words in every language."""
    meeting: bool = False
    """It asks whom someone met: the person named after "bersama", "bertemu dengan", "with" answers."""
    kind: AskedKind = AskedKind(None, frozenset(), False)
    """The kind of thing it asks for ("river", a person): ``rag.answer_kinds``."""
    time: bool = False
    """It asks how long or how old ("How long did she stay?"): an amount of years or weeks can answer."""
    age: bool = False
    """It asks how old someone is: "Sharapova, 18 tahun," gives an age, not a duration."""
    numbered: bool = False
    """It asks for a document's or flight's number ("What is the number of the regulation …?")."""
    titled: bool = False
    """It asks for a title, theme or term ("the title of the song", "the term for …"): news writes those in quotes."""

    def own(self, words: set[str]) -> set[str]:
        """Those of ``words`` the question has, also spelt the sources' way: "Bandara Internasional
        Minangkabau" restates "Minangkabau International Airport", it does not answer "In which city …?"."""
        return {w for w in words if w in self.words or any(_spelt_alike(w, q) for q in self.words)}

    @classmethod
    def of(cls, question: str, translation: str | None = None) -> _Asked:
        words = content_words(question) | (content_words(translation) if translation else _source_words(question))
        names = {m.group().lower() for m in re.finditer(r"(?<![\w'])[A-Z][\w\-]+", question) if m.start() > 0 and m.group().lower() not in _STOP}
        meeting = any(re.search(lang.meeting, question, re.IGNORECASE) for lang in LANGUAGES.values())
        units = _asked_units(question)
        age = bool(re.search(r"\bhow old\b|\bage\b|\busia\b|\bumur\b", question, re.I))  # the slot's own cues ("what is the … age")
        time = age or bool(re.search(r"\bhow long\b|\bberapa lama\b", question, re.I)) or any(u in _TIME_UNITS for u in units)
        numbered = bool(re.search(r"\bwhat (?:is|was) the (?:[\w-]+ )?number of the\b|\bnomor berapa\b", question, re.I))
        titled = bool(_TITLED.search(question))
        return cls(words, names, units, meeting, asked_kind(question), time, age, numbered, titled)


@functools.lru_cache(maxsize=65536)
def _spelt_alike(word: str, other: str) -> bool:
    """One word in two spellings ("internasional"/"international", "sosialis"/"socialist"): the
    names of bodies and offices an Indonesian sentence shares with an English question."""
    return len(word) >= 5 and len(other) >= 5 and word[:2] == other[:2] and SequenceMatcher(None, word, other).ratio() >= 0.75


_TITLED = re.compile(r"\b(?:title|theme|term|slogan|motto|song|album|judul|tema|istilah|lagu)\b", re.I)


def _source_words(question: str) -> set[str]:
    """The question's news words and places in the sources' language, by the translation glossary
    (Indonesian for now: "Japan's Foreign Minister" → jepang, menteri), so they anchor candidates
    in an Indonesian sentence when the question has no model translation."""
    from rag.translation_terms import Glossary

    glossary = Glossary.between("id", "en")
    return (glossary.source_words(question) - _STOP) if glossary else set()


def _asked_units(question: str) -> frozenset[str]:
    m = re.search(r"\bhow (?:many|much)\s+(?:of\s+)?(?:the\s+)?([a-z][\w\-]+)", question, re.IGNORECASE)
    if not m or m.group(1).lower() in _STOP:
        return frozenset()
    unit = m.group(1).lower()
    from rag.translation_terms import Glossary

    glossary = Glossary.between("id", "en")  # the news vocabulary beyond the span glossary: "silver" → perak
    translated = glossary.source_words(unit) if glossary else set()
    return frozenset({unit} | translated | {lang.glossary[unit] for lang in LANGUAGES.values() if unit in lang.glossary})


_TIME_UNITS = frozenset({w for lang in LANGUAGES.values() for meaning in ("minutes", "hours", "days", "months", "years")
                         for w in (meaning, lang.glossary.get(meaning)) if w} | {"weeks", "pekan", "minggu", "seconds", "detik"})  # fmt: skip
"""Units of time: an amount of them answers how long or how old, not how many or how much."""
_AGE = re.compile(r"\d{1,3}\s+tahun", re.I)
"""An age, after a name and a comma: "Sharapova, 18 tahun, menggeser …"."""


def _unit_of(amount: str) -> str | None:
    """The word after an amount's number ("tahun" of "sejak empat tahun"; "persen" of "5,2 persen tahun")."""
    words = amount.lower().split()
    at = next((i for i, w in enumerate(words) if re.match(r"\d", w) or w in number_words()), None)
    return words[at + 1] if at is not None and at + 1 < len(words) else None


def _same_unit(word: str, units: frozenset[str]) -> bool:
    """``word`` names one of ``units`` ("hektar" ~ "hektare", "bom" ~ "bombs"): spelling differs across languages."""
    from difflib import SequenceMatcher

    w = word.lower().strip(".,;:()")
    return any(w[:4] == u[:4] and min(len(w), len(u)) >= 3 or SequenceMatcher(None, w, u).ratio() >= 0.7 for u in units)


def slot_fit(question: str, lang: str | None, translation: str | None = None) -> Callable[[str], bool] | None:
    """A test of whether a sentence holds a phrase of the kind ``question`` asks for (a date for
    "when", an amount for "how many"), other than the question's own terms; None for a question
    without a slot. Evidence selection prefers such sentences among near-equal ones."""
    slot = question_slot(question, lang)
    if slot is None:
        return None
    asked = _Asked.of(question, translation)

    def fits(sentence: str) -> bool:
        found = _best_candidate(slot, sentence, asked)
        if found is None:
            return False
        return found[0] >= STRONG_CANDIDATE or bool(asked.units) and any(_same_unit(w, asked.units) for w in found[1].split()[1:])

    return fits


STRONG_CANDIDATE = -0.3
"""A candidate scoring this (prior, nearness to the question's terms, the asked-for unit) makes its
sentence one that answers; a weaker one is only a phrase of the right kind somewhere in it."""


def content_words(text: str) -> set[str]:
    """``text``'s lower-case words without the stopwords of any served language."""
    return {w for w in re.findall(r"\w+", text.lower()) if w not in _STOP}


def _candidates(slot: str, sentence: str, asked: _Asked) -> list[tuple[int, int, float]]:
    """(start, end, prior) of the sentence's phrases of the slot's kind."""
    out: list[tuple[int, int, float]] = []
    if slot in ("who", "which", "where"):
        for m in _NAME.finditer(sentence):
            runs = _runs(sentence, m.start(), m.end(), asked)
            for run_start, end in runs:
                words = sentence[run_start:end].split()  # the prior counts a title too: it marks a person
                start = _without_title(sentence, run_start, end) if slot == "who" else run_start
                if end <= start or _is_dateline_word(sentence, start, end) or _modifies(sentence, start, end):
                    continue
                if len(words) == 1 and (_opens_clause(sentence, start) or (start, end) != runs[0]) and is_common_word(words[0]):
                    continue  # "Sedang obat …", "Sebuah kompleks …", "Pusat [Peluncuran] Jiuquan": a capital, no name
                if slot == "who" and asked.kind.person:
                    prior = 0.2 * min(len(words), 3) + _person_prior(sentence, run_start, start, end)
                else:
                    prior = 0.3 * min(len(words), 3) if slot == "who" and asked.kind.noun is None else 0.1 * min(len(words), 3)
                if slot == "where" and re.search(r"\b(di|ke|dari|in|at|from|near|kota|provinsi|kabupaten)\s+$", sentence[:start], re.I):
                    prior += 1.0
                if asked.kind.named_by(sentence[start:end].strip(" ,.;:"), sentence[:start]):
                    prior += KIND_BONUS
                out.append((start, end, prior))
        if slot == "which":
            out += _quoted(sentence, asked)
    elif slot == "when":
        for m in _DATE.finditer(sentence):
            out.append((m.start(), m.end(), _date_prior(sentence, m.start(), m.group())))
        for m in re.finditer(_DAY, sentence, re.IGNORECASE):  # "on Friday": weaker than a date
            out.append((m.start(), m.end(), -0.2))
    elif slot == "how_many":
        dates = [d for d in _DATE.finditer(sentence) if not re.fullmatch(r"(?:1[5-9]|20)\d{2}", d.group())]
        # a number glued to letters is part of a code ("BP3", "A340"), not an amount; "Rp500" is money
        for m in re.finditer(rf"(?i:(?:lebih dari|sekitar|hampir|kurang dari|more than|about|nearly|almost|over)\s+)?"
                             rf"(?:Rp\.?\s*|US\$\s*|\$\s*)?(?:(?:(?<=Rp)|(?<![^\W\d_]))(?:{_SPLIT_DECIMAL}|{_NUMBER})|\b(?:{_NUMBER_WORDS})\b)(?:\s*%|(?:\s+[a-z][\w\-]*){{0,2}})?", sentence):  # fmt: skip
            if any(d.start() <= m.start() < d.end() for d in dates):
                continue  # the day of "15 Oktober", "(24/8)": a date, not an amount
            start, end = m.start(), _trim_unit(sentence, m.start(), m.end())
            out.append((start, end, 0.0))
        out += _ranges(sentence, out)
        if asked.numbered:  # "the number of the regulation": its document number, not a count
            out += [(m.start(), m.end(), 0.3) for m in re.finditer(_NUMBERED, sentence)]
    return out


_QUOTED = re.compile(r'(?:"\s?|“)([^"“”]{2,80}?)(?:\s?"|”)')


def _quoted(sentence: str, asked: _Asked) -> list[tuple[int, int, float]]:
    """Titles, themes and terms in quotation marks ("tema " A Journey to the Indonesian Heritage "",
    "lagu " Jujur "", "istilah … " pinteresque ""): a name news writes in quotes, often in lower
    case, that no capitalised run finds. Only short ones: a longer quotation is a statement."""
    out = []
    for m in _QUOTED.finditer(sentence):
        words = len(m.group(1).split())
        if words <= 8:
            named = asked.titled or asked.kind.named_by(m.group(1), sentence[: m.start()].rstrip(" ,:"))
            out.append((*m.span(1), 0.1 * min(words, 3) + (KIND_BONUS if named else 0.0)))
    return out


def _ranges(sentence: str, amounts: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """"antara 3,4 persen dan 6,35 persen" ("between … and …"): the range is one amount, and a
    better answer than either end alone (a small prior over them)."""
    return [(a[0], b[1], 0.1) for a, b in zip(amounts, amounts[1:])
            if re.search(r"\b(?:antara|between)\s+$", sentence[: a[0]], re.I) and re.fullmatch(r"\s+(?:dan|and)\s+", sentence[a[1] : b[0]])]  # fmt: skip


_CHANGE_TO = re.compile(r"\s*,?\s*(?:menjadi|to)\s+")
CHANGE_WEIGHT = 0.3
"""What a figure of a change "dari A menjadi B" ("from A to B") loses (A) or gains (B)."""

_NAMELY = re.compile(r"(?:\S+\s+){1,3}(?:\(\S+\),?\s+)?(?:yakni|yaitu|ialah|namely|i\.e\.)\s+$", re.I)
"""The question's noun, then "yakni" ("namely") right before a candidate: news names the thing so."""
NAMELY_BONUS = 0.3

TIME_PENALTY = 0.5
"""What an amount of time loses when the question does not ask how long or how old."""

KIND_BONUS = 0.6
"""What naming the asked kind ("Sungai …" for "which river") adds to a candidate: about the reach
of its nearness to the question's terms, so the kind decides between near candidates."""

_DATELINE = re.compile(r"^[A-Z][\w .'-]{1,40},\s+([A-Z]\w+)\s+[-–—]")
"""A news dateline, "Helsinki, Kompas - …", "Toronto, Rabu - …": its second word is the outlet or the day."""


def _person_prior(sentence: str, run_start: int, start: int, end: int) -> float:
    """How much a candidate looks like a person: a name of non-dictionary words ("Kepala Dinas …
    Syahrul Muhammad": the run ends with it), more so after a title ("Menteri Luar Negeri Jepang
    Nobutaka Machimura"); English words are not in the dictionary, so without a title "Japan
    Foundation" looks like a name too."""
    if not looks_like_person(" ".join(sentence[start:end].split()[-2:])):
        return -0.2
    before = sentence[:run_start].split()[-1:]
    return 0.4 if start > run_start or (before and _is_title(before[0])) else 0.2


def _modifies(sentence: str, start: int, end: int) -> bool:
    """The name qualifies what follows it and is not the answer itself: a possessive before a common
    noun ("at Islam's most holy site" for "Where did the stampede happen?") or a currency's country
    ("NZ $ 26 million")."""
    after = sentence[end:]
    return bool(re.search(r"['’]s$", sentence[start:end].rstrip()) and re.match(r"\s+[a-z]", after) or re.match(r"\s*\$", after))


def _is_dateline_word(sentence: str, start: int, end: int) -> bool:
    m = _DATELINE.match(sentence)
    return m is not None and m.start(1) <= start and end <= m.end(1)


def _opens_clause(sentence: str, start: int) -> bool:
    """``start`` begins the sentence (or the text after its dateline), where every word is capitalised."""
    m = _DATELINE.match(sentence)
    return not sentence[:start].strip() or (m is not None and not sentence[m.end() : start].strip())


def _runs(sentence: str, start: int, end: int, asked: _Asked) -> list[tuple[int, int]]:
    """The capitalised run, trimmed, and when it holds the question's own names, the parts beside
    them without their leading titles: "Direktur KSEI Trisnadi Tulrisman" answers "At which body does
    Trisnadi Tulrisman serve?" with "KSEI", "Sekretaris Jenderal JMI Dag Franzen" "Who is the
    Secretary-General of JMI?" with "Dag Franzen"."""
    start, end = _trim_name(sentence, start, end)
    runs = [(start, end)] if end > start else []
    words = list(re.finditer(r"\S+", sentence[start:end]))
    own = [i for i, w in enumerate(words) if w.group().lower().strip(".,()") in (asked.names | asked.words) - asked.kind.words]
    if not own or len(own) == len(words):
        return runs
    bounds = [-1, *own, len(words)]
    for left, right in zip(bounds, bounds[1:]):
        part = words[left + 1 : right]
        while part and _is_role(part[0].group()):
            part = part[1:]
        if part and (start + part[0].start(), start + part[-1].end()) not in runs:
            runs.append(_trim_name(sentence, start + part[0].start(), start + part[-1].end()))
    return [r for r in runs if r[1] > r[0]]


def _date_prior(sentence: str, start: int, text: str) -> float:
    """How much a date says: a day with its month (and year) more than a bare year, and a year
    right after a capitalised word is more often part of a name ("Outlook 2006") than a date."""
    if re.fullmatch(r"(?:1[5-9]|20)\d{2}", text):
        return -0.3 if re.search(r"[A-Z][\w\-]*\s+$", sentence[:start]) else 0.2
    return 0.2 * len(text.split()) + (0.25 if "/" in text else 0.0)


def _trim_name(sentence: str, start: int, end: int) -> tuple[int, int]:
    """A capitalised run without its leading function words ("Menurut", "The") or trailing connectors."""
    words = list(re.finditer(r"\S+", sentence[start:end]))
    def common(word: str) -> bool:
        w = word.lower().strip(".,")
        return w in _STOP or w in _MONTHS or w in _DAYS

    while words and common(words[0].group()):
        words.pop(0)
    while words and common(words[-1].group()):
        words.pop()
    while words and re.fullmatch(_CONNECTORS, words[-1].group(), re.I):
        words.pop()
    if not words:
        return start, start
    return start + words[0].start(), start + words[-1].end()


def _without_title(sentence: str, start: int, end: int) -> int:
    """Where the name starts after its title and role ("Menteri Luar Negeri Mesir Sameh Shoukry" →
    "Sameh Shoukry"): a "who" question asks for the person, and the title's words are in the
    source's language. Only when the run opens with a title and every word before the name is a
    title, role or place word; otherwise the run is kept whole, since code cannot tell where the
    name starts ("Sekretaris Militer …", "Kepala Dinas PU …", "Dewan Revolusioner Fatah")."""
    words = list(re.finditer(r"\S+", sentence[start:end]))
    if not words or not _is_title(words[0].group()):
        return start
    name = max(i for i, w in enumerate(words) if _is_role(w.group())) + 1
    if name == len(words) or not all(_is_role(w.group()) for w in words[:name]) or re.fullmatch(r"[A-Z]{2,}\W*", words[name].group()):
        return start  # no name after the title, other words among the title's, or an acronym ("PU"): an office
    return start + words[name].start()


def _is_title(word: str) -> bool:
    from rag.news.lexicon import lexicon

    w = word.lower().strip(".,")
    return any(w in lexicon(code).titles for code in LANGUAGES)


def _is_role(word: str) -> bool:
    """A title, role or place word ("Menteri", "Luar", "Mesir"), never part of a person's name."""
    from rag.news.lookup import name_terms
    from rag.news.store import terms
    from rag.places import is_place_word

    return bool(terms(word)) and (not name_terms(word) or is_place_word(word))


_AMOUNT_ENDS = _STOP | frozenset({"hingga", "sampai", "sebelah", "sejak", "selama", "until", "since"})
"""Function words and the prepositions that are not stopwords: what follows them is not part of an amount."""


def _trim_unit(sentence: str, start: int, end: int) -> int:
    """The number with its scale and unit words, not the words after them: an amount ends at a
    function word or preposition ("90 menit di Jakarta", "25 km sebelah selatan", "300.000 orang
    hingga") and before a verb ("tiga bom mengguncang")."""
    words = list(re.finditer(r"\S+", sentence[start:end]))
    number = next((i for i, w in enumerate(words) if re.match(r"\d", w.group()) or w.group().lower() in number_words()), 0)
    kept = next((start + w.start() for w in words[number + 1 :] if w.group().lower() in _AMOUNT_ENDS), end)
    for w in reversed([w for w in words[1:] if start + w.start() < kept]):
        if _is_verb(w.group().lower()):
            kept = start + w.start()
        else:
            break
    return len(sentence[:kept].rstrip(" ,.;:")) if kept else kept


def _is_verb(word: str) -> bool:
    """An Indonesian verb form: a root with a verb prefix ("mengguncang", "ditemukan", "berhasil")."""
    from rag.stemming import stem_word

    return bool(re.match(r"(?:me|di|ber|ter)", word)) and stem_word(word) != word


def _best_candidate(slot: str, sentence: str, question: _Asked) -> tuple[float, str] | None:
    asked, names = question.words, question.names
    anchors = [m.start() for m in re.finditer(r"\w+", sentence) if m.group().lower() in asked]
    own = _merged([w.span() for w in re.finditer(r"[\w'’\-]+", sentence) if w.group().lower() in names], sentence)
    best: tuple[float, str] | None = None
    for start, end, prior in _candidates(slot, sentence, question):
        text = sentence[start:end].strip(" ,.;:")
        words = content_words(text)
        if slot in ("who", "which") and text.split()[-1].lower() in names:
            continue  # "Menteri ... Antony Blinken" does not answer "Who did Blinken meet?"
        own_words = question.own(words)
        if not text or (words and words == own_words) or (not words and slot != "how_many"):
            continue  # the question's own subject, or nothing but function words
        if slot == "how_many" and not re.search(rf"\d|\b(?:{_NUMBER_WORDS})\b", text, re.I):
            continue
        if slot in ("how_many", "when") and (numbers := set(re.findall(r"\d+", text))) and numbers <= asked:
            continue  # a number or year the question gives ("every 20 minutes", "in 2005"), not "13/10" for "on 10-11 October"
        if slot == "how_many" and re.fullmatch(r"(?:1[5-9]|20)\d{2}", text):
            continue  # a bare year is a date, not an amount
        distance = min((abs(a - start) for a in anchors), default=len(sentence))
        shared = len(own_words - question.kind.words) / max(len(words), 1)  # "Sungai" of "which river" is no own word
        # a name the question already uses is less likely the answer; a unit it asks for ("how many pilgrims") more
        score = prior - distance / max(len(sentence), 1) + (0.5 if slot == "how_many" else -0.5) * shared
        if question.meeting and slot == "who" and _COMPANION.search(sentence[:start]):
            score += 0.5  # "… bersama Menteri Luar Negeri Mesir Sameh Shoukry" for "Who did Blinken meet?"
        if slot == "how_many" and not question.time and _unit_of(text) in _TIME_UNITS:
            score -= TIME_PENALTY  # "sejak empat tahun" does not say how large the stocks are
        if slot == "how_many" and not question.age and _AGE.fullmatch(text) and re.search(r"[A-Z][\w'’\-]*,\s*$", sentence[:start]):
            score -= TIME_PENALTY
        changes = slot in ("how_many", "when")  # "dari 150 juta ton menjadi 98 juta ton", "dari Oktober 2007 menjadi …"
        if changes and re.search(r"\b(?:dari|from)\s+$", sentence[:start]) and _CHANGE_TO.match(sentence, end):
            score -= CHANGE_WEIGHT  # the old figure …
        elif changes and re.search(rf"\b(?:dari|from)\s+\S+(?:\s+\S+){{0,3}}\s+(?:menjadi|to)\s+$", sentence[:start]):
            score += CHANGE_WEIGHT  # … and the new one, which the question asks for unless it says "from"
        if question.units and any(_same_unit(w, question.units) for w in text.split()[1:]):
            score += 0.5  # "tiga bom" for "how many bombs"
        if slot != "how_many" and (m := _NAMELY.search(sentence[:start])) and content_words(m.group()) & asked:
            score += NAMELY_BONUS  # "kapsul antariksanya, yakni Shenzhou" for "the name of the space capsule"
        if own and not words & names and any(_beside(sentence, start, end, name) for name in own):
            score += BESIDE_BONUS
        if start == 0 and len(text.split()) == 1 and slot != "how_many":
            score -= 0.5  # a capitalised first word is more often an ordinary word than a name
        if best is None or score > best[0]:
            best = (score, text)
    return best


BESIDE_BONUS = 0.5
"""What standing right beside one of the question's own names adds: news writes what a question
asks about a named person or body next to the name ("Kepala BKKBN Sumarjati Arjoso" for "the agency
headed by Sumarjati Arjoso", "Riska Adianti (5)" for "How old was Riska Adianti?", "Noaman Gomaa
dari Partai Wafd" for "the Wafd Party's candidate")."""

_LINKED = re.compile(r"\s*\([^()]{1,40}\)\s*|\s*\(|\s+(?:dari|of|from)\s+")
"""A bracket ("Kenenisa Bekele (Etiopia)", "… Institute (IRRI) Robert E Zeigler") or "dari"/"of"
between a candidate and a name: they are two things, one said of the other. Not a comma: in a
list, the name after a comma is the next item; nor a bracketed acronym's closing bracket: it spells
out the name before it ("Komisi … Daerah (KPAD) Papua")."""


def _merged(words: list[tuple[int, int]], sentence: str) -> list[tuple[int, int]]:
    """Consecutive words joined into one name ("Sumarjati", "Arjoso" → "Sumarjati Arjoso")."""
    out: list[tuple[int, int]] = []
    for start, end in words:
        if out and sentence[out[-1][1] : start] == " ":
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _beside(sentence: str, start: int, end: int, name: tuple[int, int]) -> bool:
    """The candidate at ``start:end`` is said of the question's ``name`` beside it: linked by a
    bracket or "dari", or next to it in a capitalised run that opens with a title, when one of the
    two is a person and the other not ("Kepala BKKBN Sumarjati Arjoso": title, office, person; in
    "Kejuaraan Atletik Brussels Golden League" the words beside "Brussels" are the same event's name)."""
    def gap(other: tuple[int, int]) -> str | None:
        return sentence[end : other[0]] if end <= other[0] else sentence[other[1] : start] if other[1] <= start else None

    runs = [m for m in _NAME.finditer(sentence) if m.start() <= name[0] and name[1] <= m.end()]
    acronym = re.fullmatch(r"[A-Z]{2,}", sentence[start:end]) is not None  # "Komisi … Daerah (KPAD)": the name itself, abbreviated
    if any((link := gap(m.span())) and _LINKED.fullmatch(link) and not (acronym and link.endswith("(")) for m in runs):
        return True  # the name's whole run: "dari Partai Wafd"
    together = [m for m in runs if m.start() <= start and end <= m.end()]
    return (gap(name) == " " and bool(together) and _is_title(together[0].group().split()[0])
            and looks_like_person(sentence[start:end]) != looks_like_person(sentence[name[0] : name[1]]))
