"""Rule files: loading and strict validation, with ``file:line:col`` errors and did-you-mean.

A typo in a rule file that is silently ignored makes a check look passed when it never ran, so every
key, kind, severity, tolerance, unit and reference is checked before anything runs, and all errors
are reported at once. Positions come from PyYAML's composed node tree (``start_mark``).

Format (see also rules/default.yml and rules/palmyra.yml)::

    grouping: {default: true, window: 14 days, date_gap: 60 days, near: 60}
    vocabulary: [more-words.yml]          # extra vocabulary files, relative to this file
    facts:
      - id: palmyra-damascus-distance
        label: distance Palmyra–Damascus
        kind: length                      # the claim kind
        unit: km                          # unit used in messages
        entities: [Palmyra, Damascus]     # all must be named in the claim's sentence
        words: {en: [from Damascus], nb: [fra Damaskus]}   # one must stand near the number
      - id: quake-deaths
        label: deaths in the Varna earthquake
        kind: count
        counted: dead                     # a tally concept (vocabulary/cumulative.yml)
        varies: cumulative                # fixed (default) | cumulative | snapshot; a tally brings its own
    rules:
      - id: distance-agrees
        kind: agree
        fact: palmyra-damascus-distance
        severity: error
        tolerance: 5%
      - id: tolls-only-grow
        kind: monotone                    # cumulative facts: compared in as-of order
        severity: warning
        tolerance: 5%
"""

from __future__ import annotations

import datetime as dt
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pint
import yaml

from . import yamlfile
from .yamlfile import did_you_mean

# what pint raises for a unit it does not know, cannot parse or cannot convert (user input: rule files)
_PINT_ERRORS = (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, AssertionError,
                ArithmeticError, tokenize.TokenError)
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "rules"
SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
VARIES = ("fixed", "cumulative", "snapshot")
# precision: widen by the claim's stored rounding; half-open: the same, but a figure stands for the values
# that round to it, so two different figures at one precision never meet ("six days", "seven days");
# none: the stated interval only
ROUNDING = ("precision", "half-open", "none")

# claim kind -> the unit its low/high are in (for tolerances and bounds); None = plain numbers
KIND_UNITS: dict[str, str | None] = {
    "length": "m",
    "area": "m**2",
    "volume": "m**3",
    "mass": "kg",
    "duration": "s",
    "speed": "m/s",
    "temperature": "K",
    "power": "W",
    "energy": "J",
    "date": "day",
    "age": "year",
    "count": None,
    "percent": None,
    "money": None,
}


def shipped_dir() -> Path:
    """The shipped rules folder: next to the package in a checkout, inside it when installed."""
    try:
        import datasette_palmyra.rules as pkg  # installed wheel: package-dir mapping

        return Path(pkg.__file__).resolve().parent
    except ImportError:
        return SHIPPED_DIR


