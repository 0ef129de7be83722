"""`warmonitor actors list|show|explain` and `warmonitor eval actors`, called through `cli.main`.

`list` and `show` read only the knowledge base (milliseconds); each `explain` loads the whole pipeline
(about half a second), so there are only a few of them. The texts are invented for these tests.
"""
from __future__ import annotations

import json

import pytest

from warmonitor.cli import main

TWO_SENTENCES = "Islamic State fighters stormed the town of Mayadin on Monday. The jihadists killed 12 soldiers."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def field(out: str, label: str) -> str:
    """The value of a "label:  value" line of `actors show`."""
    return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith(label + ":"))


def mention_line(out: str, span: str) -> str:
    return next(line for line in out.splitlines() if f"'{span}'" in line and line.lstrip().startswith("#"))


@pytest.fixture
def user_actors(tmp_path):
    """A user's file in the documented format: one new actor, one replacing a bundled actor."""
    path = tmp_path / "my_actors.json"
    path.write_text(json.dumps({"actors": [
        {"name": "Kataib Atlantis", "kind": "armed", "inter": 3, "countries": ["Syria"],
         "aliases": ["Atlantis Brigades", "KA"], "tags": ["islamist"]},
        {"name": "Islamic State", "kind": "armed", "inter": 8, "countries": ["Syria"], "aliases": ["Dawla"]},
    ]}), encoding="utf-8")
    return path


# -- list ------------------------------------------------------------------------------------------
def test_list_gives_one_line_per_actor_sorted_then_the_generic_templates(capsys):
    status, out, _ = run(capsys, "actors", "list")
    lines = out.splitlines()
    islamic_state = next(line for line in lines if line.startswith("Islamic State "))
    assert status == 0
    assert "inter 2" in islamic_state and "armed" in islamic_state and "Syria, Iraq" in islamic_state
    named = [line for line in lines if "generic template" not in line]
    generic = [line for line in lines if "generic template" in line]
    assert lines == named + generic  # templates come last
    assert [line.casefold() for line in named] == sorted(line.casefold() for line in named)
    assert any(line.startswith("Military Forces of {country}") for line in generic)


def test_list_filters_by_country_and_kind_and_fills_the_templates_country(capsys):
    status, out, _ = run(capsys, "actors", "list", "--country", "syria", "--kind", "state")
    assert status == 0
    assert any(line.startswith("Military Forces of Syria ") and "generic template" not in line
               for line in out.splitlines())
    assert any(line.startswith("Police Forces of Syria ") for line in out.splitlines())
    assert "Islamic State" not in out  # armed, not state
    assert "Somalia" not in out


def test_list_rejects_an_unknown_country_in_one_line(capsys):
    status, out, err = run(capsys, "actors", "list", "--country", "Narnia")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Narnia" in err


# -- show ------------------------------------------------------------------------------------------
def test_show_finds_an_actor_by_any_alias_and_lists_every_alias(capsys):
    status, out, _ = run(capsys, "actors", "show", "Daesh")
    assert status == 0
    assert field(out, "name") == "Islamic State"
    assert field(out, "inter") == "2 Rebel group"
    assert "ISIS (case-sensitive)" in field(out, "aliases")  # a short all-caps abbreviation
    assert "Daesh" in field(out, "aliases")
    assert field(out, "source") == "bundled actors.json"


def test_show_follows_a_renamed_group_to_its_name_in_the_given_year(capsys):
    # actors.json: Nusra Front (2012-2016) -> Jabhat Fateh al-Sham (2016-2017) -> Hayat Tahrir al-Sham
    status, out, _ = run(capsys, "actors", "show", "Nusra Front", "--year", "2018")
    assert status == 0
    assert field(out, "name") == "Hayat Tahrir al-Sham"
    assert "Nusra Front (2012–2016) became Jabhat Fateh al-Sham" in out
    assert field(out, "predecessors") == "Jabhat Fateh al-Sham"

    _, out, _ = run(capsys, "actors", "show", "Nusra Front")  # no year: the name as it was
    assert field(out, "name") == "Nusra Front"
    assert field(out, "successor") == "Jabhat Fateh al-Sham"
    assert field(out, "years") == "2012–2016"


def test_show_lists_every_actor_sharing_a_name_and_says_which_wins(capsys):
    # "al-Shabab" is both the Somali group and the name Mozambique's insurgents go by.
    _, out, _ = run(capsys, "actors", "show", "al-Shabab")
    assert "is a name of 2 actors" in out
    assert field(out, "name") == "Al Shabaab"
    assert "listed first" in out

    _, out, _ = run(capsys, "actors", "show", "al-Shabab", "--country", "Mozambique")
    assert field(out, "name") == "Ahlu Sunnah Wa-Jama"
    assert "chosen because present in Mozambique" in out


