"""Who did what to whom, and who says so, read from the parse of single sentences."""
import pytest

from warmonitor.extract.claims import claims_in
from warmonitor.extract.roles import ActorIndex, find_roles
from warmonitor.extract.triggers import TriggerMatcher
from warmonitor.model import Article
from warmonitor.resolve.actors import ActorKB, ActorResolver
from warmonitor.resolve.modifiers import ModifierActors


@pytest.fixture(scope="module")
def kb():
    return ActorKB.load()


@pytest.fixture(scope="module")
def read(nlp, lexicon, kb):
    resolver = ActorResolver(kb)
    matcher = TriggerMatcher(lexicon)

    def _read(text, country="Syria", trigger=None):
        doc = nlp(text)
        mentions = resolver.find(doc, Article(id="t", text=text), country=country)
        index = ActorIndex(doc, mentions, modifier=ModifierActors(kb, country),
                           civilians=kb.country_actor("Civilians ({country})", country),
                           person_nouns=lexicon.person_nouns, military_assets=lexicon.military_assets)
        hits = matcher.find(doc)
        hit = next(h for h in hits if trigger is None or h.anchor.text == trigger)
        roles = find_roles(hit.anchor, index)
        name = lambda m: m.actor.name if m is not None and m.actor is not None else None  # noqa: E731
        return name(roles.agent), name(roles.patient)
    return _read


def test_subject_and_object(read):
    assert read("Rebels attacked army positions near Hama on Monday.", trigger="attacked") == \
        ("Rebel Groups (Syria)", "Military Forces of Syria")


def test_passive_with_agent(read):
    assert read("Five soldiers were killed by militants near Homs.", trigger="killed") == \
        ("Unidentified Armed Group (Syria)", "Military Forces of Syria")


def test_participle_subject_is_shared_with_the_main_verb(read):
    agent, patient = read("Islamic State fighters gained ground after driving out Syrian troops.", trigger="driving")
    assert agent == "Islamic State" and patient == "Military Forces of Syria"


def test_modifier_names_the_attacker(read):
    assert read("Russian air strikes hit a market in Idlib.", trigger="strikes")[0] == "Military Forces of Russia"
    assert read("The town came under heavy government shelling on Friday.", trigger="shelling")[0] == \
        "Military Forces of Syria"


def test_unnamed_people_killed_are_civilians(read):
    assert read("Gunmen killed a farmer and his son near Deraa.", trigger="killed") == \
        ("Unidentified Armed Group (Syria)", "Civilians (Syria)")


def test_the_reporting_voice_is_not_a_participant(read):
    agent, _ = read("Residents said the army arrested 30 men in the district.", trigger="arrested")
    assert agent == "Police Forces of Syria" or agent == "Military Forces of Syria"


def claims(nlp, lexicon, text):
    sent = next(nlp(text).sents)
    return [(c.claimant, c.verb) for c in claims_in(sent, 0, [], lexicon)]


def test_claim_with_subject(nlp, lexicon):
    assert claims(nlp, lexicon, "The ministry said troops repelled the attack.") == [("The ministry", "say")]


def test_claim_at_the_end_of_the_sentence(nlp, lexicon):
    assert claims(nlp, lexicon, "Jets struck the town on Monday, killing four people, the monitoring group said.") \
        == [("the monitoring group", "say")]


def test_according_to(nlp, lexicon):
    assert claims(nlp, lexicon, "Six soldiers died in the ambush, according to local officials.") == \
        [("local officials", "according to")]


def test_responsibility_claims_are_marked(nlp, lexicon):
    assert claims(nlp, lexicon, "The group claimed responsibility for the bombing.") == \
        [("The group", "claimed responsibility")]


def test_nobody_claiming_is_no_claim(nlp, lexicon):
    assert claims(nlp, lexicon, "No group claimed responsibility for the blast.") == []