class RuleFileError(Exception):
    """All the errors found in a set of rule files, each ``file:line:col: message``."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Tolerance:
    text: str
    relative: float | None = None  # a fraction: "5%" -> 0.05
    absolute: float | None = None  # in the claims' norm unit (dates: days)

    def allows(self, gap: float, magnitude: float) -> bool:
        if self.relative is not None:
            return gap <= self.relative * magnitude + 1e-12
        return gap <= (self.absolute or 0.0) + 1e-12


ZERO = Tolerance("0")


@dataclass
class FactSpec:
    id: str
    label: str
    kind: str
    unit: str | None = None
    entities: list[str] = field(default_factory=list)  # entity ids
    words: list[str] = field(default_factory=list)  # lower case, any language
    events: list[str] = field(default_factory=list)
    counted: str | None = None
    near: int = 60
    window_days: float | None = None
    published_from: str | None = None
    published_to: str | None = None
    dates_from: str | None = None
    dates_to: str | None = None
    varies: str = "fixed"
    as_of_window_days: float | None = None
    file: str = ""
    line: int = 0


@dataclass
class RuleSpec:
    id: str
    kind: str
    severity: str
    facts: list[str] | None = None  # declared fact ids; None = every fact
    claim_kind: str | None = None
    tolerance: Tolerance | None = None
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    required: bool = False  # its declared facts must have claims in the corpus checked
    file: str = ""
    line: int = 0


@dataclass
class Grouping:
    default: bool = True
    window_days: float | None = 14.0
    date_gap_days: float = 60.0
    near: int = 60
    noun_near: int = 30
    kinds: list[str] | None = None
    as_of_window_days: float = 1.0  # snapshot facts: figures compared only when their as-of dates are this close


@dataclass
class Vocabulary:
    events: dict[str, list[str]] = field(default_factory=dict)  # concept -> words (all languages)
    counted: dict[str, list[str]] = field(default_factory=dict)
    # what a running total counts ("killed", "missing", "dødstall"): decides a count's concept before
    # the counted noun does, so "2,300 people were killed" and "the death toll" meet
    tallies: dict[str, list[str]] = field(default_factory=dict)
    entities: dict[str, list[str]] = field(default_factory=dict)  # id -> aliases, first = display name
    # what a percentage, a sum or another measured quantity is of ("oxygen", "unemployment", "cost")
    properties: dict[str, list[str]] = field(default_factory=dict)
    # what a distance is measured from ("the entrance", "the coast", "the border")
    references: dict[str, list[str]] = field(default_factory=dict)
    varies: dict[str, str] = field(default_factory=dict)  # concept -> fixed | cumulative | snapshot
    generic: set[str] = field(default_factory=set)  # counted concepts a tally word overrides ("people")
    # event concepts that mark a moment of another event ("ended", "reopened"): a duration near one is
    # how long that other event lasted ("the strike ended after six days")
    moments: set[str] = field(default_factory=set)
    # event concepts that befall people one by one ("death", "killing"): a date near one is the date of
    # the person its clause names ("a volunteer firefighter was killed on Friday"), not of every such event
    individual: set[str] = field(default_factory=set)
    # reference concepts that name a settlement ("the city", "byen", "город"): a distance of one is the
    # distance of the article's own place ("The ancient city lies 240 km from Damascus")
    settlements: set[str] = field(default_factory=set)
    # words that start a new clause: "always" (", but", " men "), or only "after_comma" (", and"); a
    # "relative" word after a comma opens a clause that the next comma closes (", which was carrying 250
    # passengers, sank")
    clause_boundaries: dict[str, list[str]] = field(default_factory=dict)
    # (table, word in lower case) -> the languages it is listed under ("" where a list names none): a
    # word is looked for only in articles of its languages (English "fire" is Norwegian "four")
    languages: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def merge(self, other: Vocabulary) -> None:
        for mine, theirs in ((self.events, other.events), (self.counted, other.counted),
                             (self.tallies, other.tallies), (self.entities, other.entities),
                             (self.properties, other.properties), (self.references, other.references),
                             (self.clause_boundaries, other.clause_boundaries)):
            for key, words in theirs.items():
                have = mine.setdefault(key, [])
                have.extend(w for w in words if w not in have)
        self.varies.update(other.varies)
        self.generic |= other.generic
        self.moments |= other.moments
        self.individual |= other.individual
        self.settlements |= other.settlements
        for key, langs in other.languages.items():
            self.languages.setdefault(key, set()).update(langs)

    def entity_id(self, name: str) -> str | None:
        low = name.lower()
        for eid, aliases in self.entities.items():
            if low == eid or low in (a.lower() for a in aliases):
                return eid
        return None

    def entity_name(self, eid: str) -> str:
        aliases = self.entities.get(eid)
        return aliases[0] if aliases else eid


@dataclass
class Ruleset:
    facts: list[FactSpec] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    grouping: Grouping = field(default_factory=Grouping)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    files: list[str] = field(default_factory=list)

    def fact(self, fid: str) -> FactSpec | None:
        return next((f for f in self.facts if f.id == fid), None)


# -- validation helpers ------------------------------------------------------------------------

class _Errors:
    def __init__(self):
        self.items: list[tuple[str, int, int, str]] = []

    def add(self, file: str, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        col = node.start_mark.column + 1 if node is not None else 1
        self.items.append((file, line, col, message))

    def about(self, file: str) -> bool:
        return any(f == file for f, *_ in self.items)

    def messages(self) -> list[str]:
        return [f"{f}:{line}:{col}: {m}" for f, line, col, m in self.items]


def _scalar(node: yaml.Node) -> Any:
    """A node's value; composing refused what could not be built, so this only fails on a key that
    cannot be one (a mapping as a key), which stays its text."""
    try:
        return yamlfile.construct(node)
    except yamlfile.YamlError:
        return f"<{node.tag.rsplit(':', 1)[-1]}>"


def _pairs(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    return [(str(_scalar(k)), k, v) for k, v in node.value]


def _compose(path: Path, errors: _Errors) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        errors.items.append((str(path), 1, 1, f"cannot read rule file: {e}"))
        return None
    try:
        return yamlfile.compose(text)
    except yamlfile.YamlError as e:
        errors.items.append((str(path), e.line or 1, e.column or 1, f"not valid YAML: {e.problem}"))
        return None


def parse_days(text: Any) -> float | None:
    """'14 days', '2 weeks', '1 day', or a number of days; None when it does not parse."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", str(text))
    if not m:
        return None
    from .extract.units import registry

    ureg = registry()
    try:
        q = ureg.Quantity(float(m.group(1)), m.group(2))
        return float(q.to("day").magnitude)
    except _PINT_ERRORS:
        return None


