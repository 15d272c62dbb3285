"""The answer span as the asker reads it: numbers in the asker's notation, month and day names and
plain news words in the asker's language; names stay as the source writes them."""

from __future__ import annotations

import re

from rag.answer_span import _DAY, _MONTH, _NUMBER, Span
from rag.languages import Language, language, number_words


def render_span(span: Span, asker: Language, source_lang: str | None) -> str:
    """The span as the asker reads it: numbers in the asker's notation, month names in the asker's language."""
    text = span.text
    source = language(source_lang)
    if source.code == asker.code:
        return text
    if re.fullmatch(r"\d{1,2}/\d{1,2}", text) and source.code != "en":  # day/month outside English
        day, month = text.split("/")
        names = {n: name for name, n in asker.months.items()}
        if 1 <= int(month) <= 12:
            return f"{int(day)} {names[int(month)].title()}"
    if source.decimal == ",":  # a decimal number split at its comma by tokenised text: "Rp 3, 717 miliar"
        text = re.sub(r"(?<=\d), (?=\d)", ",", text)
    if source.decimal != asker.decimal:
        text = re.sub(_NUMBER, lambda m: _renotate(m.group(), source, asker), text)
    months_by_number = {n: name for name, n in asker.months.items()}
    for name, number in source.months.items():
        if number in months_by_number:
            text = re.sub(rf"\b{name}\b", months_by_number[number].title(), text, flags=re.IGNORECASE)
    if source.code == "en":  # the other English words for the glossary's meanings: "over 345" is "more than 345"
        text = re.sub(r"\b(over|around|almost)(?=\s+\d)", lambda m: _ENGLISH_SAME[m.group(1).lower()], text, flags=re.IGNORECASE)
    for meaning, word in source.glossary.items():
        if meaning in asker.glossary and word != asker.glossary[meaning]:
            text = re.sub(rf"\b{re.escape(word)}\b", asker.glossary[meaning], text, flags=re.IGNORECASE)
    if source.code == "id" and asker.code == "en":
        text = _joins_rendered(text)
    text = _places_rendered(text, asker.code)
    return _ordinary_words_rendered(text, source.code, asker.code)


def _places_rendered(text: str, asker: str) -> str:
    """A span that is a place, or a list with places, named as the asker's language names them
    ("Korea Selatan" → "South Korea"; "Arab Saudi and Kuwait" → "Saudi Arabia and Kuwait"). A place
    inside a longer name stays: "Partai Demokratik Jepang" is that party's name."""
    from rag.news.lexicon import place_name_in
    from rag.places import canonical_place

    members = re.split(r"(, | and | or | dan | atau )", text)
    members[::2] = [((canonical := canonical_place(m)) and place_name_in(canonical, asker)) or m for m in members[::2]]
    return "".join(members)


_NUMERAL = r"(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten)"
_RANGE = re.compile(rf"\b({_NUMERAL}) (?:hingga|sampai) (?={_NUMERAL}\b)")
_NAME = r"[A-Z][\w\-']*(?: [A-Z][\w\-']*)?"
_LIST = re.compile(rf"^(?P<first>{_NAME}(?:, {_NAME})*),? (?P<join>dan|atau) (?P<rest>[A-Z].*)$")


def _joins_rendered(text: str) -> str:
    """An Indonesian span's joins in English: a range "five hingga ten" is "five to ten"; amounts or a
    list of names joined by "dan" ("Kesultanan Banten dan Kesultanan Palembang", "3.4 percent dan
    6.35 percent") are joined by "and". A name with "dan" inside it stays as it is: one of an
    institution ("Departemen Kebudayaan dan Pariwisata") or of three words or more before it
    ("Asosiasi Industri Permebelan dan Kerajinan Indonesia")."""
    text = _RANGE.sub(r"\1 to ", text)
    text = re.sub(rf"(?<=\w) dan (?={_NUMERAL}\b)", " and ", text)
    m = _LIST.match(text)
    if m is None:
        return text
    first_word = m.group("first").split()[0]
    if _is_institution(first_word) and m.group("rest").split()[0] != first_word:
        return text
    return f"{m.group('first')} {'and' if m.group('join') == 'dan' else 'or'} {m.group('rest')}"


def _is_institution(word: str) -> bool:
    """"Departemen", "Badan", "Komisi": a word that opens the name of one body (answer_kinds' kinds of body)."""
    from rag.answer_kinds import kind_words

    return word.lower() in kind_words("organisation", "ministry", "department", "agency", "body", "council", "commission",
                                      "committee", "party", "association", "university", "institution", "company")  # fmt: skip


_ENGLISH_SAME = {"over": "more than", "around": "about", "almost": "nearly"}


def _ordinary_words_rendered(text: str, source: str, asker: str) -> str:
    """A span of nothing but news words and numbers ("Kamis", "one perunggu") in the asker's words
    ("Thursday", "one bronze"), by the translation glossary. A span with a name keeps every word:
    "Sungai Lematang" is a name, not "river Lematang"."""
    from rag.translation_terms import Glossary

    glossary = Glossary.between(source, asker)
    if glossary is None:
        return text
    rendered = []
    done = {w for phrase in language(asker).glossary.values() for w in phrase.split()}  # "nearly", rendered already
    for word in text.split():
        terms = glossary.terms_in(word)
        if re.fullmatch(r"[\d.,%]+", word) or word.lower() in number_words() or word.lower() in done:
            rendered.append(word)
        elif len(terms) == 1 and terms[0].source.lower() == word.lower().strip(".,"):
            first = terms[0].renderings[0]
            rendered.append(first.capitalize() if word[:1].isupper() and first[:1].isalpha() and _DAY_OR_MONTH.match(word) else first)
        else:
            return text
    return " ".join(rendered)


_DAY_OR_MONTH = re.compile(rf"(?i:{_DAY}|\b{_MONTH}\b)")


def _renotate(number: str, source: Language, asker: Language) -> str:
    """"2.693" (Indonesian) → "2,693" (English); "3,4" → "3.4"."""
    placeholder = number.replace(source.thousands, "\0").replace(source.decimal, "\1")
    return placeholder.replace("\0", asker.thousands).replace("\1", asker.decimal)
