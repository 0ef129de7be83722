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


def test_whole_arabic_words_english_spells_two_ways_fold_alike(gazetteer):
    (kafr_zita, *_) = gazetteer.lookup("Kfar Zeita", "Syria")
    assert (kafr_zita.name, kafr_zita.admin1) == ("Kafr Zayta", "Hama")


def test_a_town_of_unknown_size_that_names_its_district_is_the_district_seat(gazetteer):
    (_, best), *_ = gazetteer.candidates("Ras al-Ain", "SY")
    assert best.admin1 == "Al-Hasakeh" and best.feature == "town"


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


# -- spellings, kinds and the names around a name ------------------------------------------------
def test_a_place_that_only_folds_like_the_written_name_scores_lower_than_under_its_own_name(gazetteer):
    # fold() makes "Kill" and "Kiel" one key, for the sake of "Idleb"/"Idlib"; the spelling still counts
    def score(name):
        return next(sc for sc, rec in gazetteer.candidates(name) if rec.name == "Kiel" and rec.iso2 == "DE")
    assert score("Kill") < score("Kiel")
    [deir] = [rec for _, rec in gazetteer.candidates("Deir al-Zor") if rec.feature == "town"][:1]
    assert gazetteer.spelled_alike("Deir al-Zor", deir) or gazetteer.spelled_alike("Deir ez-Zor", deir)
    [barrow] = [rec for _, rec in gazetteer.candidates("Barrow", "US", frozenset({"admin2"}))]
    assert gazetteer.spelled_alike("Barrow", barrow)  # a county's name without its kind word


def test_a_capitalised_headline_word_that_only_folds_like_a_city_abroad_is_no_place(resolve):
    geo = resolve("Rebels Kill 2 Commanders in Aleppo. The fighting in Aleppo went on all week.")
    assert all(m.text != "Kill" for m in geo.mentions if m.place is not None)


def test_a_capital_beside_its_country_beats_a_namesake_town_in_a_story_told_from_washington(resolve):
    geo = resolve("The United States said it wants answers. U.S. envoys met in New York. Officials in the "
                  "United States said weapons experts in Syria were in talks with Damascus about access.")
    assert found(geo, "Damascus").place.country == "Syria"


def test_the_white_house_is_a_building_not_a_town_in_tennessee(resolve):
    geo = resolve("A White House spokesman said the strikes in Syria would continue.")
    assert all(m.text != "White House" for m in geo.mentions)


def test_a_name_the_gazetteer_holds_whole_is_not_cut_at_its_kind_word(resolve):
    geo = resolve("She moved from New York City to Falls Village, Connecticut, last spring.")
    assert found(geo, "New York City").place.feature == "town"
    assert found(geo, "Falls Village").place.admin1 == "Connecticut"


def test_each_name_before_a_plural_kind_word_is_one_of_that_kind(resolve):
    geo = resolve("School boards in Barrow, Jackson and Madison counties in Georgia cut their budgets.")
    for name in ("Barrow", "Jackson", "Madison"):
        place = found(geo, name).place
        assert (place.feature, place.admin1) == ("admin2", "Georgia"), name


def test_the_last_words_of_a_longer_place_name_are_not_a_place_of_their_own(resolve):
    geo = resolve("Hikers were rescued in Zion National Park in Utah on Sunday.")
    assert all(m.place is None or m.place.name != "National Park" for m in geo.mentions)
    directions = resolve("Rain brought relief to North Georgia, forecasters in Atlanta said.")
    assert found(directions, "North Georgia").place.feature == "admin1"


def test_a_country_name_spacy_reads_as_a_person_is_still_a_country(resolve):
    geo = resolve("Realists like Sri Lanka's former president Chandrika Kumaratunga disagreed.")
    assert found(geo, "Sri Lanka").place.feature == "country"