# No unit name is this long ("kilometers per hour squared" is 27): a longer one is refused before pint parses
# it (a 50 KB "unit" once took pint 16 s), and values are echoed in messages at most SHOWN characters long.
MAX_UNIT = 60
SHOWN = 60


def shown(text: str) -> str:
    """A value as a message quotes it: repr, cut to SHOWN characters."""
    return repr(text) if len(text) <= SHOWN else repr(text[:SHOWN]) + f"... ({len(text)} characters)"


def _known_unit(unit: str) -> tuple[bool, str]:
    """Whether pint knows the unit at all (before any kind is known); and a did-you-mean if not."""
    from .extract.units import registry

    if len(unit) > MAX_UNIT:
        return False, f"a unit name is at most {MAX_UNIT} characters, not {len(unit)}"
    ureg = registry()
    try:
        ureg.Quantity(1, unit)
    except _PINT_ERRORS:
        names = [n for n in dir(ureg) if n.isidentifier() and not n.startswith("_")]
        return False, f"unknown unit {shown(unit)}" + did_you_mean(unit, names)
    return True, ""


def _unit_dimension_ok(unit: str, kind: str) -> tuple[bool, str]:
    """Whether a pint unit measures what claims of ``kind`` measure; and a reason if not."""
    from .extract.units import registry

    ureg = registry()
    base = KIND_UNITS.get(kind, "unknown")
    known, why = _known_unit(unit)
    if not known:
        return False, why
    q = ureg.Quantity(1, unit)
    if base is None or base == "unknown":
        return False, f"claims of kind {kind!r} have no unit; give a plain number or a percentage"
    want = ureg.Quantity(1, base).dimensionality
    if q.dimensionality != want:
        return False, f"unit {unit!r} is a {_dim_name(q.dimensionality)}, but {kind} claims are a {_dim_name(want)}"
    return True, ""


def _dim_name(dim) -> str:
    from .extract.units import DIMENSION_NAMES

    d = str(dim)
    return {"[time]": "time"}.get(d, DIMENSION_NAMES.get(d, d))


def _to_norm(value: float, unit: str, kind: str) -> float:
    from .extract.units import registry

    ureg = registry()
    return float(ureg.Quantity(value, unit).to(KIND_UNITS[kind]).magnitude)


QUANTITY = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*(%|[^\d\s].*)?\s*$")


def parse_tolerance(raw: Any, kinds: set[str]) -> tuple[Tolerance | None, str]:
    """A tolerance ('5%', '5 km', '1 day', 3) for claims of ``kinds``; (None, reason) when bad."""
    text = str(raw).strip()
    if isinstance(raw, bool):
        return None, f"bad tolerance {raw!r}: give a percentage ('5%'), a quantity ('5 km', '1 day') or a number"
    m = QUANTITY.match(text)
    if not m:
        return None, f"bad tolerance {shown(text)}: give a percentage ('5%'), a quantity ('5 km', '1 day') or a number"
    number, unit = float(m.group(1)), (m.group(2) or "").strip()
    if number < 0:
        return None, f"bad tolerance {shown(text)}: it must not be negative"
    if unit == "%":
        if "date" in kinds:
            return None, f"bad tolerance {shown(text)}: dates take a number of days ('1 day'), not a percentage"
        return Tolerance(text, relative=number / 100.0), ""
    if not unit:
        return Tolerance(text, absolute=number), ""
    known, why = _known_unit(unit)
    if not known:
        return None, f"bad tolerance {shown(text)}: {why}"
    if not kinds:
        return None, (f"tolerance {shown(text)} has a unit, but the rule applies to claims of every kind; "
                      "add 'fact', 'facts' or 'claim_kind', or give a percentage")
    for kind in sorted(kinds):
        ok, why = _unit_dimension_ok(unit, kind)
        if not ok:
            return None, f"bad tolerance {shown(text)}: {why}"
    kind = sorted(kinds)[0]
    return Tolerance(text, absolute=_to_norm(number, unit, kind)), ""


