"""The actor layer: who a name, a generic word, a descriptor or a pronoun stands for."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from warmonitor.model import Article
from warmonitor.nlp import load_nlp
from warmonitor.resolve.actors import ActorDataError, ActorKB, ActorResolver

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "qadam-2018-03-20.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def find(nlp, actor_resolver, text, country=None, published=None):
    article = Article(id="t", text=text, published=published)
    return actor_resolver.find(nlp(text), article, country=country)


def by_text(mentions):
    return {m.text: m for m in mentions}


# -- the knowledge base ------------------------------------------------------------------------------

@pytest.mark.parametrize("alias", ["ISIS", "ISIL", "IS", "Daesh", "Islamic State", "Islamic State group"])
def test_islamic_state_aliases(actor_kb, alias):
    assert actor_kb.lookup(alias).name == "Islamic State"


def test_short_abbreviations_match_only_as_written(actor_kb):
    assert actor_kb.lookup("is") is None
    assert actor_kb.lookup("isis") is None  # "Isis" is also a first name
    assert actor_kb.lookup("daesh").name == "Islamic State"  # long aliases ignore case


def test_name_history_follows_successors_by_year(actor_kb):
    assert actor_kb.lookup("Nusra Front", year=2015).name == "Nusra Front"
    assert actor_kb.lookup("Nusra Front", year=2018).name == "Hayat Tahrir al-Sham"
    assert actor_kb.lookup("Jabhat al-Nusra", year=2017).name == "Jabhat Fateh al-Sham"
    assert actor_kb.lookup("AMISOM", year=2023).name == "African Union Transition Mission in Somalia"


def test_state_forces_use_the_naming_convention(actor_kb):
    assert actor_kb.lookup("IDF").name == "Military Forces of Israel"
    assert actor_kb.lookup("Sudanese Armed Forces").name == "Military Forces of Sudan"
    assert actor_kb.lookup("Tatmadaw").name == "Military Forces of Myanmar"
    forces = actor_kb.country_actor("Military Forces of {country}", "Nigeria")
    assert (forces.name, forces.inter, forces.country) == ("Military Forces of Nigeria", 1, "Nigeria")


def test_a_shared_alias_prefers_the_focus_country(actor_kb):
    assert actor_kb.lookup("al-Shabab").name == "Al Shabaab"
    assert actor_kb.lookup("al-Shabab", country="Mozambique").name == "Ahlu Sunnah Wa-Jama"


def test_unknown_names_resolve_to_nothing(actor_kb):
    assert actor_kb.lookup("Liwa Jabal al-Aswad") is None  # an invented local militia
    assert actor_kb.lookup("Islamic Statehood Party") is None
    assert actor_kb.lookup("Government of Atlantis") is None


def test_observers_are_known_as_observers(actor_kb):
    assert actor_kb.record(actor_kb.lookup("SOHR").name).kind == "observer"
    assert actor_kb.lookup("the Observatory").name == "Syrian Observatory for Human Rights"


def test_a_user_file_adds_and_overrides_actors(tmp_path, nlp):
    extra = tmp_path / "my_actors.json"
    extra.write_text(json.dumps([
        {"name": "Liwa Jabal al-Aswad", "aliases": ["Black Mountain Brigade", "Jabal al-Aswad Brigade"], "inter": 3,
         "countries": ["Syria"], "kind": "armed", "parent": "National Defence Forces"},
        {"name": "Islamic State", "aliases": ["ISIS", "Daesh"], "inter": 2, "kind": "armed"},
    ]))
    actor_kb = ActorKB.load(extra_files=[extra])
    assert actor_kb.lookup("Black Mountain Brigade").name == "Liwa Jabal al-Aswad"
    assert actor_kb.lookup("ISIL") is None  # the user's entry replaced the bundled alias list
    mentions = find(nlp, ActorResolver(actor_kb), "Black Mountain Brigade fighters clashed with Daesh near Palmyra.")
    assert [m.actor.name for m in mentions] == ["Liwa Jabal al-Aswad", "Islamic State"]


def test_a_malformed_user_file_gives_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "X", "inter": 12}]))
    with pytest.raises(ActorDataError, match=r"actor #1 \(X\): 'inter'") as e:
        ActorKB.load(extra_files=[bad])
    assert "\n" not in str(e.value)
    with pytest.raises(ActorDataError, match="not found"):
        ActorKB.load(extra_files=[tmp_path / "missing.json"])


# -- mentions in text ---------------------------------------------------------------------------------

def test_named_mentions_carry_their_member_noun_as_head(nlp, actor_resolver):
    text = "Boko Haram fighters raided a village."
    [m] = find(nlp, actor_resolver, text, country="Nigeria")
    assert (m.text, m.kind, m.actor.name) == ("Boko Haram fighters", "named", "Boko Haram")
    assert text[m.head:].startswith("fighters")


def test_name_history_in_text_uses_the_publication_year(nlp, actor_resolver):
    text = "Nusra Front fighters shelled the town."
    early = find(nlp, actor_resolver, text, published=date(2015, 5, 1))
    late = find(nlp, actor_resolver, text, published=date(2018, 5, 1))
    assert early[0].actor.name == "Nusra Front"
    assert late[0].actor.name == "Hayat Tahrir al-Sham"


def test_generic_agents_take_the_nationality_in_the_phrase(nlp, actor_resolver):
    ms = by_text(find(nlp, actor_resolver, "Russian forces shelled Kharkiv as Ukrainian troops dug in.",
                      country="Ukraine"))
    assert ms["Russian forces"].actor.name == "Military Forces of Russia"
    assert ms["Ukrainian troops"].actor.name == "Military Forces of Ukraine"
    assert ms["Russian forces"].kind == "generic"


def test_generic_agents_fall_back_to_the_focus_country(nlp, actor_resolver):
    ms = by_text(find(nlp, actor_resolver, "Gunmen killed five villagers before police arrived.", country="Nigeria"))
    assert ms["Gunmen"].actor.name == "Unidentified Armed Group (Nigeria)"
    assert ms["villagers"].actor.name == "Civilians (Nigeria)"
    assert ms["police"].actor.name == "Police Forces of Nigeria"
    assert ms["Gunmen"].actor.inter == 3


def test_without_any_country_a_generic_agent_keeps_no_country(nlp, actor_resolver):
    [m] = find(nlp, actor_resolver, "Rebels withdrew overnight.")
    assert (m.actor.name, m.actor.country) == ("Rebel Groups", None)


def test_vague_or_modifier_words_are_not_agents(nlp, actor_resolver):
    text = "Forces advanced on the government-held town during an army offensive."
    assert find(nlp, actor_resolver, text, country="Syria") == []


def test_descriptor_points_back_to_a_compatible_named_group(nlp, actor_resolver):
    text = ("SDF fighters and Daesh clashed near Hajin. Rebels fled the area. "
            "The jihadists later shelled a market.")
    ms = find(nlp, actor_resolver, text, country="Syria")
    desc = next(m for m in ms if m.kind == "descriptor")
    assert desc.text == "The jihadists"
    assert desc.actor.name == "Islamic State"  # not the SDF (not jihadist), not the generic rebels
    assert ms[desc.antecedent].text == "Daesh"


def test_descriptor_without_antecedent_is_not_invented(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "Fighters of an unnamed brigade attacked. The group later withdrew.")
    assert [m for m in ms if m.kind == "descriptor"] == []


def test_plural_groups_and_unknown_names_are_not_taken_for_the_last_group(nlp, actor_resolver):
    text = "ISIS attacked Raqqa. The QXR militant group responded. The rival groups met later."
    ms = find(nlp, actor_resolver, text, country="Syria")
    assert [m.kind for m in ms] == ["named"]


def test_subject_pronoun_takes_the_previous_subject_actor(nlp, actor_resolver):
    text = "Al Shabaab has lost most of its towns. It now holds only rural areas."
    ms = find(nlp, actor_resolver, text, country="Somalia")
    pronoun = ms[-1]
    assert (pronoun.text, pronoun.kind, pronoun.actor.name) == ("It", "pronoun", "Al Shabaab")
    assert ms[pronoun.antecedent].text == "Al Shabaab"


def test_pronoun_whose_previous_subject_is_no_actor_stays_unresolved(nlp, actor_resolver):
    text = "ISIS attacked the town. The town lies on a river. It is small."
    ms = find(nlp, actor_resolver, text)
    assert [m.kind for m in ms] == ["named"]


def test_all_caps_headline_does_not_read_is_as_islamic_state(nlp, actor_resolver):
    assert find(nlp, actor_resolver, "THE WAR IS NOT OVER YET") == []


def test_doc_must_come_from_the_article_text(nlp, actor_resolver):
    with pytest.raises(ValueError, match="article t"):
        actor_resolver.find(nlp("something else"), Article(id="t", text="ISIS attacked."))


# -- the reference article (skips without ../shared) -----------------------------------------------------

@pytest.fixture(scope="module")
def seed_mentions(nlp, actor_resolver):
    if not SEED.exists():
        pytest.skip("../shared is not available")
    raw = SEED.read_text(encoding="utf-8")
    body = raw[raw.index("BEIRUT - "):]
    return body, find(nlp, actor_resolver, body, country="Syria", published=date(2018, 3, 20))


def _first(mentions, text):
    return next(m for m in mentions if m.text == text)


def test_seed_named_and_generic_actors(seed_mentions):
    _, ms = seed_mentions
    assert _first(ms, "ISIS fighters").actor.name == "Islamic State"
    assert _first(ms, "Syrian army units").actor.name == "Military Forces of Syria"
    assert _first(ms, "Syrian soldiers").actor.name == "Military Forces of Syria"
    assert _first(ms, "rebels").actor.name == "Rebel Groups (Syria)"
    assert _first(ms, "the government").actor.name == "Government of Syria"


def test_seed_observer_and_descriptors(seed_mentions):
    _, ms = seed_mentions
    sohr = _first(ms, "Syrian Observatory for Human Rights")
    assert sohr.kind == "observer"
    group = _first(ms, "the ultra-hardline militant group")
    assert (group.kind, group.actor.name) == ("descriptor", "Islamic State")
    sdf = next(m for m in ms if m.text.startswith("an alliance of Kurdish and Arab militias"))
    assert sdf.actor.name == "Syrian Democratic Forces"


def test_seed_last_paragraph_pronoun(seed_mentions):
    body, ms = seed_mentions
    last_it = [m for m in ms if m.kind == "pronoun"][-1]
    assert last_it.start == body.rindex("It now")
    assert last_it.actor.name == "Islamic State"
    # "It is located next to the Yarmouk camp" is about a district, not an actor.
    assert all(m.start != body.index("It is located") for m in ms)


@pytest.mark.parametrize("text, name", [
    ("Islamic State Pakistan Province claimed the bombing in Bajaur.", "Islamic State Pakistan Province"),
    ("Fighters of the Hamas Youth Battalion clashed with the police.", "Hamas Youth Battalion"),
])
def test_a_known_name_inside_a_longer_unknown_name_is_left_unresolved(nlp, actor_resolver, text, name):
    ms = find(nlp, actor_resolver, text)
    assert [(m.text, m.actor, m.kind) for m in ms if name in m.text] == [(name, None, "unknown")]


def test_a_title_after_a_known_name_does_not_hide_the_name(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "Hezbollah Secretary-General Hassan Nasrallah said the fighters would respond.")
    assert ms[0].actor.name == "Hezbollah"


def test_it_in_a_reported_clause_is_the_reporter(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "Jaish al-Islam fighters shelled the district. The group said it had destroyed a tank.",
              country="Syria")
    it = next(m for m in ms if m.text == "it")
    assert it.kind == "pronoun" and it.actor.name == "Jaish al-Islam"


def test_an_observer_saying_it_counted_the_dead_makes_no_combatant(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "The Syrian Observatory said it had counted 40 dead.", country="Syria")
    assert [m.kind for m in ms] == ["observer"]


def test_the_insurgents_after_a_named_group_are_that_group(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "Boko Haram fighters raided Gwoza on Sunday. The insurgents burned the market.",
              country="Nigeria")
    insurgents = next(m for m in ms if m.text == "The insurgents")
    assert insurgents.actor.name == "Boko Haram" and insurgents.kind == "descriptor"


def test_a_group_named_like_a_big_town_is_left_out_of_the_derived_list(actor_kb):
    # UCDP lists a Philippine group called Al-Khobar; a story about the Saudi city must not name an actor
    assert actor_kb.lookup("Al-Khobar") is None


def test_the_group_after_a_nearer_unarmed_group_is_that_group(nlp, actor_resolver):
    ms = find(nlp, actor_resolver, "ADF fighters killed 22 villagers near Beni, a local civil society group said. "
                             "The group called on soldiers to protect the farms.", country="Democratic Republic of Congo")
    assert all(m.text != "The group" for m in ms)
