"""Train warmonitor's relevance gate (warmonitor/nlp/relevance.py) from the project's own labelled text.

    python scripts/train_relevance.py evaluation/types_train.jsonl evaluation/control_train.jsonl \
        --others evaluation/news_train.jsonl --dev evaluation/types_dev.jsonl [--recall 0.998] \
        [--out warmonitor/data/models/relevance.npz]

A row is relevant when it reports an event (a "sub_event_type" that is not null, or a non-empty "events"
list) or states who controls a place ("control": true). The relevant rows of the positional files are the
relevant examples, one per row (snippets are the length of a scored run).
Their rows with no event are left out: they are conflict-side news written to be hard for the event coder
(a strike by workers, a storm that killed), and the gate must let such text through to the coder, not learn
to stop it. Every row of --others is ordinary news, given whole and as every run of sentences, since no run of
it may pass. A logistic regression (scikit-learn, needed only here) is fitted on word and word-pair presence,
and the threshold is the highest at which the gate keeps `--recall` of the reports in --dev.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from warmonitor.cli_relevance import is_relevant
from warmonitor.extract.lexicon import Lexicon
from warmonitor.nlp.relevance import MODEL_PATH, RelevanceModel, features, windows
from warmonitor.nlp.trigger_words import TriggerWords

MIN_COUNT = 2  # a feature seen once is noise
C = 1.0


def relevant_label(row: dict, where: str) -> bool:
    try:
        return is_relevant(row)
    except ValueError as exc:
        sys.exit(f"{where}: {exc}")


def read_rows(paths: list[Path]) -> list[tuple[str, bool]]:
    rows = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], relevant_label(row, f"{path}:{n}")))
    return rows


def examples(rows: list[tuple[str, bool]], cues: TriggerWords) -> tuple[list[set[str]], list[int]]:
    feats, labels = [], []
    for text, relevant in rows:
        runs = [text] if relevant else [text, *windows(text)]
        for run in dict.fromkeys(runs):
            feats.append(features(run, cues))
            labels.append(int(relevant))
    return feats, labels


def fit(feats: list[set[str]], labels: list[int], c: float = C) -> tuple[dict[str, float], float]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, k in counts.items() if k >= MIN_COUNT)
    column = {f: j for j, f in enumerate(vocab)}
    rows, cols = [], []
    for i, fs in enumerate(feats):
        js = [column[f] for f in fs if f in column]
        rows += [i] * len(js)
        cols += js
    x = csr_matrix((np.ones(len(cols), np.float32), (rows, cols)), shape=(len(feats), len(vocab)))
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(x, labels)
    weights = {f: float(w) for f, w in zip(vocab, clf.coef_[0]) if abs(w) > 1e-4}
    return weights, float(clf.intercept_[0])


def threshold_for(model: RelevanceModel, rows: list[tuple[str, bool]], recall: float) -> float:
    scores = sorted(model.score(text) for text, relevant in rows if relevant)
    k = int((1 - recall) * len(scores))  # this many relevant rows may fall below
    return scores[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path, help="labelled files whose reports of events are learnt")
    ap.add_argument("--others", nargs="+", type=Path, required=True, help="files of ordinary news")
    ap.add_argument("--dev", nargs="+", type=Path, required=True)
    ap.add_argument("--recall", type=float, default=0.998)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args()
    rows = [r for r in read_rows(args.files) if r[1]]
    others = read_rows(args.others)
    if any(relevant for _, relevant in others):
        sys.exit("--others: every row must report no event")
    rows += others
    cues = TriggerWords.build(Lexicon.load())
    feats, labels = examples(rows, cues)
    weights, bias = fit(feats, labels)
    dev = read_rows(args.dev)
    unset = RelevanceModel(weights, bias, 0.0, cues)
    model = RelevanceModel(weights, bias, threshold_for(unset, dev, args.recall), cues)
    provenance = (f"trained by scripts/train_relevance.py on the reports of "
                  f"{', '.join(p.name for p in args.files)} and the news of {', '.join(p.name for p in args.others)} "
                  f"({len(rows)} rows, {len(feats)} examples); threshold for recall {args.recall} on "
                  f"{', '.join(p.name for p in args.dev)}")
    model.save(args.out, provenance)
    print(f"{len(weights)} features, threshold {model.threshold:.3f}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