def parse_bound(raw: Any, kinds: set[str]) -> tuple[float | None, str]:
    """A bounds limit: a number, '100 km', or an ISO date for date claims (as a day ordinal)."""
    if isinstance(raw, dt.date):
        return float(raw.toordinal()), ""
    text = str(raw).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return float(dt.date.fromisoformat(text).toordinal()), ""
        except ValueError as e:  # 2016-13-45
            return None, f"bad limit {shown(text)}: not a date ({e})"
    m = QUANTITY.match(text)
    if not m or m.group(2) == "%":
        return None, f"bad limit {shown(text)}: give a number, a quantity ('100 km') or a date"
    number, unit = float(m.group(1)), (m.group(2) or "").strip()
    if not unit:
        return number, ""
    if not kinds:
        return None, f"limit {shown(text)} has a unit; add 'fact' or 'claim_kind' to say which claims it bounds"
    for kind in sorted(kinds):
        ok, why = _unit_dimension_ok(unit, kind)
        if not ok:
            return None, f"bad limit {shown(text)}: {why}"
    return _to_norm(number, unit, sorted(kinds)[0]), ""


def _iso(raw: Any) -> str | None:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw)
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _gazetteer_id(name: str) -> str | None:
    """A place that no vocabulary lists but the gazetteer knows ("entities: [Chiang Rai]")."""
    from .places import gazetteer

    place = gazetteer().lookup(name)
    return place.id if place is not None else None


def _gazetteer_names_like(name: str) -> list[str]:
    """Gazetteer names that begin as ``name`` does: the candidates of a did-you-mean."""
    from .places import gazetteer

    head = name[:2].lower()
    return sorted({p.name for key, p in gazetteer().names.items() if key[:2] == head and abs(len(key) - len(name)) <= 2})


# -- the schema, key by key --------------------------------------------------------------------

TOP_KEYS = {"version", "description", "grouping", "vocabulary", "facts", "rules"}
GROUPING_KEYS = {"default", "window", "date_gap", "near", "noun_near", "kinds", "as_of_window"}
FACT_KEYS = {"id", "label", "description", "kind", "unit", "entities", "words", "event", "counted", "near",
             "window", "published", "dates", "varies", "as_of_window"}
RULE_KEYS = {"id", "kind", "severity", "description", "fact", "facts", "claim_kind", "tolerance", "required"}
RANGE_KEYS = {"from", "to"}
VOCAB_KEYS = {"events", "counted", "tallies", "entities", "properties", "references", "clause_boundaries"}
CLAUSE_KINDS = ("always", "after_comma", "relative")
# keys of a concept's mapping that are attributes, not language codes
CONCEPT_ATTRIBUTES = {"varies", "generic", "moment", "individual", "settlement"}


def _check_keys(file: str, node: yaml.MappingNode, allowed: set[str], errors: _Errors, where: str) -> dict:
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, knode, vnode in _pairs(node):
        if key in out:
            errors.add(file, knode, f"duplicate key {key!r} in {where}")
            continue
        if key not in allowed:
            errors.add(file, knode, f"unknown key {key!r} in {where}" + did_you_mean(key, sorted(allowed)))
            continue
        out[key] = (knode, vnode)
    return out


def _expect(file: str, node: yaml.Node, cls, errors: _Errors, what: str) -> bool:
    if isinstance(node, cls):
        return True
    want = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}[cls]
    errors.add(file, node, f"{what} must be {want}")
    return False


def _str_list(file: str, node: yaml.Node, errors: _Errors, what: str) -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.ScalarNode):
        return [(str(_scalar(node)), node)]
    if not _expect(file, node, yaml.SequenceNode, errors, what):
        return []
    out = []
    for item in node.value:
        if _expect(file, item, yaml.ScalarNode, errors, f"each item of {what}"):
            out.append((str(_scalar(item)), item))
    return out


def load_vocabulary_file(path: Path, errors: _Errors) -> Vocabulary:
    vocab = Vocabulary()
    root = _compose(path, errors)
    file = str(path)
    if root is None:
        return vocab
    if not _expect(file, root, yaml.MappingNode, errors, "a vocabulary file"):
        return vocab
    for key, (_k, vnode) in _check_keys(file, root, VOCAB_KEYS, errors, "vocabulary file").items():
        if not _expect(file, vnode, yaml.MappingNode, errors, key):
            continue
        target = getattr(vocab, key)
        for concept, ck, cnode in _pairs(vnode):
            if key == "clause_boundaries" and concept not in CLAUSE_KINDS:
                errors.add(file, ck, f"unknown clause boundary kind {concept!r} (one of {', '.join(CLAUSE_KINDS)})"
                           + did_you_mean(concept, CLAUSE_KINDS))
                continue
            words: list[str] = []
            if isinstance(cnode, yaml.MappingNode):  # per language, plus attributes
                for lang, lk, lnode in _pairs(cnode):
                    if lang in CONCEPT_ATTRIBUTES:
                        _concept_attribute(file, key, concept, lang, lk, lnode, vocab, errors)
                        continue
                    listed = [w for w, _n in _str_list(file, lnode, errors, f"{key}.{concept}")]
                    words.extend(listed)
                    for w in listed:
                        vocab.languages.setdefault((key, w.lower()), set()).add(str(lang))
            else:
                listed = [w for w, _n in _str_list(file, cnode, errors, f"{key}.{concept}")]
                words.extend(listed)
                for w in listed:
                    vocab.languages.setdefault((key, w.lower()), set()).add("")
            target[concept] = words
    return vocab


