"""Triggers are found on lemmas; negated, threatened, planned and conditional ones are no events."""
import pytest

from warmonitor.extract.modality import non_event_reason
from warmonitor.extract.triggers import TriggerMatcher


@pytest.fixture(scope="module")
def matcher(lexicon):
    return TriggerMatcher(lexicon)


def types(nlp, matcher, text):
    return [(h.anchor.text, h.entry.nominal_type) for h in matcher.find(nlp(text))]


def test_longest_trigger_wins(nlp, matcher):
    assert types(nlp, matcher, "A suicide car bomb exploded at the gate.")[0] == ("bomb", "Suicide bomb")
    assert ("strike", "Air/drone strike") in types(nlp, matcher, "A drone strike hit the convoy.")


def test_phrases_with_a_gap(nlp, matcher):
    assert ("gained", "Non-state actor overtakes territory") in types(
        nlp, matcher, "The militants gained some ground in the north.")


def test_inflected_forms_match_their_lemma(nlp, matcher):
    found = types(nlp, matcher, "Rebels clashed with troops and shelled the airport.")
    assert ("clashed", "Armed clash") in found
    assert ("shelled", "Shelling/artillery/missile attack") in found


def reason(nlp, matcher, text, word):
    doc = nlp(text)
    hit = next(h for h in matcher.find(doc) if h.anchor.text == word)
    return non_event_reason(hit.anchor, matcher.lexicon)


@pytest.mark.parametrize("text, word", [
    ("The army denied shelling the village.", "shelling"),
    ("Militants threatened to storm the prison.", "storm"),
    ("If the army advances, the rebels will attack the base.", "attack"),
    ("The group did not attack the town.", "attack"),
    ("Officials fear the militants could seize the dam.", "seize"),
    ("The two sides had sporadically clashed in the area.", "clashed"),
])
def test_not_events(nlp, matcher, text, word):
    assert reason(nlp, matcher, text, word) is not None


@pytest.mark.parametrize("text, word", [
    ("Jets bombed the market on Monday, the monitor said.", "bombed"),
    ("Rebels clashed with troops near the airport.", "clashed"),
])
def test_asserted_events(nlp, matcher, text, word):
    assert reason(nlp, matcher, text, word) is None
