"""Statements of who holds what are kept as data, with their evidence; they are never events."""
from datetime import date

from warmonitor.model import Article


def control(pipeline, text, published=date(2019, 6, 1)):
    result = pipeline.process(Article(id="c", text=text, published=published))
    return [(c.actor, c.place.name if c.place else None, c.status, c.as_of) for c in result.control]


def test_present_control(pipeline):
    assert ("Islamic State", "Hajin", "controls", date(2019, 6, 1)) in control(
        pipeline, "Islamic State still controls the town of Hajin, residents said.")


def test_past_control_has_no_date_of_its_own(pipeline):
    found = control(pipeline, "Rebels who had held Douma for years left the town.")
    assert ("Rebel Groups (Syria)", "Duma", "held", None) in found


def test_a_held_place_in_a_participle(pipeline):
    found = control(pipeline, "Idlib is the last large area held by rebels in Syria.")
    assert any(actor == "Rebel Groups (Syria)" and status == "controls" for actor, _, status, _ in found)


def test_control_is_not_an_event(pipeline):
    result = pipeline.process(Article(id="c", text="Government forces control most of Daraa province.",
                                      published=date(2019, 6, 1)))
    assert result.events == [] and result.control