def _concept_attribute(file: str, table: str, concept: str, attr: str, knode: yaml.Node, vnode: yaml.Node,
                       vocab: Vocabulary, errors: _Errors) -> None:
    """``varies: cumulative`` (counted nouns and tallies; ``varies`` also on events and properties),
    ``generic: true`` (counted nouns) or ``moment: true`` (events)."""
    val = _scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else None
    if attr == "settlement":
        if table != "references":
            errors.add(file, knode, f"{table}.{concept}: 'settlement' applies to references only")
        elif not isinstance(val, bool):
            errors.add(file, vnode, f"{table}.{concept}: settlement must be true or false")
        elif val:
            vocab.settlements.add(concept)
    elif attr in ("moment", "individual"):
        if table != "events":
            errors.add(file, knode, f"{table}.{concept}: {attr!r} applies to events only")
        elif not isinstance(val, bool):
            errors.add(file, vnode, f"{table}.{concept}: {attr} must be true or false")
        elif val:
            (vocab.moments if attr == "moment" else vocab.individual).add(concept)
    elif table not in ("counted", "tallies") and not (table in ("events", "properties") and attr == "varies"):
        errors.add(file, knode, f"{table}.{concept}: {attr!r} applies to counted nouns and tallies only"
                   + (" (and varies to events and properties)" if attr == "generic" else ""))
    elif attr == "varies":
        if str(val) not in VARIES:
            errors.add(file, vnode, f"{table}.{concept}: unknown varies {val!r} (one of {', '.join(VARIES)})"
                       + did_you_mean(str(val), VARIES))
        else:
            vocab.varies[concept] = str(val)
    elif not isinstance(val, bool):
        errors.add(file, vnode, f"{table}.{concept}: generic must be true or false")
    elif val:
        vocab.generic.add(concept)


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Rule files from files and folders (a folder: its *.yml and *.yaml, not its vocabulary/)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(list(p.glob("*.yml")) + list(p.glob("*.yaml"))))
        else:
            out.append(p)
    return out


def default_rule_paths() -> list[Path]:
    return [shipped_dir() / "default.yml"]


EMPTY_HINT = "pass --allow-empty to run no rules (the previous facts and flags are replaced)"


