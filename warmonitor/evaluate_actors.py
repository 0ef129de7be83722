"""Scoring the actor resolver: labelled snippets (`warmonitor eval actors`) and re3d's armed organisations.

A prediction is an `ActorMention` the pipeline resolved to an actor, observers left out (claimants are never
combatants, and the labelled set does not mark them). Each prediction is paired with at most one gold span,
the one it overlaps most, and each gold span with at most one prediction. A pair counts when the canonical names
are equal. A gold span labelled `null` names something that is not a known actor (a company, a person, a club,
an invented militia): resolving it to an actor is a false alarm.

    precision = right / predictions          recall = right / gold spans with an actor
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from warmonitor.labelled_jsonl import json_objects, read_labelled, read_text_lines
from warmonitor.errors import EXIT_USAGE, UserError
from warmonitor.model import ActorMention, Article

KINDS = ("named", "generic", "descriptor", "pronoun", "unknown")


# -- the labelled set --------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    actor: str | None  # canonical name; None: a name that must not resolve to any known actor
    kind: str | None = None


@dataclass
class GoldSnippet:
    id: str
    text: str
    published: date | None
    mentions: list[GoldMention]


def read_gold(path: Path) -> list[GoldSnippet]:
    """The labelled JSONL file, checked line by line; a bad line is a UserError naming file:line."""
    snippets, ids = [], set()
    for number, snippet in read_labelled(path, _gold_snippet, "labelled snippets"):
        if snippet.id in ids:
            raise UserError(f"{path}:{number}: snippet id {snippet.id!r} used twice", EXIT_USAGE)
        ids.add(snippet.id)
        snippets.append(snippet)
    return snippets


def _gold_snippet(row: dict) -> GoldSnippet:
    published = None
    if row.get("date") is not None:
        try:
            published = date.fromisoformat(row["date"])
        except (TypeError, ValueError):
            raise ValueError(f"'date' must be YYYY-MM-DD (got {row['date']!r})") from None
    mentions = row.get("mentions")
    if not isinstance(mentions, list):
        raise ValueError("'mentions' must be a list")
    text = row["text"]
    return GoldSnippet(row["id"], text, published, [_gold_mention(m, i, text) for i, m in enumerate(mentions, 1)])


def _gold_mention(m, i: int, text: str) -> GoldMention:
    if not isinstance(m, dict):
        raise ValueError(f"mention {i} is not an object")
    start, end = m.get("start"), m.get("end")
    if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
        raise ValueError(f"mention {i}: 'start' and 'end' must be offsets into the text with start < end "
                         f"(got {start!r}, {end!r}; the text has {len(text)} characters)")
    if "text" in m and m["text"] != text[start:end]:
        raise ValueError(f"mention {i}: text[{start}:{end}] is {text[start:end]!r}, not {m['text']!r}")
    actor = m.get("actor")
    if actor is not None and not (isinstance(actor, str) and actor.strip()):
        raise ValueError(f"mention {i}: 'actor' must be a canonical name or null")
    kind = m.get("kind")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"mention {i}: 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
    return GoldMention(start, end, text[start:end], actor, kind)


# -- matching ----------------------------------------------------------------------------------------
def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters two ranges share; 0 when they only touch or are apart."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def predictions(mentions: Iterable[ActorMention]) -> list[ActorMention]:
    """The mentions a system claims as actors: resolved, and not an observer."""
    return [m for m in mentions if m.actor is not None and m.kind != "observer"]


def pair(gold: Sequence[GoldMention], pred: Sequence[ActorMention]) -> dict[int, int]:
    """prediction index -> gold index, one to one, largest overlaps first (of equals, the tighter prediction)."""
    candidates = sorted(
        ((overlap(g.start, g.end, p.start, p.end), -(p.end - p.start), -pi, -gi), pi, gi)
        for pi, p in enumerate(pred) for gi, g in enumerate(gold) if overlap(g.start, g.end, p.start, p.end))
    paired: dict[int, int] = {}
    taken: set[int] = set()
    for _, pi, gi in reversed(candidates):
        if pi not in paired and gi not in taken:
            paired[pi] = gi
            taken.add(gi)
    return paired


def same_actor(gold: str, predicted: str) -> bool:
    return " ".join(gold.split()).casefold() == " ".join(predicted.split()).casefold()


# -- the report on the labelled set ------------------------------------------------------------------
@dataclass
class ActorReport:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    snippets: int = 0
    skipped: int = 0  # snippets the pipeline did not parse (no conflict vocabulary, or a failure)
    gold: int = 0  # gold spans with an actor
    null_gold: int = 0  # gold spans that must stay unresolved
    predicted: int = 0
    right: int = 0
    wrong: int = 0  # paired with a gold actor, another name
    missed: int = 0  # gold actors no prediction overlaps
    false_alarms: int = 0  # predictions on nothing gold, on a null span, or on a span another prediction took
    null_resolved: int = 0  # null-labelled names resolved to a known actor
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # gold kind -> [right, total]
    problems: list[str] = field(default_factory=list)

    def add(self, snippet_id: str, gold: Sequence[GoldMention], mentions: Sequence[ActorMention]) -> None:
        """Score one snippet's actor mentions against its gold spans."""
        self.snippets += 1
        pred = predictions(mentions)
        paired = pair(gold, pred)
        self.predicted += len(pred)
        found: dict[int, ActorMention] = {gi: pred[pi] for pi, gi in paired.items()}
        for gi, g in enumerate(gold):
            p = found.get(gi)
            if g.actor is None:
                self.null_gold += 1
                if p is not None:
                    self.null_resolved += 1
                    self._problem("wrong known actor", snippet_id, g, f"resolved to {p.actor.name!r}")
                continue
            self.gold += 1
            tally = self.by_kind.setdefault(g.kind or "unlabelled", [0, 0])
            tally[1] += 1
            if p is None:
                self.missed += 1
                self._problem("miss", snippet_id, g, f"gold {g.actor!r}")
            elif same_actor(g.actor, p.actor.name):
                self.right += 1
                tally[0] += 1
            else:
                self.wrong += 1
                self._problem("wrong actor", snippet_id, g,
                              f"gold {g.actor!r}, got {p.actor.name!r} ({p.kind}, {p.text!r})")
        for pi, p in enumerate(pred):
            if pi in paired:
                continue
            why = "span already taken" if any(overlap(g.start, g.end, p.start, p.end) for g in gold) else "no gold"
            self.problems.append(f"{snippet_id}: false alarm: {p.text!r} at {p.start}-{p.end} -> "
                                 f"{p.actor.name!r} ({p.kind}; {why})")
        self.false_alarms = self.predicted - self.right - self.wrong
        self._update()

    def add_skipped(self, snippet_id: str, gold: Sequence[GoldMention], why: str) -> None:
        """A snippet the pipeline did not parse: its gold actors are misses."""
        self.skipped += 1
        self.problems.append(f"{snippet_id}: not parsed: {why}")
        self.add(snippet_id, gold, [])

    def _problem(self, kind: str, snippet_id: str, g: GoldMention, detail: str) -> None:
        self.problems.append(f"{snippet_id}: {kind}: {g.text!r} at {g.start}-{g.end}: {detail}")

    def _update(self) -> None:
        self.precision = self.right / self.predicted if self.predicted else 0.0
        self.recall = self.right / self.gold if self.gold else 0.0
        p, r = self.precision, self.recall
        self.f1 = 2 * p * r / (p + r) if p + r else 0.0

    def text(self, errors: bool = False) -> str:
        lines = [f"snippets {self.snippets} ({self.skipped} not parsed), gold actor mentions {self.gold}, "
                 f"names that are no known actor {self.null_gold}, predicted {self.predicted}"]
        rows = [
            ("precision", f"{self.precision:.3f}", f"{self.right}/{self.predicted}"),
            ("recall", f"{self.recall:.3f}", f"{self.right}/{self.gold}"),
            ("F1", f"{self.f1:.3f}", ""),
            ("wrong actor", "", str(self.wrong)),
            ("missed", "", str(self.missed)),
            ("false alarms", "", str(self.false_alarms)),
            ("unknown names resolved", "", f"{self.null_resolved}/{self.null_gold}"),
        ]
        for kind in (*KINDS, "unlabelled"):
            if kind in self.by_kind:
                right, total = self.by_kind[kind]
                rows.append((f"recall, {kind}", f"{right / total:.3f}", f"{right}/{total}"))
        width = max(len(name) for name, _, _ in rows)
        lines += [f"  {name:<{width}}  {value:>6}  {count}".rstrip() for name, value, count in rows]
        if errors and self.problems:
            lines += ["", "errors:", *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


def evaluate(path: Path, actor_files: Sequence[Path] = (), pipeline=None) -> ActorReport:
    """Precision and recall of resolved actors on a labelled JSONL file."""
    snippets = read_gold(path)
    pipeline = pipeline or _load_pipeline(actor_files)
    articles = [Article(id=s.id, text=s.text, published=s.published) for s in snippets]
    report = ActorReport()
    for snippet, result in zip(snippets, pipeline.process_many(articles)):
        if result.skipped:
            report.add_skipped(snippet.id, snippet.mentions, result.skipped)
        else:
            report.add(snippet.id, snippet.mentions, result.actors)
    return report


def _load_pipeline(actor_files: Sequence[Path]):
    from warmonitor.pipeline import Pipeline  # spaCy only when something is to be scored

    return Pipeline.load(actor_files)


# -- re3d: organisations that should resolve to a known armed actor --------------------------------
RE3D_FILES = ("documents.json", "entities.json")


def _fold(surface: str) -> str:
    return " ".join(surface.split()).casefold()


def read_expected(path: Path) -> dict[str, str]:
    """`surface<TAB>canonical` lines ('#' starts a comment), keyed by the folded surface."""
    expected: dict[str, str] = {}
    for number, line in enumerate(read_text_lines(path), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\r").split("\t")
        if len(cols) != 2 or not cols[0].strip() or not cols[1].strip():
            raise UserError(f"{path}:{number}: expected 'surface<TAB>canonical name'", EXIT_USAGE)
        expected[_fold(cols[0])] = cols[1].strip()
    if not expected:
        raise UserError(f"{path}: no surface forms in the file", EXIT_USAGE)
    return expected


@dataclass
class Re3dEntity:
    document: str
    start: int
    end: int
    text: str
    actor: str  # the expected canonical name


@dataclass
class Re3dReport:
    recall: float = 0.0
    sources: int = 0
    documents: int = 0
    listed: int = 0  # Organisation entities whose surface the expected file lists
    found: int = 0
    skipped_sources: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missed_surfaces: Counter = field(default_factory=Counter)

    def text(self, errors: bool = False) -> str:
        lines = [f"re3d: {self.sources} source(s), {self.documents} document(s) with a listed organisation"
                 + (f"; skipped (files missing): {', '.join(self.skipped_sources)}" if self.skipped_sources else ""),
                 f"  armed-organisation recall  {self.recall:.3f}  {self.found}/{self.listed}"]
        if self.missed_surfaces:
            top = ", ".join(f"{s!r} {n}" for s, n in self.missed_surfaces.most_common(8))
            lines.append(f"  most missed: {top}")
        if errors and self.problems:
            lines += ["", "errors:", *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)


def read_re3d(re3d_dir: Path, expected: dict[str, str]) -> tuple[dict[str, Article], list[Re3dEntity], int, list[str]]:
    """Documents holding a listed Organisation entity, those entities, the number of sources read, and the
    sources skipped because a file is missing."""
    if not re3d_dir.is_dir():
        raise UserError(f"no such directory: {re3d_dir}", EXIT_USAGE)
    articles: dict[str, Article] = {}
    entities: list[Re3dEntity] = []
    sources, skipped = 0, []
    for folder in sorted(p for p in re3d_dir.iterdir() if p.is_dir()):
        if not all((folder / name).is_file() for name in RE3D_FILES):
            skipped.append(folder.name)
            continue
        sources += 1
        docs = {row["_id"]: row for row in _json_lines(folder / "documents.json")}
        for e in _json_lines(folder / "entities.json"):
            if e.get("type") != "Organisation" or _fold(str(e.get("value", ""))) not in expected:
                continue
            doc = docs.get(e.get("documentId"))
            start, end = e.get("begin"), e.get("end")
            if doc is None or not isinstance(start, int) or not isinstance(end, int):
                continue
            text = doc.get("text") or ""
            if text[start:end] != e["value"]:
                continue  # an entity whose offsets do not hold its text cannot be scored
            doc_id = f"{folder.name}/{doc['_id']}"
            if doc_id not in articles:
                articles[doc_id] = Article(id=doc_id, text=text, title=doc.get("title"), source=doc.get("sourceName"))
            entities.append(Re3dEntity(doc_id, start, end, e["value"], expected[_fold(e["value"])]))
    if sources == 0:
        raise UserError(f"{re3d_dir}: no re3d source folder with {' and '.join(RE3D_FILES)}", EXIT_USAGE)
    return articles, entities, sources, skipped


def _json_lines(path: Path) -> list[dict]:
    """mongoexport output: one JSON object per line."""
    return [row for _, row in json_objects(path, skip_other=True)]


def re3d_recall(re3d_dir: Path, expected_file: Path, actor_files: Sequence[Path] = (), pipeline=None) -> Re3dReport:
    """Share of re3d Organisation entities listed in `expected_file` that the pipeline resolves, at their
    offsets, to the expected canonical actor."""
    expected = read_expected(expected_file)
    articles, entities, sources, skipped = read_re3d(re3d_dir, expected)
    pipeline = pipeline or _load_pipeline(actor_files)
    report = Re3dReport(sources=sources, documents=len(articles), listed=len(entities), skipped_sources=skipped)
    by_doc: dict[str, list[Re3dEntity]] = {}
    for e in entities:
        by_doc.setdefault(e.document, []).append(e)
    for result in pipeline.process_many(list(articles.values())):
        doc_id = result.article.id
        if result.skipped:
            report.problems.append(f"{doc_id}: not parsed: {result.skipped}")
        pred = predictions(result.actors)
        for e in by_doc[doc_id]:
            hits = [p for p in pred if overlap(e.start, e.end, p.start, p.end)]
            if any(same_actor(e.actor, p.actor.name) for p in hits):
                report.found += 1
                continue
            got = ", ".join(f"{p.actor.name!r} ({p.text!r})" for p in hits) or "nothing"
            report.problems.append(f"{doc_id}: miss: {e.text!r} at {e.start}-{e.end}: expected {e.actor!r}, got {got}")
            report.missed_surfaces[_fold(e.text)] += 1
    report.recall = report.found / report.listed if report.listed else 0.0
    return report
