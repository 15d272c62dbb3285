"""What newsrag knows about each language, as data: one ``Language`` entry per language.

Every module that needs per-language words reads them here (refusal phrases and language names
for prompts and answers, stopwords for keyword search, abbreviations for sentence splitting,
month and day names for dates, prompt-injection patterns, the words that make a question ask for
a person, a time, a place or an amount). Adding a language is one entry in ``LANGUAGES`` and one
test in tests/test_languages.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

SLOTS = ("who", "when", "where", "how_many", "which")
"""What a question can ask for that code can find in a sentence (see rag/answer_span.py)."""


@dataclass(frozen=True)
class Language:
    code: str
    """ISO 639-1, as ``rag.language.detect_language`` returns it."""
    name: str
    """The language's name in English (used in prompts, which are written in English)."""
    refusal: str
    """The answer that says the sources do not contain one; an answer that starts with it is a refusal."""
    names: dict[str, str]
    """Other languages' names in this language, for "from the Indonesian: ..." introductions."""
    quoting: str
    """How an extractive answer introduces a source sentence in another language: ``{language}`` is
    that language's name from ``names``."""
    partial: str = ""
    """"The sources cover X but not Y": ``{covered}`` and ``{missing}`` are lists of the question's terms."""
    stopwords: frozenset[str] = frozenset()
    """Words that carry no evidence on their own (keyword search, term matching)."""
    abbreviations: frozenset[str] = frozenset()
    """Lower-case tokens after which a full stop does not end a sentence."""
    months: dict[str, int] = field(default_factory=dict)
    """Month names, with their old spellings, → month number."""
    month_abbreviations: dict[str, int] = field(default_factory=dict)
    """Short month names → month number."""
    days: frozenset[str] = frozenset()
    """Day-of-week names."""
    injection: tuple[str, ...] = ()
    """Regular expressions (case-insensitive) for article text that tries to instruct a model."""
    question_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per slot (``SLOTS``), regular expressions that make a question ask for it; tried in ``SLOTS``
    order, so "how many" is found before a bare "how"."""
    quote_cues: tuple[str, ...] = ()
    """Speech verbs that introduce a quotation ("said", "kata"); for rag/news (the quotes issue)."""
    decimal: str = "."
    thousands: str = ","
    """Number notation: "2,693.5" in English, "2.693,5" in Indonesian."""
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Words of a follow-up that point back at the previous turn, per kind ("person": he, him;
    "possessive": his, her; "place": there; "time": then), as regular expressions."""
    place_cues: tuple[str, ...] = ()
    """Prepositions before a place name ("in Cairo", "di Kairo")."""
    subordinators: tuple[str, ...] = ()
    """Words opening a clause that situates another event ("after the championships in Fukui"):
    a place named after one is not where the asked event happened."""
    meeting: str = r"$^"
    """A regular expression (case-insensitive) for a question about whom someone met ("Who did he meet?")."""
    companions: tuple[str, ...] = ()
    """Words right before the person someone met or appeared with ("bertemu dengan X", "bersama X")."""
    glossary: dict[str, str] = field(default_factory=dict)
    """Words of answer spans that code can translate (units, scales, small numbers): a meaning,
    written as the English word, → this language's word. Names are never translated."""


_MEANINGS = (
    "one two three four five six seven eight nine ten minutes hours days months years people percent "
    "thousand million billion trillion meters kilometers hectares tonnes"
).split()
_MEANINGS_PHRASES = ("more than", "less than", "about", "nearly")


