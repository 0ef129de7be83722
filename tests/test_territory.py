"""The territorial-control timeline: who held a place, since when, until when, on what evidence."""
from datetime import date

import pytest

from warmonitor.ingest import read_articles
from warmonitor.model import Article, ControlStatement, Event, Evidence, Place
from warmonitor.territory import build_timeline, control_on

QADAM = "Al Qadam"
ARMY, REBELS, ISIS = "Military Forces of Syria", "Rebel Groups (Syria)", "Islamic State"


def holders(periods, day, place=QADAM):
    """{actor: status} of the periods in force at `place` on `day`."""
    return {p.actor: p.status for p in control_on(periods, day) if p.place.name == place}


# --- the reference case: the Qadam report of 20 March 2018 ----------------------------------------------------

@pytest.fixture(scope="module")
def qadam(pipeline, shared):
    (article,) = read_articles([str(shared / "seeds" / "qadam-2018-03-20.txt")])
    result = pipeline.process(article)
    return result, build_timeline(result.control, result.events)


def test_before_the_deal_rebels_and_isis_each_held_a_part_of_qadam(qadam):
    _, periods = qadam
    assert holders(periods, date(2018, 3, 5)) == {REBELS: "partial", ISIS: "partial"}


def test_after_the_rebels_left_the_army_held_their_part(qadam):
    _, periods = qadam
    on_18th = holders(periods, date(2018, 3, 18))
    assert on_18th[ARMY] == "partial" and REBELS not in on_18th
    assert on_18th[ISIS] == "partial"  # ISIS kept its own part throughout


def test_on_the_20th_isis_had_driven_the_army_out(qadam):
    _, periods = qadam
    assert holders(periods, date(2018, 3, 20)) == {ISIS: "partial"}


def test_the_three_states_come_in_order_with_their_evidence(qadam):
    _, periods = qadam
    by_actor = {p.actor: p for p in periods if p.place.name == QADAM}
    rebels, army = by_actor[REBELS], by_actor[ARMY]
    # the rebels held it "for years": since an unknown day, until the week of the evacuation deal began
    assert (rebels.start, rebels.end) == (None, date(2018, 3, 11))
    assert (army.start, army.end) == (date(2018, 3, 11), date(2018, 3, 19))
    assert by_actor[ISIS].end is None  # still holds its pocket, as far as the report tells
    assert any(e["kind"] == "statement" and "had held part of Qadam" in e["text"] for e in rebels.evidence)
    assert any(e["kind"] == "event" and e["sub_event_type"] == "Non-violent transfer of territory"
               for e in army.evidence)
    assert all(e["article_id"] == "qadam-2018-03-20" for p in periods for e in p.evidence)


def test_a_district_in_damascus_is_part_of_damascus_not_the_city(qadam):
    result, periods = qadam
    (damascus,) = [c for c in result.control if c.place.name == "Damascus"]
    assert [e.text for e in damascus.evidence if e.field == "part"] == ["district"]
    assert holders(periods, date(2018, 3, 20), place="Damascus") == {ISIS: "partial"}


# --- the rules, on hand-made records --------------------------------------------------------------------------

TOWN = Place(name="Tall Hamid", country="Syria", admin1="Aleppo")


def statement(actor, status, as_of, text, part=None, article_id="a1"):
    evidence = [Evidence("sentence", 0, 0, len(text), text)]
    if part:
        evidence.append(Evidence("part", 0, text.index(part), text.index(part) + len(part), part))
    return ControlStatement(actor=actor, place=TOWN, as_of=as_of, status=status, evidence=evidence,
                            article_id=article_id)


def transfer(winner, loser, start, end=None, article_id="a2", kind="Government regains territory"):
    return Event(event_id=f"{article_id}-1", article_id=article_id, event_date=end or start, event_date_start=start,
                 event_date_end=end or start, sub_event_type=kind, actor1=winner, actor2=loser,
                 location=TOWN.name, admin1=TOWN.admin1, country=TOWN.country, notes=f"{winner} took the town.")


def test_a_gain_closes_the_losers_period_on_the_first_day_the_report_allows():
    periods = build_timeline([statement(REBELS, "controls", date(2020, 1, 5), "Rebels control Tall Hamid.")],
                             [transfer(ARMY, REBELS, date(2020, 2, 2), date(2020, 2, 8))])
    assert holders(periods, date(2020, 2, 1), TOWN.name) == {REBELS: "controls"}
    assert holders(periods, date(2020, 2, 2), TOWN.name) == {ARMY: "controls"}
    assert holders(periods, date(2020, 1, 4), TOWN.name) == {}  # held "since at least" the 5th, not before


