"""Folding later reports into a merged event: tolls, place, date, actors, and the history of each change."""
from __future__ import annotations

import copy
from datetime import date

from warmonitor.merge.combine import absorb, merged_tolls, start_merged
from warmonitor.model import Article, Claim, Event, Evidence, Mention

TUESDAY = date(2019, 5, 14)
SARAQIB = dict(location="Saraqib", country="Syria", admin1="Idleb", admin2="Idleb", latitude=35.86447,
               longitude=36.80591, geo_precision=1)
IDLEB_PROVINCE = dict(location="Idleb", country="Syria", admin1="Idleb", admin2=None, latitude=35.78511,
                      longitude=36.68228, geo_precision=3)


def report(article_id: str, source: str, published: date, toll: int | None, **fields) -> tuple[Event, Article]:
    """One outlet's report of the Saraqib strike and its record, with evidence for the toll it gives."""
    article = Article(id=article_id, text="...", source=source, published=published)
    values = dict(event_date=TUESDAY, event_date_start=TUESDAY, event_date_end=TUESDAY, time_precision=1,
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                  disorder_type="Political violence", actor1="Military Forces of Syria", inter1=1,
                  actor2="Civilians (Syria)", inter2=7, fatalities=toll or 0,
                  fatalities_low=toll, fatalities_high=toll, **SARAQIB)
    values.update(fields)
    evidence = [Evidence("event_type", 0, 0, 6, "struck"), Evidence("location", 0, 10, 17, "Saraqib")]
    if toll is not None:
        evidence.append(Evidence("fatalities", 0, 30, 32, str(toll)))
    mentions = [Mention("struck", "strike", values["event_type"], values["sub_event_type"], 0, 0, 6)]
    claim = Claim("the monitor", evidence=Evidence("claim", 0, 40, 56, "the monitor said"))
    return Event(event_id=f"{article_id}-1", article_id=article_id, evidence=evidence, mentions=mentions,
                 claims=[claim], **values), article


def test_the_first_report_starts_the_merged_record_without_changing_it():
    mention, article = report("r1", "Reuters", TUESDAY, 9)
    before = copy.deepcopy(mention)
    merged = start_merged(mention, article, "EV-1")
    assert mention == before
    assert (merged.event_id, merged.sources, merged.article_ids, merged.source) == \
        ("EV-1", ["Reuters"], ["r1"], "Reuters")
    assert (merged.fatalities, merged.fatalities_low, merged.fatalities_best, merged.fatalities_high) == (9, 9, 9, 9)
    assert {ev.article_id for ev in merged.evidence} == {"r1"}
    assert {m.article_id for m in merged.mentions} == {"r1"}


def test_a_later_higher_toll_replaces_the_earlier_one_and_leaves_a_revision():
    merged = start_merged(*report("r1", "Reuters", TUESDAY, 12), "EV-1")
    later, article = report("a2", "AFP", date(2019, 5, 15), 36)
    revisions = absorb(merged, later, article)
    assert merged.fatalities == 36
    assert (merged.fatalities_low, merged.fatalities_high) == (12, 36)
    [toll] = [r for r in revisions if r.field == "fatalities"]
    assert (toll.old, toll.new, toll.source, toll.published, toll.article_id) == \
        (12, 36, "AFP", date(2019, 5, 15), "a2")
    assert toll.reason == "AFP raised the toll from 12 to 36"
    assert [(ev.text, ev.article_id) for ev in toll.evidence] == [("36", "a2")]


def test_reports_that_disagree_at_the_same_moment_give_the_lower_toll():
    merged = start_merged(*report("r1", "Reuters", TUESDAY, 12), "EV-1")
    absorb(merged, *report("m1", "Monitor", TUESDAY, 20))
    assert merged.fatalities == 12
    assert merged.fatalities_high == 20


