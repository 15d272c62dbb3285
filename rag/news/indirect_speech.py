"""Indirect speech: a sentence with a cue and no quote marks ("X mengatakan bahwa …", "menurut X,
…", "X said …", "according to X, …", "…, kata X.")."""

from __future__ import annotations

import re

from rag.news.lexicon import Lexicon
from rag.news.speaker_words import speaker_words, subject_before
from rag.news.speakers import Mention, read_chain
from rag.news.text_spans import MIN_STATEMENT_CHARS, MIN_STATEMENT_WORDS, WORD, Candidate, sentences, strip_end


def find_indirect(text: str, lex: Lexicon, direct: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    for s0, s1 in sentences(text):
        if any(a < s1 and s0 < b and (b - a) > 0.5 * (s1 - s0) for a, b in direct):
            continue  # the sentence is (mostly) a direct quote
        f = _indirect_in(text, s0, s1, lex)
        if f is not None and not any(a <= f.start < b for a, b in direct):
            found.append(f)
    return found


def _indirect_in(text: str, s0: int, s1: int, lex: Lexicon) -> Candidate | None:
    sentence = text[s0:s1]
    for phrase in lex.according_to:  # "Menurut X, …" / "According to X, …"
        m = re.search(rf"(?<!\w){re.escape(phrase)}\s+([^,]{{2,80}}),\s*(.+)", sentence, re.IGNORECASE | re.DOTALL)
        if m:
            f = Candidate(s0 + m.start(2), s0 + strip_end(sentence, m.end(2)), False, phrase, (s0 + m.start(), s0 + m.start(1) - 1))
            f.mention, f.mention_text, f.anchor = read_chain(speaker_words(m.group(1), lex), lex), m.group(1), s0
            return f if f.mention.kind != "none" else None
    words = list(WORD.finditer(sentence))
    for k, w in enumerate(words):
        cue = lex.cue_of(w.group(0))
        if cue is None or cue[1] and k == 0:
            continue
        head, rest = sentence[: w.start()], sentence[w.end() :]
        if cue[1] and not head.rstrip().endswith(","):
            continue  # "nilainya ditingkatkan": a folded cue only closes a statement ("…, katanya.")
        if head.rstrip().endswith(",") and k >= MIN_STATEMENT_WORDS:  # "…, kata Blinken, seraya …" / "…, he said."
            chain = speaker_words(rest, lex) if not cue[1] else ""
            mention = Mention("pronoun", w.group(0)) if cue[1] else read_chain(chain, lex)
            if mention.kind == "none" and not cue[1]:
                mention = read_chain(subject_before(head.rstrip(" ,").rsplit(",", 1)[-1], lex), lex)
            end = s0 + len(head.rstrip(" ,"))
            start = s0 + len(sentence) - len(sentence.lstrip())
            if mention.kind != "none" and end - start >= MIN_STATEMENT_CHARS:
                return Candidate(start, end, False, w.group(0).lower(), (s0 + w.start(), s0 + w.end()), mention, chain or w.group(0), s0)
            if cue[1]:
                continue
            # else "X, saat dihubungi, mengatakan, …": the subject comes before, as below
        subject = subject_before(head, lex)
        mention = read_chain(subject, lex) if subject else Mention("none")
        if mention.kind == "none" or w.group(0)[0].isupper():
            continue
        # "X told reporters that …" / "X mengatakan kepada wartawan bahwa …": after the complementiser.
        comp = "|".join(map(re.escape, lex.complementisers)) or "$^"
        body = re.match(rf"(?:[\s,:]*\S+){{0,5}}?[\s,:]*(?:{comp})\b[\s,:]*", rest, re.IGNORECASE) or re.match(r"[\s,:]*", rest)
        start = s0 + w.end() + (body.end() if body else 0)
        end = s0 + strip_end(sentence, len(sentence))
        if end - start >= MIN_STATEMENT_CHARS and len(WORD.findall(text[start:end])) >= MIN_STATEMENT_WORDS:
            return Candidate(start, end, False, w.group(0).lower(), (s0 + w.start(), s0 + w.end()), mention, subject, s0)
    return None