def test_a_later_statement_confirms_the_period_it_falls_in():
    periods = build_timeline(
        [statement(ARMY, "controls", date(2020, 3, 1), "The army controls Tall Hamid.", article_id="a3")],
        [transfer(ARMY, REBELS, date(2020, 2, 2))])
    (army,) = [p for p in periods if p.actor == ARMY]
    assert army.start == date(2020, 2, 2) and army.end is None
    assert [e["article_id"] for e in army.evidence] == ["a2", "a3"]


def test_a_statement_about_a_new_holder_ends_the_old_one():
    periods = build_timeline([statement(REBELS, "controls", date(2020, 1, 5), "Rebels control Tall Hamid."),
                              statement(ISIS, "controls", date(2020, 4, 1), "IS controls Tall Hamid.")], [])
    assert holders(periods, date(2020, 3, 31), TOWN.name) == {REBELS: "controls"}
    assert holders(periods, date(2020, 4, 1), TOWN.name) == {ISIS: "controls"}


def test_two_holders_of_the_whole_place_on_one_day_are_both_kept_as_contested():
    day = date(2020, 5, 1)
    periods = build_timeline([statement(REBELS, "controls", day, "Rebels control Tall Hamid.", article_id="x"),
                              statement(ARMY, "controls", day, "The army controls Tall Hamid.", article_id="y")],
                             [])
    assert holders(periods, day, TOWN.name) == {REBELS: "contested", ARMY: "contested"}


def test_a_past_holding_without_a_date_lasts_until_the_transfer_that_ends_it():
    periods = build_timeline([statement(REBELS, "held", None, "Rebels who had held part of Tall Hamid left.",
                                        part="part")],
                             [transfer(ARMY, REBELS, date(2020, 6, 10), kind="Non-violent transfer of territory")])
    (rebels,) = [p for p in periods if p.actor == REBELS]
    assert (rebels.status, rebels.start, rebels.end) == ("partial", None, date(2020, 6, 10))
    assert holders(periods, date(2019, 1, 1), TOWN.name) == {REBELS: "partial"}
    assert holders(periods, date(2020, 6, 10), TOWN.name) == {ARMY: "partial"}  # it took the rebels' part


def test_a_siege_lies_over_the_holder_and_ends_when_the_besieger_takes_the_place():
    periods = build_timeline([statement(REBELS, "controls", date(2020, 1, 5), "Rebels control Tall Hamid."),
                              statement(ARMY, "besieges", date(2020, 2, 1), "The army besieges Tall Hamid.")],
                             [transfer(ARMY, REBELS, date(2020, 3, 1))])
    assert holders(periods, date(2020, 2, 15), TOWN.name) == {REBELS: "controls", ARMY: "besieged"}
    assert holders(periods, date(2020, 3, 1), TOWN.name) == {ARMY: "controls"}


def test_control_on_keeps_one_country():
    periods = build_timeline([statement(REBELS, "controls", date(2020, 1, 5), "Rebels control Tall Hamid.")], [])
    assert control_on(periods, date(2020, 2, 1), country="syria") == periods
    assert control_on(periods, date(2020, 2, 1), country="Iraq") == []


# --- what extraction reads for the timeline -------------------------------------------------------------------

def statements(pipeline, text):
    result = pipeline.process(Article(id="t", text=text, published=date(2019, 6, 1)))
    return [(c.actor, c.place.name, c.status, [e.text for e in c.evidence if e.field == "part"])
            for c in result.control]


def test_under_government_control_is_a_statement(pipeline):
    assert ("Military Forces of Syria", "Al Bab", "controls", []) in statements(
        pipeline, "Al-Bab is now under government control, state media said.")


def test_a_contested_town_has_no_one_holder(pipeline):
    found = statements(pipeline, "Clashes continued in the contested town of Manbij, where Kurdish forces and "
                                 "Turkish-backed rebels fight.")
    assert (None, "Manbij", "contested", []) in found


def test_most_of_a_province_is_a_part_of_it(pipeline):
    assert statements(pipeline, "Hayat Tahrir al-Sham controls most of Idlib province.") == [
        ("Hayat Tahrir al-Sham", "Idleb", "controls", ["most"])]


def test_the_district_of_a_place_is_the_place_itself(pipeline):
    assert statements(pipeline, "Islamic State still controls the district of al-Qadam, residents said.") == [
        (ISIS, QADAM, "controls", [])]
