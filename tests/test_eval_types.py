"""`warmonitor eval types FILE`: per-class precision, recall and F1 of the main event's sub-event type."""
from __future__ import annotations

import json

from warmonitor.cli import main
from pathlib import Path

SNIPPETS = [
    {"id": "a", "date": "2024-03-02", "sub_event_type": "Suicide bomb",
     "text": "A suicide bomber blew himself up at a checkpoint outside Mogadishu on Saturday, killing five "
             "soldiers, police said."},
    {"id": "b", "date": "2024-03-02", "sub_event_type": None,
     "text": "Flash floods swept through villages in Kenya's Tana River county, killing eleven people."},
    {"id": "c", "date": "2024-03-02", "sub_event_type": "Peaceful protest",
     "text": "Hundreds of farmers rallied peacefully outside parliament in Paris on Friday over fuel prices."},
]

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_prints_a_line_per_class_and_the_support_weighted_f1(tmp_path, capsys):
    path = tmp_path / "snippets.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in SNIPPETS), encoding="utf-8")
    status, out, _ = run(capsys, "eval", "types", str(path), "--errors")
    assert status == 0
    assert "snippets scored: 3" in out
    lines = {line.strip().split("  ")[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "Suicide bomb" in lines and "Peaceful protest" in lines and "(no event)" in lines
    assert "support-weighted F1: 1.000" in out and "accuracy: 1.000 (3/3)" in out


def test_reads_acled_style_csv_with_notes_and_an_empty_label_for_no_event(tmp_path, capsys):
    path = tmp_path / "snippets.csv"
    path.write_text("notes,sub_event_type\n"
                    f"\"{SNIPPETS[0]['text']}\",Suicide bomb\n\"{SNIPPETS[1]['text']}\",\n", encoding="utf-8")
    status, out, _ = run(capsys, "eval", "types", str(path))
    assert status == 0 and "snippets scored: 2" in out and "support-weighted F1: 1.000" in out


def test_an_unknown_label_is_one_line_naming_file_and_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "x", "sub_event_type": "Skirmish"}) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "eval", "types", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"{path}:1: unknown sub-event type 'Skirmish'" in err


def test_the_model_is_never_scored_on_what_it_was_trained_on(tmp_path, capsys):
    train = [json.loads(line) for line in (ROOT / "evaluation/types_train.jsonl").read_text().split("\n")[:2]]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(json.dumps(s) for s in train + SNIPPETS[:1]), encoding="utf-8")
    status, out, _ = run(capsys, "eval", "types", str(mixed))
    assert status == 0 and "snippets scored: 1 (2 left out: the model was trained on them)" in out
    only_train = tmp_path / "train.jsonl"
    only_train.write_text("\n".join(json.dumps(s) for s in train), encoding="utf-8")
    status, _, err = run(capsys, "eval", "types", str(only_train))
    assert status == 2 and "trained on every snippet" in err
