"""`warmonitor control` on a real store, filled by `warmonitor ingest` from three invented reports about
Khan Sheikhoun: held by Hayat Tahrir al-Sham in May 2019, retaken by the army on 20 August, under government
control in September."""
import json
from pathlib import Path

import pytest

from warmonitor.cli import main

REPORTS = Path(__file__).parent / "data" / "territory"
HTS, ARMY = "Hayat Tahrir al-Sham", "Military Forces of Syria"


@pytest.fixture(scope="module")
def db(tmp_path_factory, pipeline):  # `pipeline`: the models are warm before ingest loads its own
    path = tmp_path_factory.mktemp("territory") / "warmonitor.db"
    assert main(["ingest", str(REPORTS), "--db", str(path)]) == 0
    return str(path)


def control(capsys, db, *args):
    status = main(["control", "--db", db, *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_before_the_offensive_the_jihadists_held_the_town(capsys, db):
    status, lines, _ = control(capsys, db, "--date", "2019-06-01")
    assert status == 0
    # two pieces of evidence: May's statement, and the recapture that later ended the period
    assert lines == [f"Khan Shaykhun | Idleb | Syria | {HTS} | controls | since 2019-05-02 | 2 evidence"]


def test_from_the_day_of_the_recapture_the_army_holds_it(capsys, db):
    _, lines, _ = control(capsys, db, "--date", "2019-08-20", "--country", "Syria")
    (line,) = lines
    assert f"| {ARMY} | controls | since 2019-08-20 |" in line
    assert line.endswith("| 2 evidence")  # the recapture, and September's "under government control"


def test_history_lists_every_period_of_the_place_in_order(capsys, db):
    _, lines, err = control(capsys, db, "--history", "--place", "Khan Sheikhoun")
    assert [line.split(" | ")[3:7] for line in lines] == [
        [HTS, "controls", "since 2019-05-02", "until 2019-08-20"],
        [ARMY, "controls", "since 2019-08-20", "until now"],
    ]
    assert "2 period(s)" in err


def test_jsonl_gives_the_evidence_of_each_period(capsys, db):
    _, lines, _ = control(capsys, db, "--date", "2019-09-30", "--format", "jsonl")
    (period,) = [json.loads(line) for line in lines]
    assert period["actor"] == ARMY and period["end"] is None
    assert {(e["article_id"], e["kind"]) for e in period["evidence"]} == {
        ("02-khan-shaykhun-retaken", "event"), ("03-khan-shaykhun-confirmed", "statement")}
    assert any("under government control" in e["text"] for e in period["evidence"])


def test_another_country_or_place_has_nothing(capsys, db):
    assert control(capsys, db, "--date", "2019-09-30", "--country", "Iraq")[1] == []
    assert control(capsys, db, "--date", "2019-09-30", "--place", "Raqqa")[1] == []


def test_a_missing_database_or_date_is_a_one_line_error(capsys, db, tmp_path):
    status, lines, err = control(capsys, str(tmp_path / "none.db"), "--date", "2019-09-30")
    assert status == 1 and lines == [] and err.strip().startswith("warmonitor: error: no warmonitor database at")
    status, _, err = control(capsys, db)
    assert status == 2 and err.count("\n") == 1 and "--date" in err
