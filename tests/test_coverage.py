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
    # the place lexicon's exonyms, for a name or a word of it; a question's "Since" is no name
    found = coverage("Since when has Cyprus been divided between Turkish Cyprus and Greek Cyprus?", "Siprus terbagi dua sejak 1974.")
    assert found.missing == () and found.covered == ("Cyprus", "Turkish Cyprus", "Greek Cyprus")
    assert coverage("Who won Egypt's election?", "Hosni Mubarak menang pemilu Mesir.").missing == ()


def test_a_full_name_the_sources_never_write_is_missing_however_much_else_is_found() -> None:
    found = coverage("Which airport in Toronto did Chidi Okonkwo fly from?", PASSAGE)
    assert found.names_absent == ("Chidi Okonkwo",) and not found.enough(CoverageSettings())
    assert found.partial_message("en") == "The sources mention Toronto, but not Chidi Okonkwo."
    # the person's first name alone is someone else
    assert coverage("Who is Hendra Simanjuntak?", "Hendra Setiawan meraih medali emas.").names_absent == ("Hendra Simanjuntak",)
    assert coverage("Who is Hendra Setiawan?", "Hendra Setiawan meraih medali emas.").names_absent == ()


def test_a_names_translated_words_and_spellings_do_not_make_it_absent() -> None:
    # ordinary words are translated ("Gulf", "Republic"); an exonym is a known spelling ("Cyprus" is "Siprus")
    assert coverage("When did the storm reach the Gulf of Mexico?", "Badai mencapai Teluk Meksiko.").names_absent == ()
    found = coverage("How large is the Turkish Republic of Northern Cyprus?", "Republik Turki Siprus Utara seluas 3.355 km2.")
    assert found.names_absent == ()
    # a name's own word written a little differently across languages ("Kurdistan", "Kurdi")
    assert coverage("Who leads the Kurdistan Workers Party?", "Partai Pekerja Kurdi dipimpin Ocalan.").names_absent == ()


def test_the_asker_languages_dictionary_tells_a_names_own_words() -> None:
    text = "Foreign Minister Sameh Shoukry met Blinken in Cairo."
    assert coverage("Siapa yang ditemui Chidi Okonkwo di Kairo?", text, lang="id").names_absent == ("Chidi Okonkwo",)
    assert coverage("Siapa yang ditemui Menteri Luar Negeri di Kairo?", text, lang="id").names_absent == ()


def test_the_pipeline_refuses_a_question_about_someone_the_sources_never_name(tmp_path: Path) -> None:
    assert _ask(tmp_path, "Where did the Air France plane carrying Margarethe Lindqvist crash?") == (
        "refused: The sources mention Air France, but not Margarethe Lindqvist."
    )


def test_a_surname_alone_is_not_the_person_but_the_article_may_name_them_in_full() -> None:
    passage = "Shoukry bertemu Blinken di Kairo."
    assert coverage("Who did Sameh Shoukry meet?", passage).names_absent == ("Sameh Shoukry",)
    article = "Menlu Mesir Sameh Shoukry menyambut Blinken. " + passage
    assert coverage("Who did Sameh Shoukry meet?", passage, names_text=article).names_absent == ()
    # only alike: another person
    assert coverage("Who did Kenji Matsumura meet?", "Koichiro Matsuura bertemu menteri.").names_absent == ("Kenji Matsumura",)


def test_a_number_is_found_however_the_source_writes_it() -> None:
    six = "Demam berdarah di Solo telah menewaskan enam orang."
    # in words ("enam orang"), as a decimal split at its comma ("111, 5 persen"), as a Roman numeral ("WIG IV")
    assert coverage("What disease had killed 6 people in Solo?", six).enough(CoverageSettings())
    assert not coverage("Which province reached 111.5 percent?", "DKI Jakarta (111, 5 persen) dan Riau (103 persen).").numbers_missing
    assert not coverage("Where are the 4th Women's Islamic Games held?", "Women's Islamic Games (WIG) IV di Teheran.").numbers_missing
    assert coverage("What disease had killed 7 people in Solo?", six).numbers_missing == ("7",)  # another number is still missing


def test_a_name_of_ordinary_words_translated_by_the_sources_is_neither_found_nor_missing() -> None:
    mars = "Tahun ini Planet Merah Mars kembali akan beroposisi dengan Bumi."
    question = "Which planet will be in opposition with the Earth again this year?"
    assert not coverage(question, mars, lang="en").enough(CoverageSettings())  # same language: "Earth" would be written
    found = coverage(question, mars, lang="en", translated=True)
    assert found.missing == () and found.enough(CoverageSettings())
    # a name's own words are still looked for: a changed person is not covered
    assert not coverage("When did Chidi Okonkwo see the Earth?", mars, lang="en", translated=True).enough(CoverageSettings())
