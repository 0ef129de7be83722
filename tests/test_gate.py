"""The sentence gate (`extract --sentence-gate`): only sentences that can hold an event, and the context later
stages read, are parsed.

A sentence is a candidate when it holds every word of some trigger pattern, in any inflection, or a word of
control. Candidates, the sentence before each, and the lead are parsed; the rest is blanked out with spaces,
so offsets stay offsets into the article and the events are the ones a whole parse finds. It is not the
default: places named only in skipped sentences are lost (bench/gate_recall.py measures the cost)."""
from __future__ import annotations

import datetime

import pytest

from warmonitor.cli import main
from warmonitor.model import Article
from warmonitor.nlp.gate import SentenceGate

# Written for this test: two attacks, with two sentences of scenery between them.
ATARIB = ("ALEPPO - Government jets struck the town of Atarib in western Aleppo province on Monday, killing five "
          "civilians, a war monitor said. The town lies on the road to the Turkish border. Its olive groves were "
          "once known across the region.\nResidents said the market had reopened last spring. Rebels shelled "
          "government positions in Aleppo city on Tuesday, the monitor added.")
SCENERY = ("The town lies on the road to the Turkish border.", "Its olive groves were once known across the region.")


@pytest.fixture(scope="module")
def gate(pipeline):
    return SentenceGate.build(pipeline.nlp, pipeline.lexicon)


@pytest.fixture
def gated_parse(pipeline, gate):
    """The session's pipeline with the gate set, for one call; put back as it was afterwards."""
    def process(article: Article):
        before, pipeline.gate = pipeline.gate, gate
        try:
            return pipeline.process(article)
        finally:
            pipeline.gate = before
    return process


def test_trigger_words_count_in_any_inflection_and_a_phrase_needs_all_its_words(gate):
    holds = gate.holds_trigger
    assert holds({"rebels", "seized", "the", "base"})
    assert holds({"a", "car", "bombs"}) and not holds({"a", "car", "parked"})
    assert holds({"water", "cannons"}) and not holds({"water", "was", "short"})
    assert holds({"rebels", "control", "the", "town"})  # control statements are read too
    assert not holds({"its", "olive", "groves", "were", "known"})


def test_candidates_the_sentence_before_each_and_the_lead_are_parsed(gate):
    decision = gate.decide(ATARIB)
    assert decision.parsed == [True, False, False, True, True]
    blanked = decision.blanked(ATARIB)
    assert len(blanked) == len(ATARIB) and blanked.count("\n") == ATARIB.count("\n")
    for sentence in SCENERY:
        start = ATARIB.index(sentence)
        assert blanked[start:start + len(sentence)].strip() == ""
    kept = [(s, e) for (s, e), parse in zip(decision.sentences, decision.parsed) if parse]
    assert all(blanked[s:e] == ATARIB[s:e] for s, e in kept)


def test_a_gated_article_codes_the_events_of_a_whole_parse(pipeline, gated_parse):
    article = Article(id="atarib", text=ATARIB, published=datetime.date(2019, 5, 15))
    gated, whole = gated_parse(article), pipeline.process(article)
    assert gated.sentences_skipped == 2 and whole.sentences_skipped == 0
    assert [e.sub_event_type for e in gated.events] == ["Air/drone strike", "Shelling/artillery/missile attack"]
    assert gated.events == whole.events
    # sentence numbers count the skipped sentences, and every offset is an offset into the article
    shelling = gated.events[1]
    assert {ev.sentence for ev in shelling.evidence} == {4}
    for ev in (ev for e in gated.events for ev in e.evidence):
        assert ev.text == ATARIB[ev.start:ev.end]
    assert all(ATARIB[p.start:p.end] == p.text for p in gated.places)


def test_a_report_of_nothing_but_conflict_is_parsed_whole(gate):
    text = "Rebels shelled the town on Monday. Jets struck a market. Two soldiers were killed in clashes."
    decision = gate.decide(text)
    assert decision.skipped == 0 and decision.blanked(text) is text


def test_extract_asks_for_the_gate_by_option(tmp_path):
    report = tmp_path / "atarib.txt"
    report.write_text(ATARIB, encoding="utf-8")
    whole, gated = tmp_path / "whole.jsonl", tmp_path / "gated.jsonl"
    assert main(["extract", str(report), "-o", str(whole)]) == 0
    assert main(["extract", str(report), "--sentence-gate", "-o", str(gated)]) == 0
    assert gated.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8") != ""