def load_ruleset(paths: list[str | Path] | None = None, allow_empty: bool = False) -> Ruleset:
    """Load and validate rule files; raise RuleFileError with every problem found. A file with nothing
    in it, a folder with no rule files, or no rule at all is refused unless ``allow_empty``: run, it
    would replace the last check's facts and flags with none."""
    errors = _Errors()
    files = expand_paths(paths) if paths else default_rule_paths()
    for p in paths or ():
        if not allow_empty and Path(p).is_dir() and not expand_paths([p]):
            errors.items.append((str(p), 1, 1, f"folder holds no rule files (*.yml, *.yaml); {EMPTY_HINT}"))
    for p in files:
        if not p.exists():
            errors.items.append((str(p), 1, 1, "no such rule file"))
    files = [p for p in files if p.exists()]

    # vocabulary: shipped, then a vocabulary/ folder next to any rule file, then listed files
    vocab = Vocabulary()
    vocab_files: list[Path] = []
    for folder in [shipped_dir() / "vocabulary"] + [p.parent / "vocabulary" for p in files]:
        for vf in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            if vf.resolve() not in [v.resolve() for v in vocab_files]:
                vocab_files.append(vf)
    roots = [(p, _compose(p, errors)) for p in files]
    for p, root in roots:
        if isinstance(root, yaml.MappingNode):
            for key, _k, vnode in _pairs(root):
                if key == "vocabulary":
                    for name, n in _str_list(str(p), vnode, errors, "vocabulary"):
                        vf = (p.parent / name)
                        if not vf.exists():
                            errors.add(str(p), n, f"no such vocabulary file {name!r}")
                        elif not vf.is_file():  # '' or '.' names the rule file's own folder
                            errors.add(str(p), n, f"vocabulary {name!r} is not a file")
                        else:
                            vocab_files.append(vf)
    for vf in vocab_files:
        vocab.merge(load_vocabulary_file(vf, errors))

    ruleset = Ruleset(vocabulary=vocab, files=[str(p) for p in files])
    fact_nodes: dict[str, tuple[str, yaml.Node]] = {}
    rule_raw: list[tuple[str, yaml.MappingNode, dict]] = []
    for p, root in roots:
        file = str(p)
        if root is None:
            if not allow_empty and p.exists() and not errors.about(file):
                errors.items.append((file, 1, 1, f"no facts or rules (the file is empty or only comments); {EMPTY_HINT}"))
            continue
        if not _expect(file, root, yaml.MappingNode, errors, "a rule file"):
            continue
        top = _check_keys(file, root, TOP_KEYS, errors, "rule file")
        if "grouping" in top:
            _parse_grouping(file, top["grouping"][1], ruleset.grouping, errors)
        if "facts" in top and _expect(file, top["facts"][1], yaml.SequenceNode, errors, "facts"):
            for fnode in top["facts"][1].value:
                fact = _parse_fact(file, fnode, vocab, ruleset.grouping, errors)
                if fact is None:
                    continue
                if fact.id in fact_nodes:
                    pf, pn = fact_nodes[fact.id]
                    errors.add(file, fnode, f"duplicate fact id {fact.id!r} (first at {pf}:{pn.start_mark.line + 1})")
                    continue
                fact_nodes[fact.id] = (file, fnode)
                ruleset.facts.append(fact)
        if "rules" in top and _expect(file, top["rules"][1], yaml.SequenceNode, errors, "rules"):
            for rnode in top["rules"][1].value:
                if _expect(file, rnode, yaml.MappingNode, errors, "a rule"):
                    rule_raw.append((file, rnode, {}))
    seen_rules: dict[str, tuple[str, int]] = {}
    for file, rnode, _ in rule_raw:
        rule = _parse_rule(file, rnode, ruleset, errors)
        if rule is None:
            continue
        if rule.id in seen_rules:
            pf, pl = seen_rules[rule.id]
            errors.add(file, rnode, f"duplicate rule id {rule.id!r} (first at {pf}:{pl})")
            continue
        seen_rules[rule.id] = (file, rule.line)
        ruleset.rules.append(rule)
    if not ruleset.rules and not allow_empty and not errors.items and files:
        errors.items.append((str(files[0]), 1, 1, f"no rules in {len(files)} rule file{'s' if len(files) > 1 else ''}; {EMPTY_HINT}"))
    if errors.items:
        raise RuleFileError(errors.messages())
    return ruleset


def _parse_grouping(file: str, node: yaml.Node, g: Grouping, errors: _Errors) -> None:
    if not _expect(file, node, yaml.MappingNode, errors, "grouping"):
        return
    for key, (_knode, vnode) in _check_keys(file, node, GROUPING_KEYS, errors, "grouping").items():
        value = _scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else None
        if key == "default":
            if not isinstance(value, bool):
                errors.add(file, vnode, "grouping.default must be true or false")
            else:
                g.default = value
        elif key in ("window", "date_gap"):
            days = None if value in (None, "none", "null") and key == "window" else parse_days(value)
            if days is None and not (key == "window" and value in (None, "none")):
                errors.add(file, vnode, f"bad grouping.{key} {value!r}: give a duration such as '14 days'")
            elif key == "window":
                g.window_days = days
            else:
                g.date_gap_days = days
        elif key == "as_of_window":
            days = parse_days(value)
            if days is None:
                errors.add(file, vnode, f"bad grouping.as_of_window {value!r}: give a duration such as '1 day'")
            else:
                g.as_of_window_days = days
        elif key in ("near", "noun_near"):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                errors.add(file, vnode, f"grouping.{key} must be a positive number of characters")
            else:
                setattr(g, key, value)
        elif key == "kinds":
            kinds = _str_list(file, vnode, errors, "grouping.kinds")
            for k, n in kinds:
                if k not in KIND_UNITS:
                    errors.add(file, n, f"unknown claim kind {k!r}" + did_you_mean(k, KIND_UNITS))
            g.kinds = [k for k, _ in kinds]


def _parse_range(file: str, node: yaml.Node, errors: _Errors, what: str) -> tuple[str | None, str | None]:
    if not _expect(file, node, yaml.MappingNode, errors, what):
        return None, None
    out: dict[str, str | None] = {"from": None, "to": None}
    for key, (_k, vnode) in _check_keys(file, node, RANGE_KEYS, errors, what).items():
        iso = _iso(_scalar(vnode)) if isinstance(vnode, yaml.ScalarNode) else None
        if iso is None:
            errors.add(file, vnode, f"{what}.{key} must be a date YYYY-MM-DD")
        out[key] = iso
    return out["from"], out["to"]


