"""The world gazetteer and the resolver's use of an article's whole geography (sentences written for these tests)."""
from __future__ import annotations

import pytest

from warmonitor.model import Article
from warmonitor.resolve.gazetteer import km
from warmonitor.resolve.places import Gazetteer, PlaceResolver


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(extra=[])  # the bundled data only, whatever the user imported


@pytest.fixture(scope="module")
def resolve(gazetteer, nlp):
    resolver = PlaceResolver(gazetteer)

    def run(text: str):
        return resolver.resolve(nlp(text), Article(id="t", text=text))

    return run


def found(geo, text):
    return next(m for m in geo.mentions if m.text == text)


# -- what the bundled gazetteer holds -----------------------------------------------------------
def test_small_towns_anywhere_in_the_world_are_known(gazetteer):
    cottonport = [p for p in gazetteer.lookup("Cottonport") if p.country == "United States"]
    assert cottonport and cottonport[0].admin1 == "Louisiana"


def test_second_level_units_have_a_point_inside_their_state(gazetteer):
    [laurel] = [p for p in gazetteer.lookup("Laurel County") if p.admin1 == "Kentucky"]
    assert laurel.feature == "admin2" and laurel.geonameid is not None
    london_ky = next(p for p in gazetteer.lookup("London") if p.admin1 == "Kentucky")
    assert km(laurel.latitude, laurel.longitude, london_ky.latitude, london_ky.longitude) < 40


def test_states_and_countries_have_points_for_a_geoparser_but_events_keep_country_points_null(gazetteer):
    texas = gazetteer.lookup("Texas")[0]
    assert (texas.feature, texas.country) == ("admin1", "United States")
    assert 29 < texas.latitude < 34 and -103 < texas.longitude < -95
    russia = gazetteer.country_record("RU")
    assert russia.lat is not None and 50 < russia.lat < 70
    assert gazetteer.lookup("Russia")[0].latitude is None  # as an event's place, a country has no point


def test_a_city_outranks_the_province_named_after_it(gazetteer):
    assert gazetteer.lookup("Basra")[0].feature == "town"
    assert gazetteer.lookup("Basra province")[0].feature == "admin1"


def test_a_name_a_town_bears_only_in_another_language_ranks_below_a_place_that_bears_it(gazetteer):
    kiev = gazetteer.lookup("Kiev")[0]
    assert kiev.country == "Ukraine"


# -- an article's geography -----------------------------------------------------------------------
def test_other_places_in_the_article_choose_between_namesakes(resolve):
    geo = resolve("Deputies from Rapides Parish arrested a man in Alexandria on Tuesday after a house fire.")
    alexandria = found(geo, "Alexandria").place
    assert (alexandria.country, alexandria.admin1) == ("United States", "Louisiana")


def test_a_state_after_a_comma_says_which_town(resolve):
    geo = resolve("The soldier, 23, of Huntsville, Texas, died in the blast.")
    assert found(geo, "Huntsville").place.admin1 == "Texas"


def test_dotted_abbreviations_are_places(resolve):
    geo = resolve("The sergeant, of Huntsville, Ala., joined the U.S. Army in 2004.")
    assert found(geo, "Ala.").place.name == "Alabama"
    assert found(geo, "U.S.").place.country == "United States"
    assert found(geo, "Huntsville").place.admin1 == "Alabama"


def test_a_place_opening_an_organisations_name_is_context_not_an_event_place(resolve):
    geo = resolve("A man was shot on Friday, the Texas Department of Public Safety said.")
    texas = found(geo, "Texas")
    assert texas.role == "context" and texas.place.name == "Texas"
    assert texas not in geo.event_places()


def test_the_kind_word_ending_an_organisations_name_is_no_town(resolve):
    geo = resolve("The boy was taken to the Saint James Youth Detention Center on Monday.")
    assert not any(m.text == "Center" for m in geo.mentions)


def test_a_country_used_as_an_adjective_is_whose_not_where(resolve):
    geo = resolve("A US airstrike killed 12 people in Syria on Monday.")
    assert found(geo, "US").role == "context"
    assert found(geo, "Syria").role == "mention"


def test_where_a_speaker_sits_is_not_where_things_happened(resolve):
    geo = resolve("Russian jets killed 40 fighters near Mayadeen, the defence ministry in Moscow said.")
    assert found(geo, "Moscow").role == "observer"
    assert found(geo, "near Mayadeen").place.country == "Syria"  # a relative place: the phrase is the span


def test_another_languages_name_for_a_foreign_town_is_no_place(resolve):
    geo = resolve("Dozens died as rival groups clashed in Eastern Ghouta on Sunday.")
    assert all(m.place is None or m.place.country == "Syria" for m in geo.mentions)


def test_a_dateline_without_punctuation_is_still_the_dateline(resolve):
    geo = resolve("Updated at 10:30 BEIRUT A coalition air strike killed 18 civilians in Raqqa, a monitor said.")
    assert found(geo, "BEIRUT").role == "dateline"
    assert found(geo, "Raqqa").place.admin1 == "Ar-Raqqa"


def test_a_possessive_without_its_apostrophe_still_names_the_country(resolve):
    geo = resolve("Air strikes killed 18 civilians in Syrias Raqqa on Tuesday.")
    assert found(geo, "Raqqa").place.country == "Syria"
