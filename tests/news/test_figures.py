"""The changing-figure rule on hand-made evidence (the logic alone; tests/news/test_temporal_real.py runs it
through the pipeline on a real index)."""

from __future__ import annotations

from rag.evidence import Evidence
from rag.news.figures import reconcile
from rag.types import AnswerSentence, Hit, Passage


def sentence(source: int, text: str, date: str, lang: str = "en") -> Evidence:
    hit = Hit(Passage(f"a{source}", 0, 0, len(text), text, id=source), 1.0, title="t", date=date, lang=lang)
    return Evidence(source, 0, len(text), text, 0.0, hit)


OLD = sentence(1, "The ministry said 30,000 people have been killed.", "2024-03-18")
NEW = sentence(2, "The ministry said 31,000 people have been killed.", "2024-03-22")


def test_an_older_figure_cited_alone_gives_way_to_the_newest() -> None:
    out, spans = reconcile([AnswerSentence(OLD.text, (1,))], {1: (0, len(OLD.text))}, [OLD, NEW], "en")
    assert [s.text for s in out] == [NEW.text, "Earlier reports: 30,000 people (18 March)."]
    assert [s.citations for s in out] == [(2,), (1,)]
    assert set(spans) == {1, 2}


def test_indonesian_notation_and_words() -> None:
    old = sentence(1, "Sebanyak 30.000 orang tewas di Gaza.", "2024-03-18", "id")
    new = sentence(2, "Sebanyak 31.000 orang tewas di Gaza.", "2024-03-22", "id")
    out, _ = reconcile([AnswerSentence(new.text, (2,))], {}, [old, new], "id")
    assert [s.text for s in out] == [new.text, "Laporan sebelumnya: 30.000 orang (18 Maret)."]


def test_figures_that_agree_or_share_a_date_are_left_alone() -> None:
    same = sentence(3, "Officials confirmed 31,000 people have been killed.", "2024-03-18")
    sentences = [AnswerSentence(NEW.text, (2,))]
    assert reconcile(sentences, {}, [NEW, same], "en")[0] == sentences  # same number
    same_day = sentence(4, "Another count gave 29,000 people killed.", "2024-03-22")
    assert reconcile(sentences, {}, [NEW, same_day], "en")[0] == sentences  # same date: not a change over time
    unrelated = [AnswerSentence("The talks resumed in Cairo.", (2,))]
    assert reconcile(unrelated, {}, [OLD, NEW], "en")[0] == unrelated  # the answer states no figure


def test_the_stamp_never_makes_an_eval_answer_right() -> None:
    from rag.evaluate import QAItem, score
    from rag.types import Answer, Source

    hit = NEW.hit
    answer = Answer("When?", "When?", "As of 22 March 2024: the ministry said so. [1]", (AnswerSentence("the ministry said so.", (1,)),),
                    (Source(1, hit),), False, "extractive", as_of="2024-03-22", stamp="As of 22 March 2024")  # fmt: skip
    item = QAItem(id="q", question="When?", answers=("22 March 2024",), gold_doc_ids=frozenset({"a2"}), impossible=False)
    assert not score(item, answer).correct