def test_show_resolves_generic_names_and_descriptor_phrases(capsys):
    _, out, _ = run(capsys, "actors", "show", "Military Forces of Nigeria")
    assert field(out, "inter") == "1 State forces"
    assert field(out, "countries") == "Nigeria"
    assert "Military Forces of {country}" in field(out, "generic")

    _, out, _ = run(capsys, "actors", "show", "the alliance of Kurdish and Arab militias")
    assert field(out, "name") == "Syrian Democratic Forces"


def test_show_of_an_unknown_name_fails_in_one_line_without_guessing(capsys):
    status, out, err = run(capsys, "actors", "show", "Narnian Liberation Front")
    assert status == 1 and out == ""
    assert err == "warmonitor: no actor known as 'Narnian Liberation Front'\n"


def test_show_reads_user_actor_files_which_add_and_replace_actors(capsys, user_actors):
    status, out, _ = run(capsys, "actors", "show", "Atlantis Brigades", "--actors", str(user_actors))
    assert status == 0
    assert field(out, "name") == "Kataib Atlantis"
    assert field(out, "source") == str(user_actors)

    _, out, _ = run(capsys, "actors", "show", "Dawla", "--actors", str(user_actors))
    assert field(out, "name") == "Islamic State"
    assert field(out, "inter") == "8 External/Other forces"  # the user's entry, not the bundled one
    assert "ISIS" not in out


def test_a_bad_actors_file_is_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"actors": [{"name": "X", "inter": 12}]}', encoding="utf-8")
    status, out, err = run(capsys, "actors", "show", "X", "--actors", str(bad))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "inter" in err


# -- explain ---------------------------------------------------------------------------------------
def test_explain_says_what_each_mention_points_back_to_and_where_a_country_came_from(capsys):
    status, out, _ = run(capsys, "actors", "explain", TWO_SENTENCES, "--date", "2018-03-20")
    assert status == 0
    named = mention_line(out, "Islamic State fighters")
    assert "[0:22]" in named and "named -> Islamic State" in named and "alias 'Islamic State'" in named
    descriptor = mention_line(out, "The jihadists")
    assert "refers back to mention #1 'Islamic State fighters' (sentence 1)" in descriptor
    assert "with tag jihadist" in descriptor
    soldiers = mention_line(out, "soldiers")
    assert "Military Forces of Syria" in soldiers  # Mayadin is in Syria
    assert "agent word 'soldiers'" in soldiers and "focus country (Syria)" in soldiers
    # the event's actors, each with the span it was read from
    assert "actor1: Islamic State  <- [0:22] sentence 1 'Islamic State fighters'" in out
    assert "actor2: Military Forces of Syria  <- [86:94] sentence 2 'soldiers'" in out


def test_explain_uses_user_actor_files_and_nationality_words(capsys, tmp_path, user_actors):
    article = tmp_path / "report.txt"
    article.write_text("Atlantis Brigades fighters attacked the town of Mayadin on Monday. "
                       "Syrian soldiers repelled the attack.\n", encoding="utf-8")
    status, out, _ = run(capsys, "actors", "explain", "--file", str(article), "--actors", str(user_actors))
    assert status == 0
    assert "named -> Kataib Atlantis (inter 3 Political militia): alias 'Atlantis Brigades'" in \
        mention_line(out, "Atlantis Brigades fighters")
    assert "nationality word 'Syrian' in the phrase" in mention_line(out, "Syrian soldiers")


def test_explain_rejects_a_bad_date_and_an_empty_file_in_one_line(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["actors", "explain", TWO_SENTENCES, "--date", "2018-02-30"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    status, out, err = run(capsys, "actors", "explain", "--file", str(empty))
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and "empty" in err

    status, _, err = run(capsys, "actors", "explain")  # neither TEXT nor --file
    assert status == 2 and "TEXT or --file" in err


# -- eval actors -----------------------------------------------------------------------------------
def test_eval_actors_checks_its_options_before_loading_anything(capsys, tmp_path):
    status, _, err = run(capsys, "eval", "actors", str(tmp_path / "missing.jsonl"))
    assert status == 2 and "no such file" in err

    gold = tmp_path / "gold.jsonl"
    gold.write_text("{}\n", encoding="utf-8")
    status, _, err = run(capsys, "eval", "actors", str(gold), "--re3d-expected", str(tmp_path / "x.tsv"))
    assert status == 2 and "--re3d-expected needs --re3d" in err
    status, _, err = run(capsys, "eval", "actors", str(gold), "--re3d", str(tmp_path / "no_dir"))
    assert status == 2 and "no such directory" in err


def test_eval_actors_prints_the_report_of_evaluate_actors(capsys, tmp_path, pipeline):
    from warmonitor.evaluate_actors import evaluate

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": TWO_SENTENCES, "date": "2018-03-20", "mentions": [
        {"start": 0, "end": 13, "actor": "Islamic State"},
        {"start": 86, "end": 94, "actor": "Military Forces of Syria"}]}) + "\n", encoding="utf-8")
    status, out, _ = run(capsys, "eval", "actors", str(gold), "--errors")
    assert status == 0
    assert out == evaluate(gold, pipeline=pipeline).text(errors=True) + "\n"