def test_the_headline_votes_for_the_country_of_the_story(gazetteer, nlp):
    text = ("Ministers met in Washington and London on Tuesday. The United States and Britain want a vote. "
            "Diplomats in the United States said talks in Syria would resume.")
    resolver = PlaceResolver(gazetteer)
    plain = resolver.resolve(nlp(text), Article(id="t", text=text))
    headed = resolver.resolve(nlp(text), Article(id="t", text=text, title="Talks on Syria to resume"))
    assert plain.focus.country == "United States"
    assert headed.focus.country == "Syria"


def test_a_national_adjective_before_the_kind_word_puts_the_place_in_that_country(resolve):
    # Kobani is known to GeoNames only as an alternate name of Ayn al-Arab; the phrase says it is Syrian
    geo = resolve("Fighting raged in the Syrian border town of Kobani on Saturday. Iraqi fighters and Iraqi "
                  "peshmerga crossed from Turkey to join the Kurds.")
    kobani = found(geo, "Kobani").place
    assert (kobani.country, kobani.admin1) == ("Syria", "Aleppo")
    assert geo.focus.country == "Syria"


def test_a_country_possessive_without_its_apostrophe_does_not_make_a_person_of_the_province(resolve):
    geo = resolve("Militants killed 50 people in two villages in central Syrias Hama province on Thursday.")
    hama = next(m for m in geo.mentions if m.text.startswith("Hama"))
    assert (hama.place.feature, hama.place.admin1) == ("admin1", "Hama")


def test_abbreviated_saints_forts_and_mounts_are_written_out(resolve):
    geo = resolve("Fans in St. Petersburg, Fla., cheered, and so did Ft. Worth.")
    assert found(geo, "St. Petersburg").place.admin1 == "Florida"
    assert found(geo, "Ft. Worth").place.name == "Fort Worth"
    assert found(resolve("Police in St. Paul, Minnesota, said so."), "St. Paul").place.admin1 == "Minnesota"


def test_an_unknown_district_of_a_known_city_is_that_city_less_exactly_not_a_namesake_elsewhere(resolve):
    # the gazetteer knows an "Al Qusur" only in Damascus; the text puts this one in Deir ez-Zor
    geo = resolve("A mortar attack on Al Qousour district of Syrias eastern city of Deir ez-Zor left three "
                  "civilians dead.")
    qusur = found(geo, "Al Qousour district").place
    assert (qusur.admin1, qusur.geo_precision) == ("Deir-ez-Zor", 2)
    # a list of towns is no chain of containment
    towns = resolve("Fans came from Denver, Indianapolis, Louisville, Ky., and New Haven, Conn.")
    assert found(towns, "Indianapolis").place.admin1 == "Indiana"
    assert found(towns, "Louisville").place.admin1 == "Kentucky"


def test_a_country_possessive_before_capital_names_the_capital(resolve):
    geo = resolve("Clashes east of Syrias capital killed 50 fighters. Fighting in Iraq's capital went on.")
    assert found(geo, "east of Syrias capital").place.name == "Damascus"
    assert found(geo, "Iraq's capital").place.name == "Baghdad"


def test_a_big_city_abroad_right_after_the_opening_date_is_a_dateline(resolve):
    geo = resolve("Last updated at Feb 02 2015 Beirut Syrian government air strikes on towns in Daraa and "
                  "Idlib killed 44 people on Monday, a monitor in Syria said.")
    assert found(geo, "Beirut").role == "dateline"
    assert found(geo, "Daraa").role == "mention"


def test_a_list_of_provinces_that_lost_its_commas_is_still_a_list_of_places(resolve):
    # spaCy reads "Aleppo Deir" as the title of a work; each name is a province capital
    geo = resolve("Some 50 civilians were killed in Aleppo Deir ez-Zor Hasakeh Idlib and Raqqa since the strikes "
                  "began.")
    assert [m.place.admin1 for m in geo.mentions][:3] == ["Aleppo", "Deir-ez-Zor", "Al-Hasakeh"]


