"""The actor knowledge base's tiers: user files, then hand-curated actors.json, then
derived_actors.json (built by scripts/build_actors.py from UCDP, Phoenix and re3d)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from warmonitor.model import Article
from warmonitor.resolve.actor_kb import DERIVED_FILE, ActorKB, _read_actor_file

ROOT = Path(__file__).resolve().parents[1]
# Groups UCDP lists that the curated file does not: DR Congo, the Philippines, Iran.
UCDP_ONLY = {"Kamuina Nsapu": "Democratic Republic of Congo", "Maute group": "Philippines",
             "Jaish al-Adl": "Iran"}


def write_actors(path: Path, actors: list[dict]) -> Path:
    path.write_text(json.dumps({"actors": actors}), encoding="utf-8")
    return path


def test_the_derived_file_loads_with_groups_only_ucdp_knows(actor_kb):
    derived = {r.name: r for r in _read_actor_file(DERIVED_FILE)}
    assert len(derived) > 200
    for name, country in UCDP_ONLY.items():
        # Once curators take a group over, the rebuilt derived file leaves it to them.
        assert name in derived or actor_kb.origin(name) == "curated"
        rec = actor_kb.lookup_record(name)
        assert rec is not None and rec.name == name and country in rec.countries
    assert actor_kb.origin("Maute group") in ("derived", "curated")
    assert actor_kb.lookup("Islamic State Mindanao").name == "Maute group"  # a former name is an alias


def test_no_curated_alias_resolves_to_a_derived_actor(actor_kb):
    curated = [r for r in actor_kb.records() if actor_kb.origin(r.name) == "curated"]
    assert len(curated) > 50
    for rec in curated:
        assert actor_kb.lookup_record(rec.name).name == rec.name
        for alias in rec.aliases:
            found = actor_kb.lookup_record(alias)
            assert found is None or actor_kb.origin(found.name) == "curated", alias


def test_curated_beats_derived_on_a_shared_alias_and_name(tmp_path):
    derived = write_actors(tmp_path / "derived.json", [
        {"name": "Daesh Splinter", "inter": 2, "countries": ["Syria"], "aliases": ["Daesh", "Daesh Splinter Cell"]},
        {"name": "Hamas", "inter": 3, "countries": ["Lebanon"], "aliases": ["Derived Hamas Alias"]},
    ])
    actor_kb = ActorKB.load(derived_file=derived)
    assert actor_kb.lookup("Daesh", country="Syria").name == "Islamic State"
    assert actor_kb.lookup("Daesh Splinter Cell").name == "Daesh Splinter"  # its own alias still works
    assert actor_kb.origin("Daesh Splinter") == "derived"
    # The curated record replaces the derived one of the same name, aliases and all.
    assert actor_kb.origin("Hamas") == "curated" and actor_kb.record("Hamas").inter == 2
    assert actor_kb.lookup("Derived Hamas Alias") is None


def test_a_user_file_beats_curated_and_derived(tmp_path):
    derived = write_actors(tmp_path / "derived.json", [
        {"name": "Daesh Splinter", "inter": 2, "countries": ["Syria"], "aliases": ["Daesh"]}])
    user = write_actors(tmp_path / "mine.json", [
        {"name": "My Daesh", "inter": 2, "countries": ["Syria"], "aliases": ["Daesh"]}])
    actor_kb = ActorKB.load(extra_files=[user], derived_file=derived)
    assert actor_kb.lookup("Daesh").name == "My Daesh"
    assert actor_kb.origin("My Daesh") == f"user:{user}"
    assert actor_kb.origin("Islamic State") == "curated" and actor_kb.origin("Nobody") is None


def test_without_a_derived_file_only_curated_actors_load(tmp_path):
    actor_kb = ActorKB.load(derived_file=tmp_path / "absent.json")
    assert {actor_kb.origin(r.name) for r in actor_kb.records()} == {"curated"}


ORDINARY_SENTENCES = [
    "The base was attacked at dawn and two guards were wounded.",
    "The movement of troops near the front line worried residents.",
    "The army said the front was quiet on Sunday.",
    "Resistance to the plan grew among farmers in the region.",
    "John Smith, a local teacher, said the union would strike.",
    "Spiders and snakes were found in the abandoned school.",
    "The security group met the family of the victims in the north.",
    "Red Command posters were not seen; the red command post was empty.",
    "Outlaws stole cattle from the village, the police said.",
    "The Liberation Army of the story is fiction, the director said.",
    "Mohammed Ali travelled to Lagos to meet the Spanish delegation.",
]


@pytest.mark.parametrize("text", ORDINARY_SENTENCES)
def test_ordinary_words_never_become_a_derived_actor(nlp, actor_kb, actor_resolver, text):
    doc = nlp(text)
    mentions = actor_resolver.find(doc, Article(id="t", text=text), country="Nigeria")
    derived = [(m.text, m.actor.name) for m in mentions if m.actor and actor_kb.origin(m.actor.name) == "derived"]
    assert derived == []


def test_a_derived_group_is_found_in_text(nlp, actor_kb, actor_resolver):
    text = "Fighters of the Maute group seized part of Marawi."
    mentions = actor_resolver.find(nlp(text), Article(id="t", text=text), country="Philippines")
    assert [m.actor.name for m in mentions if m.kind == "named"] == ["Maute group"]


def _build_script():
    spec = importlib.util.spec_from_file_location("build_actors", ROOT / "scripts" / "build_actors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_actors", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_build_is_deterministic_and_safe(shared):
    build = _build_script()
    curated = ActorKB.load(derived_file=None)
    rules = build.make_rules(shared, curated)
    first = build.derive_actors(shared, curated, rules)
    second = build.derive_actors(shared, curated, rules)
    assert first.records == second.records
    assert [r["name"] for r in first.records] == sorted((r["name"] for r in first.records),
                                                        key=lambda n: (n.casefold(), n))
    for rec in first.records:  # curated owns every name it lists
        for alias in (rec["name"], *rec["aliases"]):
            assert not rules.curated_owner(alias), alias
    for word in ("The Base", "Movement", "Resistance", "Union", "Spiders"):
        assert rules.problem(word) is not None, word
    assert first.skipped and first.dropped  # the summary has something to say
