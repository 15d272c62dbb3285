"""Follow-up questions resolved by code: "he" → Blinken, "there" → Cairo, "then" → 2005.

The previous turn's people, places and dates are carried into the next question, so a follow-up
works with every backend (extractive too), and a model's condensed question is checked to keep
them (the 1.5B model drops names often enough to matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.coverage import question_entities
from rag.languages import language

_DATE = re.compile(r"\b\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\b|\b[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\b|\b(?:1[5-9]|20)\d{2}\b")


@dataclass(frozen=True)
class Referents:
    """What the previous turn was about."""

    person: str | None = None
    place: str | None = None
    time: str | None = None


def referents(previous_question: str, previous_span: str | None, lang: str | None) -> Referents:
    """The people, places and dates of the previous turn (its question, and its answer's span)."""
    cues = language(lang).place_cues
    person = place = None
    for entity in question_entities(previous_question):
        before = previous_question[: previous_question.find(entity)].split()
        if before and before[-1].lower() in cues:
            place = place or entity
        else:
            person = person or entity
    dates = _DATE.findall(previous_question) or (_DATE.findall(previous_span) if previous_span else [])
    return Referents(person, place, dates[0] if dates else None)


def resolve(question: str, previous: Referents, lang: str | None) -> tuple[str, tuple[str, ...]]:
    """``question`` with its pointers to the previous turn replaced by the names, and those names."""
    entry = language(lang)
    values = {"person": previous.person, "possessive": previous.person, "place": previous.place, "time": previous.time}
    carried: list[str] = []
    text = question
    for kind, patterns in entry.references.items():
        value = values.get(kind)
        if not value:
            continue
        for pattern in patterns:
            match = re.search(pattern, text, re.IGNORECASE)
            if match is None:
                continue
            replacement = f"{value}'s" if kind == "possessive" else value
            before = text[: match.start()].split()
            if kind == "place" and entry.place_cues and not (before and before[-1].lower() in entry.place_cues):
                replacement = f"{entry.place_cues[0]} {value}"  # "meet there" → "meet in Cairo"
            text = text[: match.start()] + replacement + text[match.end() :]
            carried.append(value)
            break
    return text, tuple(dict.fromkeys(carried))


def keeps(condensed: str, carried: tuple[str, ...]) -> bool:
    """The condensed question still names everything the previous turn carried into it."""
    lowered = condensed.lower()
    return all(value.lower() in lowered for value in carried)
