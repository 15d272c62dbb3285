"""Refusal on news: the evidence must name what the question is about."""

from __future__ import annotations

from pathlib import Path

from rag.chat import AnswerSettings, ChatPipeline
from rag.citations import SupportSettings
from rag.coverage import CoverageSettings, coverage, question_entities
from rag.evidence import EvidenceSettings
from rag.index import Index
from rag.prompting import CANNOT_ANSWER
from rag.retrieval import Retriever
from tests.helpers import make_article

PASSAGE = "Pesawat Air France tergelincir di Bandara Internasional Pearson, Toronto, Kanada, pada 2 Agustus 2005."


def test_question_entities_leave_out_question_words_and_titles() -> None:
    assert question_entities("In which country is Pearson International Airport?") == ["Pearson International Airport"]
    assert question_entities("When did President Susilo Bambang Yudhoyono visit Cairo in March?") == ["Susilo Bambang Yudhoyono", "Cairo"]


def test_the_same_names_are_found_across_languages() -> None:
    found = coverage("Where in Canada did the Air France plane crash in 2005?", PASSAGE)
    assert found.missing == () and found.entities_found == 1.0 and found.enough(CoverageSettings())


def test_a_changed_name_or_year_is_not_covered() -> None:
    found = coverage("Where did the Lufthansa plane crash in 2019?", PASSAGE)
    assert found.missing == ("Lufthansa", "2019") and not found.enough(CoverageSettings())
    assert coverage("Where did the Air France plane crash in 2019?", PASSAGE).partial_message("en") == (
        "The sources mention Air France, but not 2019."
    )


def _ask(tmp_path: Path, question: str) -> str:
    with Index.create(tmp_path / "ix", embedder="hashing") as ix:
        ix.add([make_article(PASSAGE, "Kecelakaan Air France", source="Kompas", lang="id")])
        low = AnswerSettings(k=1, evidence=EvidenceSettings(min_score=0.0, min_score_cross_lingual=0.0),
                             support=SupportSettings(accept=0.05, reject=0.05))  # fmt: skip
        answer = ChatPipeline(Retriever(ix), settings=low).ask(question)
    return answer.text if not answer.refused else f"refused: {answer.text}"


def test_the_pipeline_refuses_what_the_sources_do_not_name(tmp_path: Path) -> None:
    assert _ask(tmp_path, "Where did the Lufthansa plane crash in Reykjavik?") == f"refused: {CANNOT_ANSWER['en']}"
    # A named year is the event's, not a publication window: checked against the date the passage gives the crash.
    assert _ask(tmp_path / "b", "Where did the Air France plane crash in 2019?") == "refused: The sources report Air France from August 2005, but nothing from 2019."
    assert not _ask(tmp_path / "d", "Where did the Air France plane crash in August 2005?").startswith("refused")
    assert _ask(tmp_path / "c", "Where did the Air France plane crash?").startswith("Bandara Internasional Pearson [1] — from the Indonesian")


def test_spellings_that_differ_between_languages_name_the_same_thing() -> None:
    found = coverage("When did Iraq hold the referendum of the Ecuadorian party?", "Irak menggelar referendum partai Ekuador.")
    assert found.missing == () and found.entities_found == 1.0
    assert coverage("When did Winnipeg hold the referendum?", "Irak menggelar referendum di Wina.").missing == ("Winnipeg",)
