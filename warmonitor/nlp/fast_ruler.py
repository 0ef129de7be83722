"""The attribute_ruler's rules, looked up per token instead of matched.

en_core_web_sm's attribute_ruler is a tag map (TAG -> POS and morphology) plus word-specific exceptions:
~180 rules run through spaCy's Matcher, then applied one match at a time in Python, which costs as much
as tok2vec. Almost all of them are one-token patterns that test a few attributes for equality or set
membership, so which of them hit a token depends only on which of the values the rules name (if any)
each tested attribute has. `LookupAttributeRuler` works out those rules' combined effect once per such
combination and writes every token's attributes in one array pass.

The other rules -- a few word sequences ("gon na", "let 's") and regular expressions -- are found with
array tests per token position, and anything neither way can express (operators, extensions, fuzzy
matches...) by spaCy's Matcher. All are matched on the tokens as they were before any rule, and on the
tokens these hit all rules are replayed in AttributeRuler's order: by rule number, later rules overwriting
earlier ones.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.pipeline.attributeruler import attribute_ruler_score
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Attributes whose Matcher value is what Doc.to_array gives: plain token/lexeme fields and lexeme flags.
_FLAG_LIMIT = 64
_STRING_ATTRS = {ORTH, LOWER, NORM, TAG, DEP}
# Attributes a rule may set in the array pass: Token.set_struct_attr writes these and nothing else.
_ARRAY_SETS = {POS, TAG, DEP, LEMMA, MORPH}


@dataclass(frozen=True)
class ValueTest:
    """One attribute of one pattern token, as the Matcher reads equality, IN and NOT_IN:
    the token passes when (its value in `values`) == `wanted`."""
    attr: int
    values: frozenset[int]
    wanted: bool

    def holds(self, value: int | None) -> bool:
        return (value in self.values) == self.wanted

    def holds_for_any(self, present: frozenset[int], strings: StringStore) -> bool:
        return not present.isdisjoint(self.values) if self.wanted else not present <= self.values

    def mask(self, column: numpy.ndarray, strings: StringStore) -> numpy.ndarray:
        if len(self.values) == 1:
            hits = column == numpy.uint64(next(iter(self.values)))
        else:
            hits = numpy.isin(column, numpy.fromiter(self.values, dtype=numpy.uint64))
        return hits if self.wanted else ~hits


@dataclass(eq=False)
class RegexTest:
    """{"REGEX": ...} on a string attribute, as the Matcher reads it: re.search on the value's string.
    Answers are remembered per value, like the StringStore they come from."""
    attr: int
    pattern: re.Pattern
    _answers: dict[int, bool] = field(default_factory=dict, repr=False)

    def holds_for_any(self, present: frozenset[int], strings: StringStore) -> bool:
        return any(self._answer(v, strings) for v in present)

    def mask(self, column: numpy.ndarray, strings: StringStore) -> numpy.ndarray:
        unique, inverse = numpy.unique(column, return_inverse=True)
        answers = [self._answer(v, strings) for v in unique.tolist()]
        return numpy.array(answers, dtype=bool)[inverse]

    def _answer(self, value: int, strings: StringStore) -> bool:
        if value not in self._answers:
            self._answers[value] = bool(self.pattern.search(strings[value]))
        return self._answers[value]


def _attr_id(name) -> int | None:
    if not isinstance(name, str):
        return name
    return IDS.get({"TEXT": "ORTH"}.get(name.upper(), name.upper()))


def _value_test(vocab, attr: int, value) -> ValueTest | RegexTest | None:
    if isinstance(value, bool):
        return ValueTest(attr, frozenset({int(value)}), True)
    if isinstance(value, int):
        return ValueTest(attr, frozenset({value}), True)
    if isinstance(value, str):
        return ValueTest(attr, frozenset({vocab.strings.add(value)}), True)
    if not isinstance(value, dict) or len(value) != 1:
        return None
    predicate, operand = next(iter(value.items()))
    if predicate in ("IN", "NOT_IN") and isinstance(operand, list):
        return ValueTest(attr, frozenset(get_string_id(v) for v in operand), predicate == "IN")
    if predicate == "REGEX" and isinstance(operand, str) and attr in _STRING_ATTRS:
        return RegexTest(attr, re.compile(operand))
    return None


def token_tests(vocab, spec: dict) -> list[ValueTest | RegexTest] | None:
    """One pattern token as tests on attribute values; None if it asks for anything else (operators,
    extensions, other predicates, attributes whose Matcher value is not their array value)."""
    tests = []
    for name, value in spec.items():
        attr = _attr_id(name)
        if attr is None or not (attr in _STRING_ATTRS or attr < _FLAG_LIMIT):
            return None
        test = _value_test(vocab, attr, value)
        if test is None:
            return None
        tests.append(test)
    return tests


@dataclass
class SequencePattern:
    """A fixed run of tested tokens."""
    length: int
    # (offset in the run, test), value tests first: they are cheap and usually rule a doc out
    steps: list[tuple[int, ValueTest | RegexTest]]

    @classmethod
    def parse(cls, vocab, pattern) -> "SequencePattern | None":
        tokens = [token_tests(vocab, spec) for spec in pattern]
        if None in tokens:
            return None
        steps = [(offset, test) for offset, tests in enumerate(tokens) for test in tests]
        return cls(len(tokens), sorted(steps, key=lambda step: isinstance(step[1], RegexTest)))

    def starts(self, masks: "TokenMasks") -> list[int]:
        """Where in the doc the run matches."""
        positions = len(masks.doc) - self.length + 1
        if positions <= 0 or not all(masks.holds_for_any(test) for _, test in self.steps):
            return []
        matching = numpy.ones(positions, dtype=bool)
        for offset, test in self.steps:
            matching &= masks.of(test)[offset:offset + positions]
        return numpy.flatnonzero(matching).tolist()


@dataclass
class SequenceRule:
    """A rule whose patterns are fixed runs of tested tokens: matched by array tests per position."""
    number: int
    patterns: list[SequencePattern]
    index: int  # the token of the match the rule sets

    @classmethod
    def parse(cls, vocab, number: int, patterns, index: int) -> "SequenceRule | None":
        parsed = [SequencePattern.parse(vocab, pattern) for pattern in patterns]
        # a target outside the match is AttributeRuler's error to raise, so those rules go to the Matcher
        if any(p is None or not -p.length <= index < p.length for p in parsed):
            return None
        return cls(number, parsed, index)

    def targets(self, masks: "TokenMasks") -> set[int]:
        return {start + self.index % p.length for p in self.patterns for start in p.starts(masks)}


@dataclass
class TokenMasks:
    """One doc's answers to tests, per token and for the doc as a whole, each worked out once."""
    doc: Doc
    _columns: dict[int, numpy.ndarray] = field(default_factory=dict)  # attribute -> its value per token
    _present: dict[int, frozenset[int]] = field(default_factory=dict)
    _masks: dict[object, numpy.ndarray] = field(default_factory=dict)

    def holds_for_any(self, test: ValueTest | RegexTest) -> bool:
        """Whether any token passes the test: a cheap check before per-token masks."""
        if test.attr not in self._present:
            self._present[test.attr] = frozenset(self.column(test.attr).tolist())
        return test.holds_for_any(self._present[test.attr], self.doc.vocab.strings)

    def of(self, test: ValueTest | RegexTest) -> numpy.ndarray:
        if test not in self._masks:
            self._masks[test] = test.mask(self.column(test.attr), self.doc.vocab.strings)
        return self._masks[test]

    @classmethod
    def read(cls, doc: Doc, attrs: list[int]) -> "TokenMasks":
        """With the attributes' columns read in one pass: on short docs, each pass is a good part of the cost."""
        array = doc.to_array(attrs).reshape(len(doc), len(attrs)) if attrs else None
        return cls(doc, {attr: array[:, k] for k, attr in enumerate(attrs)})

    def column(self, attr: int) -> numpy.ndarray:
        if attr not in self._columns:
            self._columns[attr] = self.doc.to_array(attr)
        return self._columns[attr]


