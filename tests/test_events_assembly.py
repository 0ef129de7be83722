"""How mentions become events: one event per happening, its fields, and its place in the order.
Each case is a short report written for this test and run through the whole pipeline."""
from datetime import date

import pytest

from warmonitor.model import Article


def code(pipeline, text, published=date(2023, 5, 10), title=None):
    return pipeline.process(Article(id="t", text=text, title=title, published=published)).events


def test_a_toll_told_beside_an_attack_is_that_attacks_toll(pipeline):
    events = code(pipeline, "BAGHDAD - A car bomb exploded at a market in Baghdad on Tuesday, killing 11 people, "
                            "police said.")
    assert len(events) == 1
    e = events[0]
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.fatalities == 11 and e.actor2 == "Civilians (Iraq)" and e.civilian_targeting == "Civilian targeting"
    assert e.event_date == date(2023, 5, 9)


def test_a_suicide_car_bomb_is_a_suicide_bomb(pipeline):
    e = code(pipeline, "A suicide car bomb hit an army checkpoint in Mosul on Monday, killing four soldiers.")[0]
    assert e.sub_event_type == "Suicide bomb"


def test_two_events_on_two_days_stay_apart_and_the_lead_comes_first(pipeline):
    events = code(pipeline,
                  "Gunmen abducted 14 villagers near Zamfara on Monday, residents said. "
                  "Separately, the army said its aircraft bombed a bandit camp in the state last week.")
    assert [e.sub_event_type for e in events] == ["Abduction/forced disappearance", "Air/drone strike"]
    assert events[1].time_precision == 2


def test_without_a_report_date_the_event_is_kept_undated(pipeline):
    events = code(pipeline, "Rebels clashed with troops near Idlib, killing nine fighters.", published=None)
    assert len(events) == 1
    assert events[0].event_date is None and events[0].time_precision is None


def test_an_unresolved_place_never_gets_coordinates(pipeline):
    e = code(pipeline, "Militants attacked the village of Xyzzyqa in Borno state on Sunday, killing three "
                       "farmers.")[0]
    assert e.latitude is None and e.longitude is None
    assert e.country == "Nigeria"


def test_a_country_only_event_keeps_its_country_and_no_point(pipeline):
    e = code(pipeline, "Syrian forces and rebels clashed on Monday, a monitor said.")[0]
    assert e.country == "Syria" and e.latitude is None and e.geo_precision == 3


def test_threats_denials_and_conditions_give_nothing(pipeline):
    assert code(pipeline, "The militants threatened to storm the town if the army did not withdraw. "
                          "The army denied shelling civilian areas.") == []


def test_accidents_and_disasters_are_not_political_violence(pipeline):
    assert code(pipeline, "A bus overturned on the highway near Kandahar on Friday, killing 16 passengers.") == []
    assert code(pipeline, "Floods killed at least 40 people in Sudan's Kassala state this week.") == []


def test_the_headline_picks_the_main_event(pipeline):
    text = ("Troops killed six militants in a raid near Kunduz on Monday, officials said. "
            "On Tuesday, a roadside bomb struck a police vehicle in Kunduz, killing two officers.")
    events = code(pipeline, text, title="Roadside bomb kills two police in Kunduz")
    assert events[0].sub_event_type == "Remote explosive/landmine/IED"


def test_every_event_carries_its_evidence(pipeline):
    text = "Jets struck a hospital in Saraqeb on Sunday, killing five civilians, the Syrian Observatory said."
    e = code(pipeline, text)[0]
    fields = {ev.field: ev.text for ev in e.evidence}
    assert fields["event_type"] == "struck"
    assert fields["fatalities"] == "five"
    assert fields["event_date"] == "on Sunday"
    assert fields["location"] == "Saraqeb"
    for ev in e.evidence:
        assert text[ev.start:ev.end] == ev.text