def _parse_fact(file: str, node: yaml.Node, vocab: Vocabulary, g: Grouping, errors: _Errors) -> FactSpec | None:
    if not _expect(file, node, yaml.MappingNode, errors, "a fact"):
        return None
    keys = _check_keys(file, node, FACT_KEYS, errors, "fact")
    if "id" not in keys:
        errors.add(file, node, "fact has no 'id'")
        return None
    fid = str(_scalar(keys["id"][1]))
    if "kind" not in keys:
        errors.add(file, node, f"fact {fid!r} has no 'kind' (the claim kind, e.g. length, count, date)")
        return None
    kind = str(_scalar(keys["kind"][1]))
    fact = FactSpec(id=fid, label=fid, kind=kind, near=g.near, file=file, line=node.start_mark.line + 1)
    if kind not in KIND_UNITS:
        errors.add(file, keys["kind"][1], f"unknown claim kind {kind!r}" + did_you_mean(kind, KIND_UNITS))
    for key, (_k, v) in keys.items():
        val = _scalar(v) if isinstance(v, yaml.ScalarNode) else None
        if key == "label":
            fact.label = str(val)
        elif key == "unit":
            fact.unit = str(val)
            if kind in KIND_UNITS:
                ok, why = _unit_dimension_ok(fact.unit, kind)
                if not ok:
                    errors.add(file, v, why)
        elif key == "entities":
            for name, n in _str_list(file, v, errors, "entities"):
                eid = vocab.entity_id(name) or _gazetteer_id(name)
                if eid is None:
                    names = [a for aliases in vocab.entities.values() for a in aliases]
                    errors.add(file, n, f"unknown entity {name!r}: no place of that name in the gazetteer; "
                               "add it to a vocabulary file" + did_you_mean(name, names + list(vocab.entities)
                                                                            + _gazetteer_names_like(name)))
                else:
                    fact.entities.append(eid)
        elif key == "words":
            if isinstance(v, yaml.MappingNode):
                for _lang, _lk, lnode in _pairs(v):
                    fact.words.extend(w.lower() for w, _ in _str_list(file, lnode, errors, "words"))
            else:
                fact.words.extend(w.lower() for w, _ in _str_list(file, v, errors, "words"))
        elif key == "event":
            for name, n in _str_list(file, v, errors, "event"):
                if name not in vocab.events:
                    errors.add(file, n, f"unknown event {name!r}" + did_you_mean(name, vocab.events))
                fact.events.append(name)
        elif key == "counted":
            if str(val) not in vocab.counted and str(val) not in vocab.tallies:
                errors.add(file, v, f"unknown counted noun concept {val!r}"
                           + did_you_mean(str(val), list(vocab.counted) + list(vocab.tallies)))
            fact.counted = str(val)
        elif key == "near":
            if not isinstance(val, int) or val <= 0:
                errors.add(file, v, "near must be a positive number of characters")
            else:
                fact.near = val
        elif key in ("window", "as_of_window"):
            days = parse_days(val)
            if days is None:
                errors.add(file, v, f"bad {key} {val!r}: give a duration such as '14 days'")
            elif key == "window":
                fact.window_days = days
            else:
                fact.as_of_window_days = days
        elif key == "published":
            fact.published_from, fact.published_to = _parse_range(file, v, errors, "published")
        elif key == "dates":
            fact.dates_from, fact.dates_to = _parse_range(file, v, errors, "dates")
            if kind != "date":
                errors.add(file, v, f"'dates' only applies to facts of kind date, not {kind!r}")
        elif key == "varies":
            if str(val) not in VARIES:
                errors.add(file, v, f"unknown varies {val!r} (one of {', '.join(VARIES)})" + did_you_mean(str(val), VARIES))
            else:
                fact.varies = str(val)
    if "varies" not in keys and fact.counted in vocab.varies:
        fact.varies = vocab.varies[fact.counted]  # a declared death toll is a running total unless it says not
    return fact


