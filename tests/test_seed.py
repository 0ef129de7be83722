"""The reference case: the Reuters report on ISIS taking ground in al-Qadam, Damascus (20 March 2018),
coded as a careful war-monitor analyst would. It lives in ../shared and is never copied here."""
from datetime import date

import pytest

from warmonitor.ingest import read_articles


@pytest.fixture(scope="module")
def seed(shared, pipeline):
    article = next(read_articles([str(shared / "seeds" / "qadam-2018-03-20.txt")]))
    return article, pipeline.process(article)


def test_the_main_event_is_isis_taking_ground_from_the_army_in_al_qadam(seed):
    article, result = seed
    main = result.events[0]
    assert (main.event_type, main.sub_event_type) == ("Battles", "Non-state actor overtakes territory")
    assert main.disorder_type == "Political violence"
    assert main.actor1 == "Islamic State" and main.inter1 == 2
    assert main.actor2 == "Military Forces of Syria" and main.inter2 == 1
    assert main.interaction == 12
    assert (main.country, main.iso, main.admin1, main.location) == ("Syria", 760, "Damascus", "Al Qadam")
    assert main.latitude == pytest.approx(33.474, abs=0.01) and main.longitude == pytest.approx(36.284, abs=0.01)
    assert main.geo_precision == 1
    assert main.fatalities == 36
    assert main.source == "Reuters"


def test_the_fighting_lasted_24_hours_up_to_the_report(seed):
    _, result = seed
    main = result.events[0]
    assert (main.event_date_start, main.event_date_end) == (date(2018, 3, 19), date(2018, 3, 20))
    assert main.event_date == date(2018, 3, 20)
    assert main.time_precision == 1


def test_the_toll_is_attributed_to_the_syrian_observatory(seed):
    _, result = seed
    main = result.events[0]
    assert "Syrian Observatory for Human Rights" in {c.actor for c in main.claims}
    toll = next(ev for ev in main.evidence if ev.field == "fatalities")
    assert toll.text == "36"


def test_last_weeks_rebel_withdrawal_is_a_second_event_dated_by_week(seed):
    _, result = seed
    assert len(result.events) == 2
    second = result.events[1]
    assert second.sub_event_type in ("Non-violent transfer of territory", "Agreement")
    assert second.event_type == "Strategic developments"
    assert (second.event_date_start, second.event_date_end) == (date(2018, 3, 11), date(2018, 3, 17))
    assert second.time_precision == 2
    assert second.location == "Al Qadam"
    assert {second.actor1, second.actor2} == {"Military Forces of Syria", "Rebel Groups (Syria)"}
    assert second.actor1 == "Military Forces of Syria"  # the side that takes the ground over


def test_isis_now_controlling_the_pocket_is_data_not_an_event(seed):
    _, result = seed
    now = [c for c in result.control if c.status == "controls" and c.place and c.place.name == "Al Qadam"]
    assert [(c.actor, c.as_of) for c in now] == [("Islamic State", date(2018, 3, 20))]
    assert all(e.sub_event_type != "Other" for e in result.events)


def test_background_is_never_an_event(seed):
    article, result = seed
    for phrase in ("two rival offensives last year", "fierce fighting early in the seven-year conflict",
                   "month-long offensive", "could not immediately be reached"):
        start = article.text.find(phrase)
        assert start >= 0
        coded = [ev for e in result.events for ev in e.evidence
                 if ev.field == "event_type" and start <= ev.start < start + len(phrase)]
        assert coded == []


def test_the_dateline_and_the_observers_country_are_not_event_places(seed):
    _, result = seed
    assert all(e.location not in ("Beirut", "United Kingdom") for e in result.events)