def test_an_event_said_to_be_in_the_country_takes_the_place_the_lead_named(pipeline):
    text = ("Idlib, the last rebel stronghold, came under fire again. "
            "An air strike killed 12 civilians in Syria on Monday, a monitoring group said.")
    [event] = pipeline.process(Article(id="lead", text=text, published=date(2019, 5, 7))).events
    assert (event.admin1, event.geo_precision) == ("Idleb", 2)  # where, known less exactly than a named town


def test_a_country_level_event_takes_the_province_the_report_keeps_naming(pipeline):
    text = ("Government forces shelled villages on Monday, killing five people in Syria, a monitoring group said. "
            "The group gave no further details. Residents later fled toward Saraqib and Maarat al-Numan. "
            "Aid groups in Idlib province asked for access.")
    [event] = pipeline.process(Article(id="dominant", text=text, published=date(2019, 5, 7))).events
    assert (event.admin1, event.location, event.geo_precision) == ("Idleb", "Idleb", 3)


def test_strikes_across_the_country_are_one_event_per_town_and_the_lead_town_comes_first(pipeline):
    events = code(pipeline,
                  "At least four people were killed on Friday in government air strikes in Syria. "
                  "Rescuers in Idlib said four civilians died when an air strike hit the town of Sarmin. "
                  "A mosque north of Hama city in Kafr Zeita was also destroyed by Russian air strikes. "
                  "Jets also struck the Qaboun neighbourhood of Damascus.")
    assert events[0].admin1 == "Idleb"
    assert len({e.admin1 for e in events}) >= 3


@pytest.mark.parametrize("text, title", [
    # the lead says only "in Syria"
    ("At least four people were killed on Friday in government air strikes in Syria. "
     "A mosque north of Hama was also destroyed, local rescuers said. "
     "Idlib is the main opposition stronghold in the north-west.",
     "Air strikes kill 4 in Syria's Idlib, destroy mosque in Hama"),
    # the lead names no place; the text names Hama first, the headline Idlib (without its apostrophe)
    ("At least four people were killed on Friday in government air strikes. "
     "Rescuers in central Hama province said a mosque was destroyed. "
     "Local people in Idlib province counted four dead.",
     "Air strikes kill 4 in Syrias Idlib destroy mosque in Hama"),
])
def test_a_lead_without_a_town_takes_the_place_the_headline_names_first(pipeline, text, title):
    assert code(pipeline, text, title=title)[0].admin1 == "Idleb"


def test_the_next_sentence_about_another_town_is_another_event(pipeline):
    events = code(pipeline,
                  "Rockets fired by militants hit the Salah Eddin neighbourhood of Aleppo on Tuesday, killing "
                  "three civilians. A woman was also killed when shells struck a house in Homs city.")
    assert sorted(e.admin1 for e in events) == ["Aleppo", "Homs"]


def test_a_road_leading_to_another_city_does_not_move_the_event(pipeline):
    events = code(pipeline,
                  "Hundreds of people protested in the city of Sweida on Friday against rising prices. "
                  "The protesters blocked the main road to Damascus for two hours before going home.")
    assert [e.location for e in events] == ["As-Suwayda"]


def test_headlines_of_other_stories_after_the_story_are_not_its_events(pipeline):
    events = code(pipeline,
                  "Air strikes killed 12 civilians in Deir ez-Zor on Monday, activists said. Source: agencies "
                  "Related News Car bomb kills five in Idlib market | Protesters rally in Daraa")
    assert [e.admin1 for e in events] == ["Deir-ez-Zor"]


def test_a_guided_bomb_is_dropped_from_the_air(pipeline):
    e = code(pipeline, "A Russian guided bomb hit an apartment building in Kurakhove, killing two residents.")[0]
    assert e.sub_event_type == "Air/drone strike"


def test_a_report_that_names_one_place_in_the_country_puts_its_event_there(pipeline):
    events = code(pipeline,
                  "A chemical attack killed dozens of people in Syria on Tuesday, rescuers said. "
                  "The United States and France called for a meeting of the Security Council. "
                  "Doctors in Khan Sheikhoun said the victims were choking.")
    assert events[0].admin1 == "Idleb" and events[0].geo_precision == 2
