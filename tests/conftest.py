"""Shared fixtures: models and indexes are loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from warmonitor.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def lexicon():
    from warmonitor.extract.lexicon import Lexicon

    return Lexicon.load()


@pytest.fixture(scope="session")
def pipeline():
    from warmonitor.pipeline import Pipeline

    return Pipeline.load()


@pytest.fixture(scope="session")
def actor_kb():
    """The bundled actor knowledge base (curated and derived tiers)."""
    from warmonitor.resolve.actor_kb import ActorKB

    return ActorKB.load()


@pytest.fixture(scope="session")
def actor_resolver(actor_kb):
    from warmonitor.resolve.actors import ActorResolver

    return ActorResolver(actor_kb)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The reference material; tests that need it skip on a machine without ../shared."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not available on this machine")
    return SHARED
