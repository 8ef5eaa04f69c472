"""YAML that anyone wrote (manifests, rule files, front matter, language files), read safely.

PyYAML's safe loader still expands aliases (a "billion laughs" file of a few hundred bytes builds
gigabytes), composes nested collections by recursion (20,000 brackets end in RecursionError) and
raises a ValueError for a date-like scalar that is no date (``2016-02-30``). This reader walks the
document's events first and refuses aliases, anchors, explicit tags and nesting past ``MAX_DEPTH``
before anything is built, and keeps a date that is no date as the string written, so that the caller
can say what is wrong with it. Every problem is a ``YamlError`` with the line and column it was found at.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

MAX_DEPTH = 40  # a rule file nests about six deep; nothing here needs more


class YamlError(ValueError):
    """What is wrong, and where (1-based line and column; 0 when no position is known)."""

    def __init__(self, problem: str, line: int = 0, column: int = 0):
        super().__init__(problem)
        self.problem, self.line, self.column = problem, line, column

    def where(self, path: Any) -> str:
        return f"{path}:{self.line}:{self.column}" if self.line else str(path)


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


class _Loader(_BASE):
    """The safe loader, keeping a date that is no date as the string written."""

    dates = True

    def construct_yaml_timestamp(self, node):
        if not self.dates:
            return self.construct_scalar(node)
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # "2016-02-30": the string as written, for the caller to report
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _NoDates(_Loader):
    """Dates stay the strings written (a manifest's ``published: 2016-03-27``)."""

    dates = False


_NoDates.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _refuse(text: str) -> None:
    """Walk the document's events (no node is built yet) and refuse aliases, anchors, explicit tags
    and nesting past MAX_DEPTH, where they stand."""
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        problem = None
        if isinstance(event, yaml.AliasEvent):
            problem = "aliases (*name) are not accepted"
        elif getattr(event, "anchor", None):
            problem = "anchors (&name) are not accepted"
        elif getattr(event, "tag", None) not in (None, "!"):
            problem = f"tags ({event.tag}) are not accepted"
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problem = f"nested more than {MAX_DEPTH} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if problem:
            mark = event.start_mark
            raise YamlError(problem, mark.line + 1, mark.column + 1)


def _error(e: Exception, text: str) -> YamlError:
    if isinstance(e, yaml.reader.ReaderError):  # a control character: a position, not a mark
        before = text[:e.position]
        char = e.character if isinstance(e.character, str) else chr(e.character)
        return YamlError(f"control character U+{ord(char):04X} is not allowed",
                         before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1)
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    context = getattr(e, "context", None)
    if context:  # "while constructing a mapping, found unhashable key"
        problem = f"{context.strip()}, {problem}"
    return YamlError(problem, mark.line + 1, mark.column + 1) if mark else YamlError(problem)


def _loader(dates: bool) -> type[_Loader]:
    return _Loader if dates else _NoDates


def compose(text: str, *, dates: bool = True) -> yaml.Node | None:
    """The node tree of a document (None for an empty one), or a YamlError."""
    try:
        _refuse(text)
        loader = _loader(dates)(text)
    except yaml.YAMLError as e:
        raise _error(e, text) from None
    try:
        return loader.get_single_node()
    except yaml.YAMLError as e:
        raise _error(e, text) from None
    finally:
        loader.dispose()


def construct(node: yaml.Node | None, *, dates: bool = True) -> Any:
    """The Python value of a composed node; a YamlError for an unhashable key and the like."""
    if node is None:
        return None
    loader = _loader(dates)("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as e:
        raise _error(e, "") from None
    finally:
        loader.dispose()


def load(text: str, *, dates: bool = True) -> Any:
    """Compose and construct: the value of a document, or a YamlError saying where it went wrong."""
    return construct(compose(text, dates=dates), dates=dates)


NAME_MAX = 60  # no key or name is longer; a longer word is not compared with every choice


def did_you_mean(word: str, choices) -> str:
    """"; did you mean 'month_parts'?" for a misspelled key, or nothing."""
    if len(str(word)) > NAME_MAX:
        return ""  # no name is that long, and comparing it with each would take a while
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