def test_a_place_said_to_lie_near_a_city_is_not_a_namesake_far_away(resolve):
    # the gazetteer's only Malah is in As-Sweida, 300 km from Aleppo
    geo = resolve("Syrian troops took the Mallah farms near the northwestern city of Aleppo on Thursday.")
    mallah = found(geo, "Mallah").place
    assert (mallah.admin1, mallah.geo_precision) == ("Aleppo", 2)


def test_a_short_form_of_a_longer_name_in_the_same_report_is_the_same_place(resolve):
    geo = resolve("Government troops pressed their attack in the al-Malaah region on Sunday. "
                  "They now hold most of the al-Malaah Farms north of Aleppo.")
    short = found(geo, "al-Malaah region")
    assert short.place.admin1 == "Aleppo" and short.place.geo_precision == 2


def test_a_country_beside_the_fighting_is_a_neighbour_not_the_place(resolve):
    geo = resolve("Syrian troops killed at least 50 jihadists near Lebanon overnight. The fighting raged in the "
                  "Qalamun region by the Lebanese border, the monitor said.")
    assert geo.focus.country == "Syria"
    assert found(geo, "near Lebanon").role == "context"
    assert found(geo, "Qalamun region").place.admin1 == "Rural Damascus"


def test_a_place_name_spacy_takes_for_a_person_is_kept_when_it_opens_like_a_place(resolve):
    geo = resolve("Jihadists attacked Tel Abyad and the nearby town of Suluk in northern Syria on Saturday.")
    assert found(geo, "Tel Abyad").place.admin1 == "Ar-Raqqa"


def test_a_border_a_country_owns_lies_in_that_country(resolve):
    geo = resolve("Fighters launched an assault on a town on Syria's border with Turkey on Saturday.")
    border = next(m for m in geo.mentions if "border" in m.text)
    assert border.place.country == "Syria" and border.place.geo_precision == 3


def test_a_field_the_gazetteer_lacks_east_of_a_city_is_placed_at_that_city(resolve):
    geo = resolve("Militants captured the Shaar gas field east of Homs in central Syria on Thursday.")
    shaar = found(geo, "Shaar")
    assert (shaar.place.name, shaar.place.geo_precision) == ("Homs", 2)


def test_a_compass_side_of_the_country_picks_the_namesake_on_that_side(resolve):
    # Ras al-Ain is a district seat in Hasakeh and a village in Idlib; Tartus, named later, lies near the
    # Idlib one, but the story puts the fighting in the country's northeast
    geo = resolve("Jihadists stormed Ras al-Ain in northeastern Syria on Tuesday, killing 12 people. "
                  "Separately, police arrested four men in the port city of Tartus.")
    assert found(geo, "Ras al-Ain").place.admin1 == "Al-Hasakeh"


def test_a_country_owning_a_border_with_another_is_still_named_as_a_place(resolve):
    geo = resolve("Turkish officials said fighters attacked a town on Syrias border with Turkey. "
                  "Turkish troops on the Turkish side heard the gunfire, Turkish sources said.")
    syria = found(geo, "Syrias")
    assert syria.role == "mention" and syria.place.country == "Syria"


def test_a_place_known_only_in_a_country_the_story_names_is_kept_in_a_story_told_from_next_door(resolve):
    geo = resolve("Turkish security sources said militants attacked Tel Abyad on Syria's border with Turkey. "
                  "Gunfire was heard from the Turkish town of Akcakale, and the Turkish army sent patrols. "
                  "Turkey denied that the attackers crossed from Turkey.")
    assert geo.focus.country == "Turkey"
    assert found(geo, "Tel Abyad").place.admin1 == "Ar-Raqqa"


def test_a_word_with_one_namesake_in_a_named_country_is_still_no_place(resolve):
    geo = resolve("Syrian troops shelled Douma in Syria on Monday. In the United States, the president asked "
                  "Congress to vote on strikes against the Syrian government, and Damascus said it was ready.")
    assert geo.focus.country == "Syria"
    assert all(m.text != "Congress" or m.place is None for m in geo.mentions)
