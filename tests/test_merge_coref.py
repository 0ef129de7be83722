"""Cross-article event coreference: when are two single-report records the same real event?

The records here are built by hand, the way `extract` codes them, so each test shows one clue at work.
"""
from __future__ import annotations

from datetime import date, timedelta

from warmonitor.merge.coref import best_match, compare, search_window
from warmonitor.model import Event

SARAQIB = dict(location="Saraqib", country="Syria", admin1="Idleb", admin2="Idleb", latitude=35.86447,
               longitude=36.80591, geo_precision=1)
MAARAT = dict(location="Ma'arrat an Nu'man", country="Syria", admin1="Idleb", admin2="Ma'arrat An Nu'man",
              latitude=35.6483, longitude=36.67693, geo_precision=1)
KONDUGA = dict(location="Konduga", country="Nigeria", admin1="Borno", admin2=None, latitude=11.65331,
               longitude=13.41787, geo_precision=1)
TUESDAY = date(2019, 5, 14)


def record(article_id: str = "a", day: date | None = TUESDAY, **fields) -> Event:
    """One report's record of an air strike on Saraqib unless told otherwise."""
    values = dict(event_date=day, event_date_start=day, event_date_end=day, time_precision=1,
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  actor1="Military Forces of Syria", actor2="Civilians (Syria)", fatalities=9, **SARAQIB)
    values.update(fields)
    return Event(event_id=f"{article_id}-1", article_id=article_id, **values)


def test_two_reports_of_one_strike_are_the_same_event_and_say_why():
    decision = compare(record("reuters"), record("monitor", fatalities=11))
    assert decision.same
    assert decision.score > 0.9
    assert {"same day", "same sub-event type"} <= set(decision.reasons)
    assert any(r.startswith("actors agree") for r in decision.reasons)


def test_the_same_town_on_another_day_is_another_event():
    decision = compare(record("tuesday"), record("friday", day=TUESDAY + timedelta(days=3)))
    assert not decision.same
    assert "3 days apart" in decision.reasons


def test_a_week_later_is_ruled_out_whatever_else_agrees():
    decision = compare(record("a"), record("b", day=TUESDAY + timedelta(days=8)))
    assert not decision.same
    assert decision.score == 0.0


def test_the_same_day_in_another_town_of_the_province_is_another_event():
    decision = compare(record("saraqib"), record("maarat", **MAARAT))
    assert not decision.same
    assert "27 km apart" in decision.reasons


def test_a_last_week_report_overlaps_a_dated_one():
    monday = date(2019, 5, 20)
    vague = record("weekly", day=monday, time_precision=2, event_date_start=date(2019, 5, 12),
                   event_date_end=date(2019, 5, 18))
    decision = compare(record("dated"), vague)
    assert decision.same
    assert "dates overlap" in decision.reasons


def test_a_province_level_record_fits_a_town_inside_the_province_weakly():
    province = record("province", location="Idleb", admin2=None, latitude=35.78511, longitude=36.68228,
                      geo_precision=3)
    town = record("town")
    inside = compare(province, town)
    assert inside.same
    assert "inside Idleb" in inside.reasons
    assert inside.score < compare(record("other town report"), town).score  # weaker than the same town


def test_a_country_level_record_is_compatible_but_only_just():
    country_only = record("vague", location=None, admin1=None, admin2=None, latitude=None, longitude=None,
                          geo_precision=None)
    decision = compare(country_only, record("town"))
    assert "one placed only by country" in decision.reasons
    assert decision.score < compare(record("x"), record("town")).score


def test_another_country_is_never_the_same_event():
    decision = compare(record("syria"), record("nigeria", **KONDUGA))
    assert not decision.same
    assert "different countries (Syria, Nigeria)" in decision.reasons
    assert decision.score == 0.0


def test_an_unidentified_armed_group_may_be_a_named_group_of_that_country():
    base = dict(event_type="Battles", sub_event_type="Armed clash", actor2="Military Forces of Nigeria",
                day=date(2021, 6, 8), **KONDUGA)
    named = record("reuters", actor1="Islamic State West Africa Province", **base)
    generic = record("local", actor1="Unidentified Armed Group (Nigeria)", **base)
    decision = compare(named, generic)
    assert decision.same
    assert any("Unidentified Armed Group (Nigeria) may be Islamic State West Africa Province" in r
               for r in decision.reasons)


def test_two_different_named_perpetrators_are_two_events_even_at_one_spot():
    russian = record("sukkari", actor1="Military Forces of Russia")
    syrian = record("kallaseh", actor1="Military Forces of Syria")
    decision = compare(russian, syrian)
    assert not decision.same
    assert "conflicting actors: Military Forces of Russia vs Military Forces of Syria" in decision.reasons


def test_battle_sides_may_be_named_in_either_order():
    base = dict(event_type="Battles", sub_event_type="Armed clash", day=date(2021, 6, 8), **KONDUGA)
    one = record("a", actor1="Islamic State West Africa Province", actor2="Military Forces of Nigeria", **base)
    other = record("b", actor1="Military Forces of Nigeria", actor2="Islamic State West Africa Province", **base)
    assert compare(one, other).same


def test_confusable_types_may_merge_but_unrelated_types_may_not():
    suicide = record("a", event_type="Explosions/Remote violence", sub_event_type="Suicide bomb",
                     actor1="Al Shabaab")
    car_bomb = record("b", event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
                      actor1="Unidentified Armed Group (Syria)")
    assert compare(suicide, car_bomb).same
    protest = record("c", event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Syria)",
                     actor2=None, fatalities=0)
    decision = compare(record("strike"), protest)
    assert not decision.same
    assert "different types (Air/drone strike / Peaceful protest)" in decision.reasons


def test_a_rising_toll_is_normal_but_wildly_different_tolls_lower_the_score():
    risen = compare(record("first", fatalities=12), record("later", fatalities=36))
    assert risen.same
    assert not any(r.startswith("tolls far apart") for r in risen.reasons)
    wild = compare(record("first", fatalities=3), record("other", fatalities=80))
    assert "tolls far apart (3 / 80)" in wild.reasons
    assert wild.score < risen.score


def test_best_match_picks_the_likeliest_candidate_or_none():
    new = record("new")
    other_day = record("friday", day=TUESDAY + timedelta(days=3))
    place_only = record("province", location="Idleb", admin2=None, latitude=35.78511, longitude=36.68228,
                        geo_precision=3)
    same = record("same")
    match = best_match(new, [other_day, place_only, same])
    assert match is not None and match[0] is same
    assert best_match(new, [other_day]) is None
    assert best_match(new, []) is None


def test_the_search_window_reaches_a_record_dated_by_its_report():
    # a "last week" record carries its report's date: the window around a dated event must still reach it
    lo, hi = search_window(record("dated"))
    assert lo <= TUESDAY <= hi
    assert hi >= date(2019, 5, 20)
    assert search_window(record("undated", day=None)) == (None, None)
