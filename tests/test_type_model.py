"""The event-type classifier: how its verdict changes the rules' events, and how it is trained and shipped."""
from __future__ import annotations

import json
import subprocess
import sys


from warmonitor.extract.type_model import NONE, TypeModel, decide, text_fingerprint
from warmonitor.model import Article
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_rules_stand_when_the_classifier_agrees_or_hesitates():
    assert decide(["Armed clash"], {"Armed clash": 0.9, NONE: 0.1}).action == "keep"
    assert decide(["Armed clash"], {"Attack": 0.45, "Armed clash": 0.35, NONE: 0.2}).action == "keep"


def test_a_confident_classifier_retypes_the_main_event_or_promotes_another_of_the_rules_events():
    retyped = decide(["Armed clash"], {"Attack": 0.8, "Armed clash": 0.1, NONE: 0.1})
    assert decide(["Armed clash"], {"Attack": 0.55, "Armed clash": 0.35, NONE: 0.1}).action == "keep"
    assert (retyped.action, retyped.sub_event_type) == ("retype", "Attack")
    assert decide(["Armed clash", "Attack"], {"Attack": 0.6, "Armed clash": 0.3, NONE: 0.1}).action == "promote"


def test_no_event_vetoes_the_rules_and_an_event_the_rules_missed_is_created():
    assert decide(["Attack"], {NONE: 0.9, "Attack": 0.1}).action == "veto"
    created = decide([], {"Abduction/forced disappearance": 0.7, NONE: 0.3})
    assert (created.action, created.sub_event_type) == ("create", "Abduction/forced disappearance")
    assert decide([], {NONE: 0.7, "Attack": 0.3}).action == "keep"


def test_the_bundled_model_is_small_and_knows_every_class_and_its_training_texts():
    path = ROOT / "warmonitor/data/models/event_types.npz"
    assert path.stat().st_size < 20_000_000
    model = TypeModel.load()
    from warmonitor.extract.lexicon import load_json

    assert set(model.classes) == set(load_json("taxonomy/acled.json")["sub_event_types"]) | {NONE}
    first = json.loads((ROOT / "evaluation/types_train.jsonl").read_text(encoding="utf-8").split("\n")[0])
    assert model.was_trained_on(first["text"]) and model.was_trained_on("  " + first["text"].upper())
    dev = json.loads((ROOT / "evaluation/types_dev.jsonl").read_text(encoding="utf-8").split("\n")[0])
    assert not model.was_trained_on(dev["text"])


def test_the_training_script_writes_a_model_that_has_learnt_its_examples(tmp_path, pipeline):
    rows = [json.loads(line) for line in (ROOT / "evaluation/types_train.jsonl").read_text().split("\n") if line]
    by_label: dict = {}
    for r in rows:
        by_label.setdefault(r["sub_event_type"], []).append(r)
    sample = [r for label in ("Suicide bomb", "Peaceful protest", None) for r in by_label[label][:12]]
    train = tmp_path / "train.jsonl"
    train.write_text("\n".join(json.dumps(r) for r in sample), encoding="utf-8")
    out = tmp_path / "model.npz"
    done = subprocess.run([sys.executable, str(ROOT / "scripts/train_types.py"), str(train), "--out", str(out)],
                          capture_output=True, text=True, check=True)
    assert "trained on 36 snippets, 3 classes" in done.stdout
    model = TypeModel.load(out)
    assert model.trained_on == {text_fingerprint(r["text"]) for r in sample}
    assert set(model.classes) == {"Suicide bomb", "Peaceful protest", NONE}
    for r in sample:
        read = pipeline.process(Article(id="t", text=r["text"]))
        p = model.probabilities(read.type_features, read.type_vector)
        assert max(p, key=p.get) == (r["sub_event_type"] or NONE), r["text"]
