"""Where a question and a sentence say something happened (rag/places.py), and what that decides:
evidence for "… in Cairo?" and support for a claim "… in Cairo."."""

from __future__ import annotations

from rag.citations import SupportChecker, SupportSettings, check_citations
from rag.embedding import create_embedder
from rag.evidence import EvidenceSettings, SentenceBank, SentenceVectors, rank_sentences, select_evidence
from rag.places import asked_places, elsewhere, recognised, sentence_places
from rag.types import Hit, Passage

CAIRO_ARTICLE = (
    "Cairo, Gatra.com - Menteri Luar Negeri Amerika Serikat Antony Blinken pada hari Kamis berbicara tentang Rafah. "
    "Blinken menuju Israel pada hari Jumat untuk bertemu dengan Perdana Menteri Benjamin Netanyahu. "
    "Hal itu dikatakan Blinken dalam konferensi pers di Kairo bersama Menteri Luar Negeri Mesir Sameh Shoukry. "
    "Perundingan akan dilanjutkan pekan depan."
)


def test_the_places_a_question_asks_about_follow_its_place_cues() -> None:
    assert asked_places("Who did Blinken meet in Cairo?", "en") == ("Cairo",)
    assert asked_places("Siapa yang ditemui Blinken di Kairo?", "id") == ("Kairo",)
    assert asked_places("Who did Blinken meet?", "en") == ()
    assert asked_places("When did Lubis report to KONI after the championships in Fukui, Japan?", "en") == ()


def test_a_sentence_places_its_event_after_a_locative_not_in_its_dateline() -> None:
    assert sentence_places("Blinken menuju Israel pada hari Jumat.") == ["Israel"]
    assert sentence_places("Stockholm, Rabu - Tiga ilmuwan memenangi Nobel Kimia.") == []  # where it was filed
    assert sentence_places("Blinken met Netanyahu and the Israeli Cabinet in Cairo.") == ["Cairo"]
    assert sentence_places("Blinken spoke in March.") == []  # a month is not a place


def test_a_sentence_about_another_place_is_elsewhere_one_naming_the_place_in_any_spelling_is_not() -> None:
    assert elsewhere("Blinken menuju Israel untuk bertemu dengan Netanyahu.", ["Cairo"])
    assert not elsewhere("Blinken berbicara di Kairo bersama Sameh Shoukry.", ["Cairo"])
    assert not elsewhere("Menlu Mesir menyambut Blinken di Istana.", ["Egypt"])  # Mesir is Egypt
    assert not elsewhere("Blinken bertemu dengan Sameh Shoukry.", ["Cairo"])  # no place: nothing against it
    assert not elsewhere("Blinken menuju Israel.", [])


def test_only_names_known_as_places_constrain_a_question() -> None:
    passages = ["Jakarta, Kompas - Peneliti dari Bandung meraih penghargaan di Surabaya.", "Blinken tiba di Kairo."]
    assert recognised(["Chemistry", "Surabaya", "Cairo", "Egypt"], passages) == ("Surabaya", "Cairo", "Egypt")


def _bank() -> tuple[SentenceBank, SupportChecker]:
    embedder = create_embedder("hashing")
    hit = Hit(Passage("gatra", 0, 0, len(CAIRO_ARTICLE), CAIRO_ARTICLE, id=1), 1.0, title="Menlu AS", lang="id")
    return SentenceBank.build([hit], SentenceVectors(embedder)), SupportChecker(embedder, settings=SupportSettings(accept=-1.0, reject=-1.0))


def test_a_sentence_about_another_place_is_not_evidence_for_a_question_about_this_one() -> None:
    bank, checker = _bank()
    question = "Who did Blinken meet in Cairo?"
    lenient = EvidenceSettings(min_score_cross_lingual=-1.0, margin=2.0, max_sentences=4)
    chosen = select_evidence(rank_sentences(question, bank, checker.embedder, lenient, cross_lingual=True,
                                            elsewhere=lambda s: elsewhere(s, ["Cairo"])), lenient)  # fmt: skip
    assert chosen and not any("Israel" in e.text for e in chosen)
    every = select_evidence(rank_sentences(question, bank, checker.embedder, lenient, cross_lingual=True), lenient)
    assert any("Israel" in e.text for e in every)  # the filter, not the scores, kept it out


def test_a_claim_about_a_place_is_not_supported_by_a_sentence_about_another() -> None:
    bank, checker = _bank()  # every similarity accepted: only the place decides
    (claim,), _ = check_citations([("Blinken met Benjamin Netanyahu in Cairo.", (1,))], bank, checker)
    (plain,), spans = check_citations([("Blinken met Benjamin Netanyahu.", (1,))], bank, checker)
    assert plain.supported and "Israel" in CAIRO_ARTICLE[slice(*spans[1])]
    assert not claim.supported


def test_a_place_named_only_in_a_clause_about_another_event_does_not_place_the_sentence() -> None:
    from rag.places import elsewhere

    wire = ("TEL AVIV, Israel — Secretary of State Antony Blinken arrived in Israel on Friday for meetings with Prime Minister "
            "Benjamin Netanyahu, a day after telling reporters in Cairo that a major offensive in Rafah would be a mistake.")
    assert elsewhere(wire, ["Cairo"])
    assert not elsewhere("After arriving from Riyadh, Blinken met Sameh Shoukry in Cairo.", ["Cairo"])
    assert not elsewhere("Blinken berbicara di Kairo setelah bertemu pejabat di Riyadh.", ["Cairo"])
