"""Train warmonitor's event-type classifier from the project's own labelled snippets.

    python scripts/train_types.py evaluation/types_train.jsonl [more.jsonl ...] \
        [--out warmonitor/data/models/event_types.npz] [--folds 5]

Each file holds one JSON object per line with "text", "sub_event_type" (an ACLED sub-event type, or null
when the snippet reports no event) and optionally "date" (publication date). The texts are run through the
rule pipeline without a model, so the classifier learns from the words and from what the rules read. A
multinomial logistic regression (scikit-learn, needed only here: `pip install -e '.[train]'`) is fitted and
written as plain numpy arrays, with the fingerprints of the training texts so that `warmonitor eval types`
never scores the model on them. With --folds, cross-validated figures on the training files are printed first.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from warmonitor.extract.type_model import NONE, TypeModel, text_fingerprint
from warmonitor.model import Article

MIN_COUNT = 2  # a feature seen in one snippet only is noise
C = 16.0  # inverse regularisation strength


def read_rows(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line.strip():
                row = json.loads(line)
                if not isinstance(row.get("text"), str) or "sub_event_type" not in row:
                    sys.exit(f"{path}:{n}: needs 'text' and 'sub_event_type'")
                rows.append(row)
    return rows


WIDTH = 96  # en_core_web_sm's token vectors


def featurise(rows: list[dict], pipeline) -> list[tuple[set[str], np.ndarray]]:
    """(sparse features, mean token vector) per row; a report the pre-filter skipped has neither."""
    articles = [Article(id=str(i), text=r["text"], published=date.fromisoformat(r["date"]) if r.get("date") else None)
                for i, r in enumerate(rows)]
    return [(res.type_features, res.type_vector if res.type_vector is not None else np.zeros(WIDTH, np.float32))
            for res in pipeline.process_many(articles)]


def fit(examples: list[tuple[set[str], np.ndarray]], labels: list[str], c: float = C, balanced: bool = True):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    features = [f for f, _ in examples]

    counts: dict[str, int] = {}
    for fs in features:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, k in counts.items() if k >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    data, cols, ptr = [], [], [0]
    for fs in features:
        kept = sorted(index[f] for f in fs if f in index)
        cols += kept
        data += [1.0] * len(kept)
        ptr.append(len(cols))
    x = hstack([csr_matrix((data, cols, ptr), shape=(len(features), len(vocab))),
                csr_matrix(np.array([v for _, v in examples]))]).tocsr()
    # balanced: 'no event' is the largest class of the training files, not of the news a user reads
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    clf.fit(x, labels)
    coef, bias = clf.coef_.T, clf.intercept_
    if len(clf.classes_) == 2:  # scikit-learn keeps one column for two classes: softmax of (-z/2, z/2) is its sigmoid
        coef, bias = np.hstack([-coef / 2, coef / 2]), np.array([-bias[0] / 2, bias[0] / 2])
    return TypeModel(classes=[str(k) for k in clf.classes_], index=index, weights=coef[:len(vocab)].copy(),
                     bias=bias.copy(), trained_on=frozenset(), dense=coef[len(vocab):].copy())


def cross_validate(features, labels, folds: int, c: float = C) -> float:
    order = np.random.default_rng(0).permutation(len(labels))
    right = 0
    for k in range(folds):
        test = set(order[k::folds].tolist())
        model = fit([f for i, f in enumerate(features) if i not in test],
                    [y for i, y in enumerate(labels) if i not in test], c)
        for i in test:
            p = model.probabilities(*features[i])
            right += max(p, key=p.get) == labels[i]
    return right / len(labels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "warmonitor/data/models/event_types.npz")
    ap.add_argument("--folds", type=int, default=0, help="also print k-fold cross-validated accuracy")
    ap.add_argument("--c", type=float, default=C, help=f"inverse regularisation strength (default {C})")
    args = ap.parse_args(argv)
    from warmonitor.pipeline import Pipeline

    rows = read_rows(args.files)
    labels = [r["sub_event_type"] or NONE for r in rows]
    features = featurise(rows, Pipeline.load(type_model=None, every_article=True))  # the gate must not hide rows
    if args.folds:
        print(f"{args.folds}-fold cross-validated accuracy: {cross_validate(features, labels, args.folds, args.c):.3f}")
    model = fit(features, labels, args.c)
    model.trained_on = frozenset(text_fingerprint(r["text"]) for r in rows)
    model.save(args.out)
    print(f"trained on {len(rows)} snippets, {len(model.classes)} classes, {len(model.index)} features -> "
          f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