def test_best_is_the_median_of_each_outlets_latest_figure():
    records = [
        {"source": "Reuters", "published": "2019-05-14", "fatalities": 10, "low": 10, "high": 10},
        {"source": "AFP", "published": "2019-05-15", "fatalities": 20, "low": 20, "high": 20},
        {"source": "Reuters", "published": "2019-05-16", "fatalities": 30, "low": 30, "high": 30},
        {"source": "Local press", "published": "2019-05-16", "fatalities": 25, "low": 25, "high": 28},
        {"source": "Ministry", "published": "2019-05-17", "fatalities": None, "low": None, "high": None},
    ]
    fatalities, low, best, high = merged_tolls(records)
    assert best == 25  # Reuters' latest 30, AFP 20, Local press 25; the ministry gave no toll
    assert fatalities == 25  # the lower of the two reports of the latest day with a toll
    assert (low, high) == (10, 30)


def test_a_vaguer_place_does_not_overwrite_a_precise_one():
    merged = start_merged(*report("r1", "Reuters", TUESDAY, 9), "EV-1")
    revisions = absorb(merged, *report("p2", "Ministry", TUESDAY, 9, **IDLEB_PROVINCE))
    assert merged.location == "Saraqib" and merged.geo_precision == 1
    assert not [r for r in revisions if r.field == "location"]


def test_a_town_inside_the_province_replaces_the_province():
    merged = start_merged(*report("p1", "Ministry", TUESDAY, 9, **IDLEB_PROVINCE), "EV-1")
    revisions = absorb(merged, *report("r2", "Reuters", TUESDAY, 9))
    assert (merged.location, merged.latitude, merged.geo_precision) == ("Saraqib", 35.86447, 1)
    [moved] = [r for r in revisions if r.field == "location"]
    assert (moved.old, moved.new) == ("Idleb", "Saraqib")
    assert [ev.text for ev in moved.evidence] == ["Saraqib"]


def test_a_precise_date_replaces_a_vague_span():
    vague = dict(event_date=date(2019, 5, 15), event_date_start=date(2019, 5, 13),
                 event_date_end=date(2019, 5, 15), time_precision=2)
    merged = start_merged(*report("w1", "Weekly", date(2019, 5, 15), 9, **vague), "EV-1")
    revisions = absorb(merged, *report("r2", "Reuters", date(2019, 5, 15), 9))
    assert (merged.event_date, merged.event_date_start, merged.event_date_end, merged.time_precision) == \
        (TUESDAY, TUESDAY, TUESDAY, 1)
    assert [(r.old, r.new) for r in revisions if r.field == "event_date"] == [("2019-05-13..2019-05-15", "2019-05-14")]
    # and a vague later report does not undo it
    assert not [r for r in absorb(merged, *report("w3", "Weekly", date(2019, 5, 20), 9, **vague))
                if r.field == "event_date"]


def test_a_named_group_replaces_an_unidentified_one():
    merged = start_merged(*report("r1", "Reuters", TUESDAY, 9, actor1="Unidentified Armed Group (Syria)",
                                  inter1=3), "EV-1")
    revisions = absorb(merged, *report("a2", "AFP", TUESDAY, 9, actor1="Hayat Tahrir al-Sham", inter1=2))
    assert (merged.actor1, merged.inter1, merged.interaction) == ("Hayat Tahrir al-Sham", 2, 27)
    assert [r.reason for r in revisions if r.field == "actor1"] == \
        ["AFP named actor1: Hayat Tahrir al-Sham (was Unidentified Armed Group (Syria))"]


def test_sources_articles_evidence_and_claims_accumulate_traceably():
    merged = start_merged(*report("r1", "Reuters", TUESDAY, 9), "EV-1")
    absorb(merged, *report("r2", "Reuters", date(2019, 5, 15), 11))
    absorb(merged, *report("a3", "AFP", date(2019, 5, 15), 11))
    assert merged.sources == ["Reuters", "AFP"]
    assert merged.source == "Reuters; AFP"
    assert merged.article_ids == ["r1", "r2", "a3"]
    assert [m.article_id for m in merged.mentions] == ["r1", "r2", "a3"]
    assert {ev.article_id for ev in merged.evidence} == {"r1", "r2", "a3"}
    assert [c.evidence.article_id for c in merged.claims] == ["r1", "r2", "a3"]
