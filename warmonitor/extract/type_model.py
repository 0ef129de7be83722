"""The event-type classifier: a linear model over type_features, trained by scripts/train_types.py.

Weights ship inside the package (data/models/event_types.npz, a few MB) and run on numpy alone.
The file also holds a fingerprint of every training text, so a scorer can refuse to score the model on
what it was trained on.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

NONE = "(no event)"
# The classifier learnt from snippets of one to five sentences. On longer reports the rules' choice of main
# event (headline, lead, focus) and their reading of background are worth more than a bag of words.
SNIPPET_SENTENCES = 6
MODEL_FILE = "models/event_types.npz"


def text_fingerprint(text: str) -> str:
    """Whitespace and case do not make a text new."""
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:16]


@dataclass
class TypeModel:
    classes: list[str]
    index: dict[str, int]  # feature -> row of weights
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)
    trained_on: frozenset[str]  # fingerprints of the training texts
    dense: np.ndarray | None = None  # (width of spaCy's token vectors, classes): weights of the mean vector

    @classmethod
    def load(cls, path: Path | None = None) -> "TypeModel | None":
        """The bundled model, or None when the package was built without one."""
        path = path or Path(str(resources.files("warmonitor") / "data" / MODEL_FILE))
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as z:
            vocab = [str(v) for v in z["vocab"]]
            return cls(classes=[str(c) for c in z["classes"]], index={v: i for i, v in enumerate(vocab)},
                       weights=z["weights"].astype(np.float32), bias=z["bias"].astype(np.float32),
                       trained_on=frozenset(str(h) for h in z["trained_on"]),
                       dense=z["dense"].astype(np.float32) if "dense" in z.files else None)

    def save(self, path: Path) -> None:
        vocab = sorted(self.index, key=self.index.get)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, vocab=np.array(vocab), classes=np.array(self.classes),
                            weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            trained_on=np.array(sorted(self.trained_on)),
                            **({"dense": self.dense.astype(np.float32)} if self.dense is not None else {}))

    def probabilities(self, features: Iterable[str], vector: np.ndarray | None = None) -> dict[str, float]:
        """`vector`: the mean of spaCy's token vectors over the report (words the sparse features never
        saw still land near their synonyms)."""
        rows = [self.index[f] for f in features if f in self.index]
        z = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        if self.dense is not None and vector is not None and vector.shape[0] == self.dense.shape[0]:
            z = z + vector @ self.dense
        p = np.exp(z - z.max())
        p /= p.sum()
        return dict(zip(self.classes, p.tolist()))

    def was_trained_on(self, text: str) -> bool:
        return text_fingerprint(text) in self.trained_on


@dataclass(frozen=True)
class TypeDecision:
    """What the classifier does to the rules' events: keep them, promote another of them to main event,
    retype the main event, create the event the rules missed, or veto them all as no political violence."""

    action: str  # keep, promote, retype, create, veto
    sub_event_type: str  # the classifier's type (NONE for no event)
    probability: float


def decide(rule_types: list[str], probabilities: dict[str, float], *, veto: float = 0.75, retype: float = 0.6,
           create: float = 0.3, long_report: bool = False) -> TypeDecision:
    """`rule_types`: the sub-event types of the rules' events, main event first. The thresholds were chosen on
    the development set, then made stricter where real news showed the classifier overconfident: overruling a
    type the rules read needs more certainty (the rules see background and roles the bag of words does not)
    than naming an event where the rules found none, and vetoing an event the rules read needs most (a
    chemical attack told beside a diplomatic reaction is still a chemical attack). On a `long_report`
    the classifier neither vetoes the rules' events nor reorders them."""
    top = max(probabilities, key=probabilities.get)
    p = probabilities[top]
    if not rule_types:
        return TypeDecision("create" if top != NONE and p >= create else "keep", top, p)
    if top == NONE:
        return TypeDecision("veto" if p >= veto and not long_report else "keep", top, p)
    if top == rule_types[0]:
        return TypeDecision("keep", top, p)
    if top in rule_types[1:]:
        # the rules found it, but did not lead with it
        return TypeDecision("promote" if p >= retype and not long_report else "keep", top, p)
    return TypeDecision("retype" if p >= retype else "keep", top, p)