ENGLISH = Language(
    code="en",
    name="English",
    refusal="The sources do not contain the answer.",
    names={"en": "English", "id": "Indonesian", "ms": "Malay", "fr": "French", "de": "German", "es": "Spanish", "nl": "Dutch"},
    quoting="from the {language}",
    partial="The sources mention {covered}, but not {missing}.",
    stopwords=frozenset(
        """a an the of in on at to for from by with and or but is are was were be been being do does did what which who
        whom whose when where why how that this these those it its as into about after before than then there their
        they he she his her him we you i me my our your not no yes said say says tell told much many since until during
        despite according besides upon within while although though""".split()
    ),
    abbreviations=frozenset(
        """mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev no vs etc inc ltd co corp
        jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
    ),
    months={
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12,
    },
    month_abbreviations={
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    },  # fmt: skip
    days=frozenset("monday tuesday wednesday thursday friday saturday sunday".split()),
    injection=(
        r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instruction|prompt|rule|direction)s?\b",
        r"\b(system prompt|you are (now )?(an? )?(ai|assistant|language model|chatbot)|as an ai\b)",
    ),
    question_words={
        "who": (r"\bwho(m|se)?\b", r"\bwhat (?:is|was) the name of\b", r"\bwhat(?:'s| is| was) (?:his|her|their) name\b"),
        "when": (r"\bwhen\b", r"\bwhat (year|date|day|month|time)\b", r"\bin which (year|month)\b", r"\bhow long ago\b"),
        "where": (r"\bwhere\b", r"\bin (what|which) (city|country|province|place|town|region|district|island|village)\b",
                  r"\b(?:what|which) (city|country|province|place|town|region|district|island|village)\b"),
        "how_many": (r"\bhow (many|much|long|old|far|big|large|tall|high)\b", r"\bwhat (number|percentage|amount)\b",
                     r"\bwhat (?:is|was|are|were) (?:the |its |their |[\w-]+'s )?(?:[\w-]+ ){0,3}(?:rate|population|number|amount|total|"
                     r"budget|cost|price|age|percentage|value|losses|area|length|height|distance|capacity|salary|speed|temperature)\b",
                     r"\bin (?:percent|per cent)\b"),
        "which": (r"\bwhich\b", r"\bwhat (party|team|company|group|organi[sz]ation|ministry|club|agency)\b",
                  r"\bwhat (?:type|kind|model|make|brand) of\b",
                  r"\bwhat (?:is|was) the (?:title|abbreviation|acronym|term|theme|slogan|motto) (?:of|for)\b",
                  r"\bwhat does [A-Z]{2,}\w* stand for\b",
                  r"^\s*what (?!(?:is|was|are|were|did|does|do|has|have|had|will|would|can|could|should|happened|about)\b)[a-z]+ (?:did|does|do|is|was|are|were|has|have|had|will)\b"),
    },  # fmt: skip
    quote_cues=("said", "says", "told", "stated", "added", "according to", "explained", "stressed", "warned"),
    glossary={meaning: meaning for meaning in (*_MEANINGS, *_MEANINGS_PHRASES)},
    references={"person": (r"\bhe\b", r"\bshe\b", r"\bhim\b"), "possessive": (r"\bhis\b",),
                "place": (r"\bthere\b",), "time": (r"\bthen\b", r"\bthat (?:day|year|time)\b")},  # fmt: skip
    place_cues=("in", "at", "to", "from", "near"),
    subordinators=("after", "before", "during", "when", "while", "since", "following", "until"),
    meeting=r"\b(?:meet|met|meeting|talks? with)\b",
    companions=("with", "met", "meet", "alongside", "joined by"),
)

INDONESIAN = Language(
    code="id",
    name="Indonesian",
    refusal="Sumber tidak memuat jawabannya.",
    names={"en": "Inggris", "id": "Indonesia", "ms": "Melayu", "fr": "Prancis", "de": "Jerman", "es": "Spanyol", "nl": "Belanda"},
    quoting="dari sumber berbahasa {language}",
    partial="Sumber menyebut {covered}, tetapi tidak {missing}.",
    stopwords=frozenset(
        """yang dan di ke dari pada untuk dengan dalam adalah itu ini atau juga akan oleh sebagai tidak ada siapa apa
        apakah kapan dimana di mana mana berapa bagaimana mengapa kenapa yg para tersebut telah sudah kah nya""".split()
    ),
    abbreviations=frozenset("tn ny nn sdr dll dsb dst yth kol brigjen mayjen letjen jend kh drs ir hj h".split()),
    months={
        "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
        "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
    },
    month_abbreviations={
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "okt": 10, "des": 12,
    },  # fmt: skip
    days=frozenset("senin selasa rabu kamis jumat sabtu minggu".split()),
    injection=(r"\b(abaikan|lupakan)\b.{0,40}\b(instruksi|perintah|aturan)\b",),
    question_words={
        "who": (r"\bsiapa(kah)?\b", r"\bapa(kah)? nama\b"),
        "when": (r"\bkapan(kah)?\b", r"\b(tahun|tanggal|bulan|hari) (apa|berapa)(kah)?\b", r"\bpada (tahun|tanggal) berapa(kah)?\b"),
        "where": (r"\b(di ?mana|ke ?mana|dari ?mana)(kah)?\b", r"\b(kota|negara|provinsi|pulau|desa|kabupaten|tempat) (apa|mana)(kah)?\b"),
        "how_many": (r"\bberapa(kah)?\b",),
        "which": (r"\b(apa|mana)(kah)? (nama )?(partai|tim|perusahaan|kelompok|organisasi|kementerian|klub|lembaga)\b",
                  r"\b(partai|tim|perusahaan|kelompok|organisasi|kementerian|klub|lembaga) (apa|mana)(kah)?\b", r"\byang mana\b",
                  # "Kejuaraan apakah …", "Departemen manakah …", "Jalan tol mana saja …": a noun, then the question word
                  r"(?<=[a-z] )(?:apakah|manakah)\b", r"\bmanakah\b", r"(?<=[a-z] )mana saja\b",
                  r"(?<=[a-z] )apa(?= yang\b|\s*\??$)", r"(?<=[a-z] )mana(?=\s+[A-Z])",
                  r"\bapa(kah)? (judul|istilah|kepanjangan|singkatan|tema|jenis)\b"),
    },  # fmt: skip
    quote_cues=("kata", "ujar", "ucap", "tutur", "ungkap", "jelas", "tegas", "menurut", "menyatakan", "mengatakan"),
    decimal=",",
    thousands=".",
    references={"person": (r"\bdia\b", r"\bia\b", r"\bbeliau\b"), "place": (r"\b(?:di|ke|dari) sana\b", r"\bsana\b"),
                "time": (r"\b(?:saat|waktu|ketika) itu\b",)},  # fmt: skip
    place_cues=("di", "ke", "dari", "kota"),
    subordinators=("setelah", "sesudah", "sebelum", "selama", "saat", "ketika", "sejak", "usai", "seusai", "hingga"),
    meeting=r"\b(?:bertemu|menemui|ditemui|temui|pertemuan)\b",
    companions=("bersama", "dengan", "bertemu", "menemui", "didampingi"),
    glossary=dict(zip((*_MEANINGS, *_MEANINGS_PHRASES), (
        "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh menit jam hari bulan tahun orang persen "
        "ribu juta miliar triliun meter kilometer hektare ton"
    ).split() + ["lebih dari", "kurang dari", "sekitar", "hampir"], strict=True)),
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH, INDONESIAN)}
DEFAULT = ENGLISH
"""The language of an asker whose question's language cannot be told, or is not in ``LANGUAGES``."""


def language(code: str | None) -> Language:
    """The entry for ``code``, or the default (English) for an unknown or missing one."""
    return LANGUAGES.get(code or "", DEFAULT)


def language_name(code: str | None) -> str:
    """``code``'s name in English, for prompts ("Indonesian"); English for unknown codes."""
    return DEFAULT.names.get(code or "", DEFAULT.name)


def all_stopwords() -> frozenset[str]:
    return frozenset().union(*(lang.stopwords for lang in LANGUAGES.values()))


def all_abbreviations() -> frozenset[str]:
    return frozenset().union(*(lang.abbreviations for lang in LANGUAGES.values()))


def all_companions() -> frozenset[str]:
    return frozenset(w for lang in LANGUAGES.values() for w in lang.companions)


def all_months() -> dict[str, int]:
    """Every language's month names and abbreviations → month number."""
    return {name: n for lang in LANGUAGES.values() for name, n in (lang.months | lang.month_abbreviations).items()}


@cache
def number_words() -> frozenset[str]:
    """Every language's words for the numbers one to ten."""
    return frozenset(number_values())


def number_values() -> dict[str, str]:
    """Every language's words for the numbers one to ten, with their digits ("enam" → "6")."""
    return {lang.glossary[m]: str(n) for lang in LANGUAGES.values()
            for n, m in enumerate(_MEANINGS[:10], 1) if m in lang.glossary}  # fmt: skip


def refusals() -> tuple[str, ...]:
    return tuple(lang.refusal for lang in LANGUAGES.values())


@cache
def injection_pattern() -> re.Pattern[str]:
    """One pattern for the injection phrases of every language (article text can be in any)."""
    return re.compile("|".join(p for lang in LANGUAGES.values() for p in lang.injection), re.IGNORECASE)


@cache
def question_patterns(code: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(slot, pattern) pairs for ``code``'s question words, in ``SLOTS`` order."""
    words = language(code).question_words
    return tuple((slot, re.compile("|".join(words[slot]), re.IGNORECASE)) for slot in SLOTS if slot in words)


# The copied-words rule: an answer sentence that keeps this many ordinary words of a source in
# another language was not translated (the small model copies "sebuah kesalahan" into English).
COPIED_WORDS = 2
PLAIN_WORD = r"(?<![\w-])[a-z]{4,}(?![\w-])"
"""An ordinary word: lower-case, four letters or more (not a name, a number or a short function word)."""
