"""Death tolls follow ACLED's counting rules: lowest credible figure, injuries never counted."""
import pytest

from warmonitor.extract.numbers import deaths_in_sentence


def tolls(nlp, lexicon, text):
    sent = next(nlp(text).sents)
    return [(c.low, c.high) for _, c in deaths_in_sentence(sent, lexicon)]


@pytest.mark.parametrize("text, expected", [
    ("The militants killed 36 soldiers in the assault.", [(36, None)]),
    ("At least 14 fighters were killed in the clashes.", [(14, None)]),
    ("Dozens of villagers were killed when the mortars landed.", [(12, None)]),
    ("Several policemen were killed at the checkpoint.", [(3, None)]),
    ("Two soldiers and four civilians were killed by the mine.", [(6, None)]),
    ("Gunmen killed a shepherd outside the village.", [(1, None)]),
    ("Nineteen people died and 30 were hurt.", [(19, None)]),
    ("The death toll from the bombing rose to 58.", [(58, None)]),
    ("The raid left 11 dead.", [(11, None)]),
])
def test_death_tolls(nlp, lexicon, text, expected):
    assert tolls(nlp, lexicon, text) == expected


def test_a_headline_without_commas_keeps_the_dead_apart_from_the_injured(nlp, lexicon):
    assert tolls(nlp, lexicon, "Five villagers killed 31 injured in shelling on the market.") == [(5, None)]


def test_killed_and_wounded_is_not_a_death_toll(nlp, lexicon):
    assert tolls(nlp, lexicon, "The blast killed and wounded 25 people.") == []


def test_injuries_alone_are_not_deaths(nlp, lexicon):
    assert tolls(nlp, lexicon, "The shelling wounded 40 people.") == []


def test_an_upper_bound_alone_gives_no_credible_minimum(nlp, lexicon):
    assert tolls(nlp, lexicon, "Up to 40 people were killed.") == [(0, 40)]
