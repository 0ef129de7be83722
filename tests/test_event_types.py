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