def _parse_rule(file: str, node: yaml.MappingNode, ruleset: Ruleset, errors: _Errors) -> RuleSpec | None:
    from .checks import REGISTRY

    raw = {k: (kn, vn) for k, kn, vn in _pairs(node)}
    kind_node = raw.get("kind", (None, None))[1]
    kind = str(_scalar(kind_node)) if isinstance(kind_node, yaml.ScalarNode) else None
    check_cls = REGISTRY.get(kind) if kind else None
    # without a known kind, any kind's options may stand here: the common keys are still checked, so
    # one lint run reports every error (a bad severity, a duplicate id) and not only the kind
    any_option = {name for cls in REGISTRY.values() for name in cls.options}
    allowed = RULE_KEYS | (set(check_cls.options) if check_cls else any_option)
    keys = _check_keys(file, node, allowed, errors, f"rule of kind {kind}" if check_cls else "rule")
    if "id" not in keys:
        errors.add(file, node, "rule has no 'id'")
    rid = str(_scalar(keys["id"][1])) if "id" in keys else ""
    if kind is None:
        errors.add(file, node, f"rule {rid!r} has no 'kind' (one of {', '.join(REGISTRY)})")
    elif check_cls is None:
        errors.add(file, kind_node, f"unknown rule kind {kind!r}" + did_you_mean(kind, REGISTRY))
    rule = RuleSpec(id=rid, kind=kind or "", severity=check_cls.default_severity if check_cls else "error",
                    file=file, line=node.start_mark.line + 1)
    kinds: set[str] = set()
    for key, (_k, v) in keys.items():
        val = _scalar(v) if isinstance(v, yaml.ScalarNode) else None
        if key == "severity":
            if str(val) not in SEVERITIES:
                errors.add(file, v, f"unknown severity {val!r} (one of info, warning, error)"
                           + did_you_mean(str(val), SEVERITIES))
            else:
                rule.severity = str(val)
        elif key == "description":
            rule.description = str(val)
        elif key == "required":  # a declared fact with no claims: an error outcome, not a warning
            if not isinstance(val, bool):
                errors.add(file, v, "required must be true or false")
            else:
                rule.required = val
        elif key in ("fact", "facts"):
            rule.facts = rule.facts or []
            for fid, n in _str_list(file, v, errors, key):
                fact = ruleset.fact(fid)
                if fact is None:
                    errors.add(file, n, f"unknown fact {fid!r}" + did_you_mean(fid, [f.id for f in ruleset.facts]))
                else:
                    rule.facts.append(fid)
                    kinds.add(fact.kind)
        elif key == "claim_kind":
            if str(val) not in KIND_UNITS:
                errors.add(file, v, f"unknown claim kind {val!r}" + did_you_mean(str(val), KIND_UNITS))
            else:
                rule.claim_kind = str(val)
                kinds.add(str(val))
    if check_cls is not None:
        kinds |= set(check_cls.implied_kinds)
    if "tolerance" in keys:
        v = keys["tolerance"][1]
        tol, why = parse_tolerance(_scalar(v) if isinstance(v, yaml.ScalarNode) else v, kinds)
        if tol is None:
            errors.add(file, v, why)
        rule.tolerance = tol
    if check_cls is None or not rid:
        return rule if rid else None  # the kind's own options and checks need the kind
    for name, validate in check_cls.options.items():
        if name in keys:
            value, why = validate(file, keys[name][1], ruleset, kinds)
            if why:
                errors.add(file, keys[name][1], why)
            else:
                rule.options[name] = value
    for why in check_cls.validate_rule(rule, ruleset):
        errors.add(file, node, f"rule {rid!r}: {why}")
    return rule


# option validators used by the rule kinds: (file, node, ruleset, kinds) -> (value, error message)
OptionValidator = Callable[[str, yaml.Node, Ruleset, set], tuple[Any, str]]


def choice_option(choices: tuple[str, ...]) -> OptionValidator:
    def validate(file, node, ruleset, kinds):
        val = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if str(val) not in choices:
            return None, f"unknown value {val!r} (one of {', '.join(choices)})" + did_you_mean(str(val), choices)
        return str(val), ""
    return validate


def bool_option(file, node, ruleset, kinds):
    val = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(val, bool):
        return None, "must be true or false"
    return val, ""


def severity_option(file, node, ruleset, kinds):
    return choice_option(SEVERITIES)(file, node, ruleset, kinds)


def bound_option(file, node, ruleset, kinds):
    if not isinstance(node, yaml.ScalarNode):
        return None, "a limit must be a single value"
    return parse_bound(_scalar(node), kinds)


def fact_list_option(file, node, ruleset, kinds):
    out = []
    errs = _Errors()
    for fid, _n in _str_list(file, node, errs, "sequence"):
        if ruleset.fact(fid) is None:
            return None, f"unknown fact {fid!r} in sequence" + did_you_mean(fid, [f.id for f in ruleset.facts])
        out.append(fid)
    if errs.items:
        return None, errs.items[0][3]
    if len(out) < 2:
        return None, "a sequence needs at least two facts"
    return out, ""
