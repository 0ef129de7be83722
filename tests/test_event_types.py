"""The main event's sub-event type, as a careful ACLED coder would give it, and "no event" for the rest.

The snippets are written for these tests; none is in the classifier's training data (checked below).
"""
from __future__ import annotations

import pytest

from warmonitor.model import Article

CASES = [
    # ACLED's precedence: a suicide car bomb is a Suicide bomb, not a Remote explosive
    ("A suicide bomber drove an explosives-laden pickup into the gate of an army base near Gao on Tuesday, "
     "killing four soldiers, the Malian army said.", "Suicide bomb"),
    # a place held for less than a day is an Armed clash
    ("Al Shabaab fighters briefly seized the town of Bulo Burde before dawn on Friday but were driven out by "
     "Somali troops a few hours later, residents said. Dozens were killed in the fighting.", "Armed clash"),
    ("Russian forces fired Grad rockets at residential blocks in Nikopol overnight, wounding three people, "
     "the regional governor said on Telegram.", "Shelling/artillery/missile attack"),
    ("Gunmen on motorbikes stormed the village of Tillia in western Niger on Sunday and shot dead 19 "
     "villagers, a local official said.", "Attack"),
    ("Thousands of teachers marched peacefully through Nairobi on Monday to demand overdue pay.",
     "Peaceful protest"),
    ("The warring parties in South Sudan's Upper Nile signed a ceasefire on Thursday under a deal mediated by "
     "church leaders.", "Agreement"),
]
NOT_EVENTS = [
    "A magnitude 6.1 earthquake struck eastern Afghanistan on Tuesday, killing at least 30 people and "
    "flattening mud-brick homes, officials said.",
    "Seventeen passengers died when an overloaded bus plunged into a ravine in Nepal's Dhading district.",
    "Striker Mohamed Salah fired a late shot that killed off Tottenham's hopes as Liverpool won the derby 2-0.",
    "The foreign ministers of Armenia and Azerbaijan met in Washington on Monday and pledged to keep talking.",
    "Police in Lagos arrested three men suspected of robbing a bank and seized two pistols.",
    "Voters in Senegal went to the polls on Sunday in a presidential election seen as a test of democracy.",
]


@pytest.mark.parametrize("text, expected", CASES)
def test_the_main_event_gets_its_acled_sub_event_type(pipeline, text, expected):
    assert not pipeline.type_model.was_trained_on(text)
    events = pipeline.process(Article(id="t", text=text)).events
    assert events and events[0].sub_event_type == expected


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_what_is_not_political_violence_is_no_event(pipeline, text):
    assert pipeline.process(Article(id="t", text=text)).events == []


@pytest.fixture(scope="module")
def rules_only(actor_kb):
    """The rules without the classifier: what the trigger lexicon alone makes of a sentence."""
    from warmonitor.pipeline import Pipeline

    return Pipeline.load(actor_kb=actor_kb, type_model=None)


# A strike by workers or hunger strikers is a protest, never a strike from the air; an agreement counts only
# when it belongs to a conflict. Both were common false alarms on real wire copy.
RULE_CASES = [
    ("About 300 dock workers began a hunger strike outside the port authority in Mombasa on Monday over "
     "unpaid wages.", "Peaceful protest"),
    ("A general strike shut shops and schools across Dhaka on Sunday as opposition parties pressed for a "
     "caretaker government.", "Peaceful protest"),
    ("Hundreds of farmers blocked the highway linking Lahore and Islamabad on Friday to protest wheat prices.",
     "Peaceful protest"),
    ("Government negotiators and ELN rebels agreed on Tuesday to a 90-day ceasefire in Colombia's Choco "
     "department.", "Agreement"),
    ("Israeli jets carried out a strike on a Hezbollah depot near Nabatieh overnight, the army said.",
     "Air/drone strike"),
    # a bombing is told by its weapon, whoever it hit; a state's bombing comes from the air
    ("A car bombing outside a courthouse in Kirkuk killed six people on Wednesday.",
     "Remote explosive/landmine/IED"),
    ("A suicide truck bombing at a checkpoint near Baidoa killed nine soldiers, the army said.", "Suicide bomb"),
    ("The Syrian government's bombing of Maarat al-Numan killed eleven civilians, rescuers said.",
     "Air/drone strike"),
    # curfews, emergencies and mass graves are ACLED's "Other" strategic developments
    ("The governor imposed a dusk-to-dawn curfew on Kaduna city on Sunday after a night of unrest.", "Other"),
    ("Ethiopia's cabinet declared a six-month state of emergency in the Amhara region on Friday.", "Other"),
    ("Police found a mass grave with at least 25 bodies on the outskirts of Bunia, local officials said.",
     "Other"),
    # the generic "strike" does not make a missile aerial
    ("A Russian missile strike on an apartment block in Dnipro killed five residents overnight.",
     "Shelling/artillery/missile attack"),
]
RULE_NOT_EVENTS = [
    "Kenya and Tanzania agreed on Wednesday to cut tariffs on cross-border maize trade.",
    "The two ministers signed a deal to build a gas pipeline between Algeria and Nigeria.",
]


@pytest.mark.parametrize("text, expected", RULE_CASES)
def test_the_rules_read_strikes_and_agreements_by_their_context(rules_only, text, expected):
    events = rules_only.process(Article(id="t", text=text)).events
    assert events and events[0].sub_event_type == expected


@pytest.mark.parametrize("text", RULE_NOT_EVENTS)
def test_trade_and_diplomatic_agreements_are_no_event(rules_only, pipeline, text):
    assert rules_only.process(Article(id="t", text=text)).events == []
    assert pipeline.process(Article(id="t", text=text)).events == []


def test_a_date_in_the_triggers_own_phrase_dates_the_event(rules_only):
    """"After Tuesday's air strike" dates the strike; "buried ... on Thursday" dates only the burial."""
    from datetime import date

    text = ("Mourners in Saraqib buried nine people on Thursday after Tuesday's air strike on the town's "
            "vegetable market.")
    events = rules_only.process(Article(id="t", text=text, published=date(2019, 5, 16))).events
    assert events[0].sub_event_type == "Air/drone strike" and events[0].event_date == date(2019, 5, 14)