@dataclass
class _Effect:
    """What the lookup rules do to a token with one combination of tested values."""
    rules: tuple[int, ...]  # the rule numbers that hit it, ascending
    values: tuple[int, ...]  # per written attribute: the last value a rule set, or 0
    written: tuple[bool, ...]  # per written attribute: whether any rule set it


@dataclass
class RuleLookup:
    """The rules of one AttributeRuler, compiled for `apply`."""
    attrs: list[dict]  # per rule number, the normalized attributes it sets
    lookup_rules: dict[int, list[list[ValueTest]]]  # one-token rules: number -> alternative tests
    sequence_rules: list[SequenceRule]
    matcher: Matcher | None  # the rules neither way can read, keyed by their rule number
    matcher_indices: dict[int, int]  # their target token within the match
    tested: list[int] = field(init=False)  # attributes the lookup rules test
    named: list[numpy.ndarray] = field(init=False)  # per tested attribute: the values rules name, sorted
    written: list[int] = field(init=False)  # attributes the lookup rules set
    read: list[int] = field(init=False)  # attributes the lookup and sequence rules test
    _effects: dict[int, _Effect] = field(init=False, default_factory=dict)

    def __post_init__(self):
        named = defaultdict(set)
        for alternatives in self.lookup_rules.values():
            for tests in alternatives:
                for test in tests:
                    named[test.attr] |= test.values
        # an attribute no test names a value of cannot tell tokens apart
        self.tested = sorted(a for a in named if named[a])
        self.named = [numpy.array(sorted(named[a]), dtype=numpy.uint64) for a in self.tested]
        self.written = sorted({a for n in self.lookup_rules for a in self.attrs[n]})
        self.read = sorted(set(self.tested) | {test.attr for rule in self.sequence_rules for p in rule.patterns
                                                for _, test in p.steps})

    @classmethod
    def compile(cls, ruler: AttributeRuler) -> "RuleLookup":
        lookup_rules, sequence_rules, matcher, matcher_indices = {}, [], None, {}
        for n, rule in enumerate(ruler.patterns):
            patterns, index = rule["patterns"], rule["index"]
            if set(ruler.attrs[n]) <= _ARRAY_SETS and index in (0, -1) and all(len(p) == 1 for p in patterns):
                alternatives = [token_tests(ruler.vocab, p[0]) for p in patterns]
                if all(tests is not None and all(isinstance(t, ValueTest) for t in tests)
                       for tests in alternatives):
                    lookup_rules[n] = alternatives
                    continue
            sequence = SequenceRule.parse(ruler.vocab, n, patterns, index)
            if sequence is not None:
                sequence_rules.append(sequence)
                continue
            matcher = matcher or Matcher(ruler.vocab, validate=ruler.validate)
            matcher.add(str(n), patterns)
            matcher_indices[n] = index
        return cls(list(ruler.attrs), lookup_rules, sequence_rules, matcher, matcher_indices)

    def apply(self, doc: Doc) -> None:
        if not len(doc):
            return
        # matched on the tokens as they were before any rule, like AttributeRuler's single Matcher run
        masks = TokenMasks.read(doc, self.read)
        replayed = self._other_rule_hits(masks)
        codes = self._codes(masks)
        unique, inverse = numpy.unique(codes, return_inverse=True)
        effects = [self._effect(int(code)) for code in unique]
        if self.written:
            values = numpy.array([e.values for e in effects], dtype=numpy.uint64)[inverse]
            written = numpy.array([e.written for e in effects], dtype=bool)[inverse]
            current = doc.to_array(self.written).reshape(len(doc), len(self.written))
            doc.from_array(self.written, numpy.where(written, values, current))
        for i, rules in replayed.items():
            for n in sorted(effects[inverse[i]].rules + tuple(rules)):
                set_token_attrs(doc[i], self.attrs[n])

    def _other_rule_hits(self, masks: TokenMasks) -> dict[int, list[int]]:
        """Token -> the numbers of the sequence and Matcher rules that set it."""
        doc = masks.doc
        hits = defaultdict(list)
        for rule in self.sequence_rules:
            for i in rule.targets(masks):
                hits[i].append(rule.number)
        if self.matcher is not None:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                n = int(doc.vocab.strings[match_id])
                hits[doc[start:end][self.matcher_indices[n]].i].append(n)
        return hits

    def _codes(self, masks: TokenMasks) -> numpy.ndarray:
        """Per token, one integer for its combination of tested values: per attribute, 0 for a value no
        rule names, else 1 + the value's place among the named ones."""
        codes = numpy.zeros(len(masks.doc), dtype=numpy.int64)
        for attr, named in zip(self.tested, self.named):
            column = masks.column(attr)
            place = numpy.minimum(numpy.searchsorted(named, column), len(named) - 1)
            code = numpy.where(named[place] == column, place + 1, 0)
            codes = codes * (len(named) + 1) + code
        return codes

    def _decode(self, code: int) -> dict[int, int | None]:
        """Attribute -> the named value a code stands for, or None for 'none of them'."""
        values = {}
        for attr, named in zip(reversed(self.tested), reversed(self.named)):
            code, place = divmod(code, len(named) + 1)
            values[attr] = int(named[place - 1]) if place else None
        return values

    def _effect(self, code: int) -> _Effect:
        if code not in self._effects:
            values = self._decode(code)
            hits = tuple(n for n, alternatives in self.lookup_rules.items()
                         if any(all(t.holds(values.get(t.attr)) for t in tests) for tests in alternatives))
            merged = {}
            for n in hits:
                merged.update(self.attrs[n])
            self._effects[code] = _Effect(hits, tuple(merged.get(a, 0) for a in self.written),
                                          tuple(a in merged for a in self.written))
        return self._effects[code]


class LookupAttributeRuler(AttributeRuler):
    """An AttributeRuler (same patterns, same results) that applies its rules by lookup (see module doc)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lookup: RuleLookup | None = None

    def clear(self) -> None:
        super().clear()
        self._lookup = None

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._lookup = None

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            if self._lookup is None:
                self._lookup = RuleLookup.compile(self)
            self._lookup.apply(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)


@Language.factory("lookup_attribute_ruler", default_config={"validate": False})
def make_lookup_attribute_ruler(nlp: Language, name: str, validate: bool) -> LookupAttributeRuler:
    return LookupAttributeRuler(nlp.vocab, name, validate=validate, scorer=attribute_ruler_score)
