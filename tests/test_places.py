"""The places layer: gazetteer look-ups, and resolving an article's toponyms to places with roles."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from warmonitor.ingest import read_articles
from warmonitor.model import Article
from warmonitor.nlp import load_nlp
from warmonitor.resolve.gazetteer import fold, km, spelling_neighbours
from warmonitor.resolve.places import Gazetteer, GazetteerError, PlaceResolver

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "qadam-2018-03-20.txt"
EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.json"))
MAX_KM = 25.0


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def resolve(gazetteer, nlp):
    resolver = PlaceResolver(gazetteer)

    def run(text: str, dateline: str | None = None):
        return resolver.resolve(nlp(text), Article(id="t", text=text, dateline=dateline))

    return run


def by_text(geo, text):
    return next(m for m in geo.mentions if m.text == text)


# -- the gazetteer ------------------------------------------------------------------------------
@pytest.mark.parametrize("variants", [
    ("Deir ez-Zor", "Deir al-Zor", "Dayr az Zawr"), ("Qadam", "al-Qadam"), ("Idlib", "Idleb"),
    ("Raqqa", "Ar-Raqqa", "Raqqah"), ("Daraa", "Dar'a"), ("Hasakah", "Al-Hasakeh"), ("Latakia", "Lattakia"),
])
def test_transliteration_variants_fold_together_and_find_the_same_syrian_place(gazetteer, variants):
    assert len({fold(v) for v in variants}) == 1
    tops = {gazetteer.lookup(v)[0].source_id for v in variants}
    assert len(tops) == 1
    assert gazetteer.lookup(variants[0])[0].country == "Syria"


def test_governorates_carry_ocha_names_whatever_the_source_spelling(gazetteer):
    assert gazetteer.lookup("Raqqa province")[0].admin1 == "Ar-Raqqa"
    assert gazetteer.lookup("Deir ez-Zor")[0].admin1 == "Deir-ez-Zor"
    town = gazetteer.lookup("Saraqeb", "Syria")[0]  # a GeoNames town, its admin1 mapped onto OCHA's
    assert (town.admin1, town.geo_precision, town.feature) == ("Idleb", 1, "town")


def test_countries_have_acled_names_numeric_iso_and_no_coordinates(gazetteer):
    syria = gazetteer.lookup("Syrian Arab Republic")[0]
    assert (syria.name, syria.iso, syria.iso2, syria.feature) == ("Syria", 760, "SY", "country")
    assert syria.latitude is None and syria.longitude is None
    assert gazetteer.region_of("SY") == "Middle East" and gazetteer.region_of("NG") == "Western Africa"
    assert gazetteer.demonym("Iraqi") == "IQ" and gazetteer.demonym("Kurdish") is None


def test_world_admin1_and_cities_come_from_geonames(gazetteer):
    borno = gazetteer.lookup("Borno state")[0]
    assert (borno.feature, borno.country, borno.admin1) == ("admin1", "Nigeria", "Borno")
    maiduguri = gazetteer.lookup("Maiduguri")[0]
    assert maiduguri.admin1 == "Borno" and maiduguri.geonameid and maiduguri.source == "geonames"


def test_small_towns_of_countries_at_war_are_known(gazetteer):
    chibok = gazetteer.lookup("Chibok")[0]  # GeoNames' cities500 layer: only kept for countries at war
    assert (chibok.country, chibok.admin1, chibok.feature) == ("Nigeria", "Borno", "town")
    assert gazetteer.lookup("Dibis")[0].country == "Iraq"


def test_a_quarter_split_into_east_and_west_answers_to_its_base_name(gazetteer):
    # OCHA only has "Joubar Gharbi" and "Joubar Sharqi"; a German village "Jubar" is the only namesake
    [jobar] = gazetteer.lookup("Joubar", country="Syria")[:1]
    parts = [gazetteer.lookup(f"Joubar {side}")[0] for side in ("Gharbi", "Sharqi")]
    assert (jobar.feature, jobar.admin1, jobar.country) == ("neighbourhood", "Damascus", "Syria")
    assert all(km(jobar.latitude, jobar.longitude, p.latitude, p.longitude) < 2 for p in parts)


def test_a_town_outranks_neighbourhoods_that_merely_contain_its_name(gazetteer):
    [top, *rest] = gazetteer.lookup("al-Bab", country="Syria")
    assert (top.name, top.feature, top.admin1) == ("Al Bab", "town", "Aleppo")
    assert all(fold(p.name) == "bab" for p in rest)  # its district and sub-district, a Slovak village; no "Bab Touma"


def test_a_governorate_seat_answers_to_the_governorates_spellings(gazetteer):
    city = gazetteer.lookup("Sweida")[0]
    assert (city.feature, city.admin1) == ("town", "As-Sweida")
    assert gazetteer.lookup("Sweida province")[0].feature == "admin1"


def test_a_spelling_one_vowel_away_is_found_only_when_asked(gazetteer):
    assert "jubar" in spelling_neighbours(fold("Jobar"))
    assert "busra hariri" in spelling_neighbours(fold("Busra al-Harir"))
    assert gazetteer.lookup("Busra al-Harir") == []  # plain look-ups stay exact
    [(_, busra)] = gazetteer.near_spelling_candidates("Busra al-Harir")
    assert (busra.admin1, busra.iso2) == ("Dar'a", "SY")
    assert gazetteer.near_spelling_candidates("Homs") == []  # too short to guess


def test_an_unknown_name_finds_nothing(gazetteer):
    assert gazetteer.lookup("Zorgluban") == []


def test_a_missing_data_file_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="build_gazetteer"):
        Gazetteer.load(tmp_path / "nowhere.npz")


# -- resolving an article -----------------------------------------------------------------------
def test_a_district_named_after_its_city_resolves_to_the_neighbourhood(resolve):
    geo = resolve("Militants holding a small district in Damascus advanced on Monday. "
                  "The district of Qadam lies south of the old city.")
    qadam = by_text(geo, "Qadam").place
    assert (qadam.name, qadam.feature, qadam.admin1, qadam.country) == ("Al Qadam", "neighbourhood", "Damascus",
                                                                        "Syria")
    assert geo.within(qadam, by_text(geo, "Damascus").place)
    assert not geo.within(by_text(geo, "Damascus").place, qadam)


def test_observer_bases_and_datelines_are_never_event_places(resolve):
    geo = resolve("BEIRUT (Reuters) - Shelling killed four people in Douma, the British-based Syrian "
                  "Observatory said. A London-based group and a UK-based monitor agreed.", dateline="BEIRUT")
    roles = {m.text: m.role for m in geo.mentions}
    assert roles["BEIRUT"] == "dateline" and by_text(geo, "BEIRUT").place.country == "Lebanon"
    assert roles["British"] == roles["London"] == roles["UK"] == "observer"
    assert [m.place.name for m in geo.event_places()] == ["Duma"]
    assert geo.focus.name == "Syria"  # the Lebanese dateline is only a weak hint


@pytest.mark.parametrize("text, name, feature, precision", [
    ("Jets struck the Idlib countryside.", "Idleb", "admin1", 2),
    ("Jets struck rural Aleppo.", "Aleppo", "admin1", 2),
    ("Shells fell on the southern suburbs of Damascus.", "Damascus", "town", 2),
    ("Troops pushed into eastern Ghouta.", "Eastern Ghouta", "region", 2),
    ("Rebels withdrew to northern Syria.", "Syria", "country", 3),
    ("Rebels withdrew to Idlib province.", "Idleb", "admin1", 3),
])
def test_relative_places_get_the_right_unit_and_precision(resolve, text, name, feature, precision):
    [m] = resolve(text).event_places()
    assert (m.place.name, m.place.feature, m.place.geo_precision) == (name, feature, precision)


def test_near_the_borders_is_a_relative_place_and_the_neighbours_are_only_context(resolve):
    geo = resolve("Fighting raged in Syria near the borders with Jordan and Israel.")
    near = next(m for m in geo.mentions if m.text.startswith("near the borders"))
    assert near.role == "mention" and near.place.name == "Syria" and near.place.geo_precision == 3
    assert {m.text: m.role for m in geo.mentions}["Jordan"] == "context"
    assert all(m.place.name == "Syria" for m in geo.event_places())


def test_a_kind_word_makes_a_name_a_place_whatever_spacy_thinks(resolve):
    # spaCy reads "Bab Touma" as a person; "district" says otherwise
    geo = resolve("Mortar shells hit the Bab Touma district of the Old City of Damascus on Wednesday.")
    touma = by_text(geo, "Bab Touma district").place
    assert (touma.name, touma.feature, touma.admin1) == ("Bab Touma", "neighbourhood", "Damascus")
    assert geo.within(touma, by_text(geo, "Damascus").place)


def test_a_town_named_by_its_kind_but_unknown_is_a_mention_without_a_place(resolve):
    geo = resolve("Somali troops backed by clan fighters recaptured the town of Moqokori in Hiiraan region.")
    assert by_text(geo, "Moqokori").role == "mention" and by_text(geo, "Moqokori").place is None
    hiiraan = by_text(geo, "Hiiraan region")
    assert hiiraan.role == "mention" and hiiraan.place.feature == "admin1"


def test_a_near_spelling_resolves_inside_the_articles_country(resolve):
    geo = resolve("Syrian troops recaptured the rebel-held town of Busra al-Harir in Daraa province.")
    busra = by_text(geo, "Busra al-Harir").place
    assert (busra.country, busra.admin1) == ("Syria", "Dar'a")
    assert km(busra.latitude, busra.longitude, 32.84, 36.34) < 5


def test_the_countryside_of_a_city_does_not_pull_its_neighbourhoods_in(resolve):
    geo = resolve("Gunmen shot dead a member of the local council of al-Bab, the third killing of an official "
                  "in the Aleppo countryside this year.")
    bab = by_text(geo, "al-Bab").place
    assert (bab.name, bab.feature) == ("Al Bab", "town")


def test_an_unknown_place_stays_unresolved(resolve):
    geo = resolve("Clashes erupted in Zorglubistan on Friday.")
    assert geo.mentions and all(m.place is None for m in geo.mentions)
    assert geo.event_places() == []


def test_a_nigerian_article_resolves_to_nigeria(resolve):
    geo = resolve("Gunmen attacked a village near Maiduguri in Borno state, killing five people.")
    assert geo.focus.name == "Nigeria"
    near = by_text(geo, "near Maiduguri").place
    assert (near.country, near.admin1, near.geo_precision) == ("Nigeria", "Borno", 2)
    assert by_text(geo, "Borno state").place.feature == "admin1"


def test_a_ukrainian_article_resolves_to_ukraine(resolve):
    geo = resolve("Russian shelling hit Kharkiv overnight.")
    [kharkiv] = geo.event_places()
    assert (kharkiv.place.name, kharkiv.place.country, kharkiv.place.iso) == ("Kharkiv", "Ukraine", 804)


# -- the reference article (needs ../shared) ----------------------------------------------------
@pytest.fixture(scope="module")
def seed_geography(resolve):
    if not SEED.exists():
        pytest.skip("../shared is not available")
    return resolve(SEED.read_text(encoding="utf-8"))


def test_seed_event_places_include_al_qadam_in_damascus(seed_geography):
    qadam = [m.place for m in seed_geography.event_places() if m.place.name == "Al Qadam"]
    assert qadam, "al-Qadam was not resolved"
    p = qadam[0]
    assert (p.country, p.admin1, p.geo_precision) == ("Syria", "Damascus", 1)
    assert p.latitude == pytest.approx(33.47, abs=0.02) and p.longitude == pytest.approx(36.28, abs=0.02)
    assert seed_geography.focus.name == "Syria"


def test_seed_dateline_and_observer_roles(seed_geography):
    roles = {(m.text, m.role) for m in seed_geography.mentions}
    assert ("BEIRUT", "dateline") in roles and ("British", "observer") in roles
    assert not any(m.place.country in ("Lebanon", "United Kingdom") for m in seed_geography.event_places())


# -- the project's example reports ---------------------------------------------------------------
def _located_events():
    for path in EXPECTED:
        for i, event in enumerate(json.loads(path.read_text(encoding="utf-8"))["events"]):
            if event["latitude"] is not None:
                yield pytest.param(path.stem, event, id=f"{path.stem}-{i}-{event['location']}")


def _names(text: str, expected: str) -> bool:
    """Whether a mention's words name the expected location ("the outskirts of al-Mayadin" ~ "Al Mayadin")."""
    return re.search(rf"(?:^| ){re.escape(fold(expected))}(?: |$)", fold(text)) is not None


@pytest.fixture(scope="module")
def example_geography(resolve):
    cache = {}

    def get(stem: str):
        if stem not in cache:
            [article] = read_articles([str(ROOT / "examples" / f"{stem}.txt")])
            cache[stem] = resolve(article.text, article.dateline)
        return cache[stem]

    return get


@pytest.mark.parametrize("stem, event", list(_located_events()))
def test_each_expected_event_location_is_an_event_place_of_its_report(example_geography, stem, event):
    geo = example_geography(stem)
    named = [m for m in geo.event_places() if _names(m.text, event["location"]) or fold(m.place.name) == fold(
        event["location"])]
    assert named, f"{event['location']} not recognised among {[m.text for m in geo.event_places()]}"
    assert any(m.place.latitude is not None and km(m.place.latitude, m.place.longitude, event["latitude"],
                                                   event["longitude"]) <= MAX_KM for m in named), (
        f"{event['location']} resolved to {[(m.place.name, m.place.country) for m in named]}")
