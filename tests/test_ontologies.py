"""Every event also carries PLOVER, CAMEO and UCDP codes, read from data/taxonomy/ontologies.json."""
from __future__ import annotations

import pytest

from warmonitor.extract.lexicon import load_json
from warmonitor.extract.ontologies import OntologyMap
from warmonitor.model import Article


@pytest.fixture(scope="module")
def ontologies():
    return OntologyMap.load()


def test_every_acled_sub_event_type_has_a_plover_type_mode_and_a_known_cameo_root(ontologies):
    data = load_json("taxonomy/ontologies.json")
    for sub in load_json("taxonomy/acled.json")["sub_event_types"]:
        codes = ontologies.codes(sub)
        assert codes.plover_type in data["plover_types"], sub
        assert codes.plover_mode, sub
        assert codes.cameo_root in data["cameo_roots"], sub


def test_an_air_strike_on_civilians_is_a_plover_aerial_assault_and_on_fighters_a_fight(ontologies):
    on_market = ontologies.codes("Air/drone strike", inter1=1, inter2=7, civilian_targeting=True)
    assert (on_market.plover_type, on_market.plover_mode, on_market.cameo_root) == ("ASSAULT", "aerial", "19")
    assert on_market.ucdp_type_of_violence == 3
    on_rebels = ontologies.codes("Air/drone strike", inter1=1, inter2=2)
    assert (on_rebels.plover_type, on_rebels.ucdp_type_of_violence) == ("FIGHT", 1)


def test_the_words_of_the_sentence_sharpen_the_mode(ontologies):
    assert ontologies.codes("Air/drone strike", words=["a", "drone", "hit"]).plover_mode == "drone"
    hunger = ontologies.codes("Peaceful protest", words=["began", "a", "hunger", "strike"])
    assert hunger.plover_mode == "strike-hun"
    ceasefire = ontologies.codes("Agreement", words=["agreed", "a", "ceasefire"])
    assert (ceasefire.plover_mode, ceasefire.cameo_root) == ("ceasefire", "08")
    intercepted = ontologies.codes("Disrupted weapons use", words=["air", "defences", "intercepted"])
    assert (intercepted.plover_type, intercepted.plover_mode) == ("FIGHT", "intercept")


@pytest.mark.parametrize("sub, inter1, inter2, expected", [
    ("Armed clash", 1, 2, 1),  # government forces against rebels: state-based
    ("Armed clash", 2, 3, 2),  # rebels against a militia: non-state
    ("Armed clash", 3, 1, 1),
    ("Attack", 3, 7, 3),  # militia against villagers: one-sided
    ("Excessive force against protesters", 1, 6, 3),
    ("Remote explosive/landmine/IED", None, None, None),  # nobody known on either side: UCDP's type is unknown
    ("Peaceful protest", 6, None, None),  # UCDP counts organised lethal violence only
    ("Arrests", 1, 6, None),
])
def test_ucdp_type_of_violence_follows_the_sides(ontologies, sub, inter1, inter2, expected):
    civilian = inter2 == 7
    assert ontologies.codes(sub, inter1, inter2, civilian_targeting=civilian).ucdp_type_of_violence == expected


def test_the_pipeline_codes_each_event_in_all_four_ontologies(pipeline):
    text = ("Government warplanes bombed a busy market in the town of Maarat al-Numan in Idlib province on "
            "Monday, killing 14 civilians, rescue workers said.")
    event = pipeline.process(Article(id="t", text=text)).events[0]
    assert event.sub_event_type == "Air/drone strike" and event.civilian_targeting == "Civilian targeting"
    assert (event.plover_type, event.plover_mode, event.cameo_code, event.ucdp_type_of_violence) == \
        ("ASSAULT", "aerial", "19", 3)
