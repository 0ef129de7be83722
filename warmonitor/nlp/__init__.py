"""The spaCy pipeline and cheap pre-filters."""
from warmonitor.nlp.loader import load_nlp

__all__ = ["load_nlp"]
