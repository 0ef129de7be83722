"""ACLED's conventions for the two sides of an event, each shown on a short report written for the test."""
from datetime import date

from warmonitor.model import Article


def main_event(pipeline, text):
    return pipeline.process(Article(id="t", text=text, published=date(2021, 3, 8))).events[0]


def test_the_victims_identity_is_their_associated_actor_not_a_new_actor(pipeline):
    e = main_event(pipeline, "Islamic State militants killed 12 Kurdish civilians in the village of Tal Tamr in "
                             "Hasakeh province on Monday.")
    assert (e.actor1, e.actor2) == ("Islamic State", "Civilians (Syria)")
    assert e.assoc_actor_2 == "Kurdish Ethnic Group (Syria)"
    assert e.civilian_targeting == "Civilian targeting" and e.interaction == 27


def test_faith_and_trade_of_the_victims_both_go_to_the_associated_actor(pipeline):
    e = main_event(pipeline, "Suspected Fulani herders attacked Christian farmers in Plateau State on Sunday, "
                             "killing 14, police said.")
    assert (e.actor1, e.actor2) == ("Fulani Ethnic Militia (Nigeria)", "Civilians (Nigeria)")
    assert e.assoc_actor_2 == "Christian Group (Nigeria); Farmers (Nigeria)"
    assert e.interaction == 47


def test_a_generic_actor_takes_the_country_of_the_event_not_of_the_story(pipeline):
    events = pipeline.process(Article(id="t", published=date(2021, 3, 8), text=(
        "Gunmen killed 20 villagers in the Tillaberi region of Niger on Sunday, a Nigerian official said, "
        "as Nigerian troops fought Boko Haram in Borno."))).events
    niger = next(e for e in events if e.country == "Niger")
    assert (niger.actor1, niger.actor2) == ("Unidentified Armed Group (Niger)", "Civilians (Niger)")
    nigeria = next(e for e in events if e.country == "Nigeria")
    assert nigeria.actor1 == "Military Forces of Nigeria"  # "Nigerian troops" name their own country


def test_a_civilian_victim_is_always_actor2(pipeline):
    e = main_event(pipeline, "Villagers clashed with gunmen in the town of Kidal on Monday.")
    assert (e.actor1, e.actor2) == ("Unidentified Armed Group (Mali)", "Civilians (Mali)")


def test_a_descriptors_evidence_also_points_at_the_name_it_stands_for(pipeline):
    text = "ISIS fighters entered the town of Hajin on Monday. The ultra-hardline group killed 11 villagers there."
    e = next(e for e in pipeline.process(Article(id="t", text=text, published=date(2018, 3, 8))).events
             if e.sub_event_type == "Attack")
    assert e.actor1 == "Islamic State"
    assert [x.text for x in e.evidence if x.field == "actor1"] == ["The ultra-hardline group", "ISIS fighters"]


def test_the_groups_gunmen_are_the_groups(pipeline):
    text = ("Al-Shabab fighters stormed a hotel in Mogadishu on Friday. The militants held it for hours before "
            "the group's gunmen were shot dead by police.")
    mentions = pipeline.process(Article(id="t", text=text, published=date(2021, 3, 8))).actors
    owned = next(m for m in mentions if m.text == "the group's gunmen")
    assert owned.actor.name == "Al Shabaab" and owned.kind == "descriptor"


def test_a_group_that_claims_the_attack_is_its_author(pipeline):
    e = main_event(pipeline, "Suspected jihadists killed 24 Malian soldiers near Tabankort on Monday. "
                             "Islamic State in the Greater Sahara later claimed the assault.")
    assert e.actor1 == "Islamic State Sahel Province" and e.country == "Mali"


def test_a_place_word_inside_a_groups_name_is_not_where_it_happened(pipeline):
    result = pipeline.process(Article(id="t", published=date(2019, 11, 19), text=(
        "Islamic State in the Greater Sahara fighters killed 24 Malian soldiers near Tabankort on Monday.")))
    assert all("Sahara" not in m.text for m in result.places)
    assert result.events[0].country == "Mali"
