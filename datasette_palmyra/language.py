"""Per-language vocabulary: our YAML data files merged with Babel's CLDR data.

A language is a folder ``languages/<code>/`` of YAML files (numbers.yml, dates.yml, ...) that are
merged key by key; a user adds a language, or extends one, by adding files there or by pointing
``PALMYRA_LANGUAGES`` at a folder of their own (searched first). Month and weekday names and number
symbols are never typed into these files: they come from Babel.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BUILTIN_DIR = Path(__file__).parent / "languages"


def language_dirs() -> list[Path]:
    extra = os.environ.get("PALMYRA_LANGUAGES")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p] if extra else []
    return dirs + [BUILTIN_DIR]


def available_languages() -> list[str]:
    codes: set[str] = set()
    for d in language_dirs():
        if d.is_dir():
            codes.update(p.name for p in d.iterdir() if p.is_dir())
    return sorted(codes)


_SPACE_RUN = r"[\s\u00a0]+"  # a space inside a phrase: any run of spaces
_DASH_OR_SPACE = r"[\s\u00a0-]"  # with dash_or_space: "twenty-one" also reads "twenty one"


def alternation(words, boundary: bool = True, dash_or_space: bool = False) -> str:
    """A regex alternation of literal words, longest first, so "more than" wins over "more".

    Written as a trie ("ma(?:r(?:ch)?|y)" for "march", "mar", "may") where that matches exactly what
    the flat list does (see _trie): the engine then reads one branch per character instead of trying
    every word at every position. dash_or_space: a "-" in a word also matches one space.
    """
    items = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not items:
        return r"(?!x)x"
    trie = _trie(items, dash_or_space)
    if trie is not None:
        return trie
    body = "|".join(re.escape(w).replace(r"\ ", _SPACE_RUN) for w in items)
    return body.replace(r"\-", _DASH_OR_SPACE) if dash_or_space else body


try:  # the letters IGNORECASE matches beyond simple lower case ("ſ" for "s"): see _fold_class
    from re._casefix import _EXTRA_CASES
except ImportError:  # another Python: every alternation stays a flat list
    _EXTRA_CASES = None


def _fold_class(ch: str) -> str | None:
    """One representative of the characters ``ch`` matches under IGNORECASE (the engine compares simple
    lower cases, plus the extra cases of re._casefix); None where that is not a single character."""
    low = ch.lower()
    if _EXTRA_CASES is None or len(low) != 1 or len(ch.upper()) != 1:
        return None
    return min([low] + [chr(o) for o in _EXTRA_CASES.get(ord(low), ())])


def _trie(items: list[str], dash_or_space: bool) -> str | None:
    """The words as a trie regex, or None where it might not match as the flat list does.

    Why it is the same: a flat alternation tries the words in order, longest first, and the first whose
    continuation succeeds wins. Words that match at one position are matched in lockstep, token by
    token (a character, or a space run), so the shorter is a prefix of the longer: the trie follows the
    one branch that can match the next character and tries deeper words first (greedy ``(?:...)?``),
    the same lengths in the same order. That needs: no node with two children that can match one
    character (case variants under IGNORECASE, or a dash and a space with dash_or_space), and words
    that end on a plain character (so each matches one length only); otherwise None (flat list).
    """
    seps = {" ", "-"} if dash_or_space else {" "}
    root: dict[str, dict] = {}
    for w in items:
        if w[-1] in seps:
            return None
        node = root
        for ch in w:
            if ch.isspace() and ch != " ":
                return None
            node = node.setdefault(ch, {})
        node[""] = {}  # the end of a word

    def emit(node: dict[str, dict]) -> str | None:
        kids = sorted(k for k in node if k)
        classes: set[str] = set()
        for k in kids:
            cls = k if k in seps else _fold_class(k)
            if cls is None or cls in classes:
                return None
            classes.add(cls)
        if len(seps & classes) > 1:  # "-" and " " both match a space
            return None
        parts = []
        for k in kids:
            tail = emit(node[k])
            if tail is None:
                return None
            head = _SPACE_RUN if k == " " else _DASH_OR_SPACE if k in seps else re.escape(k)
            parts.append(head + tail)
        if not parts:
            return ""
        if "" in node:
            return "(?:" + "|".join(parts) + ")?"
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return emit(root)


@dataclass(eq=False)  # identity hash: compiled patterns are cached per Language object
class Language:
    code: str
    data: dict[str, Any]
    months: dict[str, int] = field(default_factory=dict)  # every written form, lower case -> 1..12
    weekdays: dict[str, int] = field(default_factory=dict)  # lower case -> 0 (Monday) .. 6
    group_symbols: list[str] = field(default_factory=list)
    decimal_symbol: str = "."
    wide_months: set[str] = field(default_factory=set)  # CLDR's unabbreviated names, lower case
    wide_weekdays: set[str] = field(default_factory=set)
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def mapping(self, key: str) -> dict[str, Any]:
        """A data-file mapping with lower-case keys (cached: the extractor asks often)."""
        hit = self._cache.get(("m", key))
        if hit is None:
            hit = {str(k).lower(): v for k, v in (self.data.get(key) or {}).items()}
            self._cache[("m", key)] = hit
        return hit

    def words(self, key: str) -> list[str]:
        hit = self._cache.get(("w", key))
        if hit is None:
            hit = [str(w).lower() for w in (self.data.get(key) or [])]
            self._cache[("w", key)] = hit
        return hit


def _merge(into: dict, new: dict) -> None:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            into[k] = {**into[k], **v}
        elif isinstance(v, list) and isinstance(into.get(k), list):
            into[k] = into[k] + [x for x in v if x not in into[k]]
        else:
            into[k] = v


def _read_language_data(code: str) -> dict[str, Any]:
    from . import yamlfile  # here: a language read from the cache (see _sources) needs no YAML parser

    data: dict[str, Any] = {}
    found = False
    # builtin first, user folders after, so user files extend and override
    for d in reversed(language_dirs()):
        folder = d / code
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
            found = True
            try:
                text = path.read_text(encoding="utf-8")
                node = yamlfile.compose(text)
                content = yamlfile.construct(node) or {}
            except yamlfile.YamlError as e:
                raise ValueError(f"{e.where(path)}: not valid YAML: {e.problem}") from None
            except (OSError, UnicodeDecodeError) as e:
                raise ValueError(f"{path}: cannot read: {e}") from None
            if not isinstance(content, dict):
                raise ValueError(f"{path}:1:1: a language file must be a mapping of keys")
            _check_keys(path, node)
            _merge(data, content)
    if not found:
        raise ValueError(
            f"unknown language {code!r}: no folder languages/{code}/ (have: {', '.join(available_languages())})"
        )
    return data


@functools.cache
def known_keys() -> dict[str, str]:
    """Every key a language file may hold, with the type of its value (languages/keys.yml)."""
    from . import yamlfile

    spec = yamlfile.load((BUILTIN_DIR / "keys.yml").read_text(encoding="utf-8")) or {}
    return {str(k): str(t) for group in spec.values() for k, t in (group or {}).items()}


_NODE_TYPES = {"list": "sequence", "mapping": "mapping", "bool": "scalar", "text": "scalar"}


def _check_keys(path: Path, node: Any) -> None:
    """A misspelled key or a value of the wrong shape is an error naming its line, never a table that is
    silently missing: language files are checked as strictly as rule files."""
    import yaml

    from . import yamlfile

    if not isinstance(node, yaml.MappingNode):
        return
    keys = known_keys()
    for knode, vnode in node.value:
        key = str(knode.value)
        where = f"{path}:{knode.start_mark.line + 1}:{knode.start_mark.column + 1}"
        if key not in keys:
            raise ValueError(f"{where}: unknown key {key[:60]!r} in a language file"
                             + yamlfile.did_you_mean(key, keys))
        want = keys[key]
        kind = {yaml.MappingNode: "mapping", yaml.SequenceNode: "sequence"}.get(type(vnode), "scalar")
        null = isinstance(vnode, yaml.ScalarNode) and vnode.tag.endswith(":null")
        if kind != _NODE_TYPES[want] and not null:
            raise ValueError(f"{where}: {key!r} must be a {want}, not a {kind}")
        if want == "bool" and not vnode.tag.endswith(":bool"):
            raise ValueError(f"{where}: {key!r} must be true or false, not {str(vnode.value)[:40]!r}")


def _babel_names(code: str) -> tuple[dict[str, int], dict[str, int], list[str], str, list[str], list[str]]:
    """CLDR's month and weekday names (every width and context), its number symbols, and the wide
    (unabbreviated) month and weekday names, which alone stand for a date outside a full date."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = Locale.parse(code)
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    wide_months: set[str] = set()
    wide_days: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for num, name in get_month_names(width, context=context, locale=locale).items():
                name = name.lower()
                months[name] = num
                months[name.rstrip(".")] = num
                if width == "wide":
                    wide_months.add(name)
            for num, name in get_day_names(width, context=context, locale=locale).items():
                name = name.lower()
                weekdays[name] = num
                weekdays[name.rstrip(".")] = num
                if width == "wide":
                    wide_days.add(name)
    return (months, weekdays, [get_group_symbol(locale)], get_decimal_symbol(locale), sorted(wide_months),
            sorted(wide_days))


def _cache_path(code: str) -> Path:
    """Where a language's data and Babel's names persist between runs (where units.py keeps its conversions)."""
    base = os.environ.get("PALMYRA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "datasette-palmyra" / f"language-{code}.marshal"


def _stamp(code: str) -> tuple:
    """What the cached language was read from: every data file (path, mtime, size) in the order read,
    and Babel's package (its version and CLDR data come with it). A change to any gives another stamp."""
    import importlib.util

    keys = BUILTIN_DIR / "keys.yml"  # what the files were checked against when they were read
    files = [(str(keys), keys.stat().st_mtime_ns, keys.stat().st_size)] if keys.exists() else []
    for d in reversed(language_dirs()):
        folder = d / code
        if folder.is_dir():
            for path in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
                st = path.stat()
                files.append((str(path), st.st_mtime_ns, st.st_size))
    spec = importlib.util.find_spec("babel")
    origin = spec.origin if spec and spec.origin else ""
    st = os.stat(origin) if origin else None
    return (tuple(files), origin, st.st_mtime_ns if st else 0, st.st_size if st else 0)


def _sources(code: str) -> tuple[dict[str, Any], tuple[dict[str, int], dict[str, int], list[str], str]]:
    """The language's merged data files and Babel's names for it, from a cache on disk when nothing they
    come from has changed: reading YAML and asking Babel were 30 ms of every ``palmyra extract``
    (issue 13, cold start). Best effort: an unreadable or stale cache is read again from the sources."""
    path, stamp = _cache_path(code), None
    try:
        stamp = _stamp(code)
        cached_stamp, payload = marshal.loads(path.read_bytes())
        if cached_stamp == stamp:
            data, names = payload
            if len(names) == 6:  # a cache from before the wide names were kept is read again
                return data, names
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = _read_language_data(code)  # raises ValueError for an unknown language or a bad file: not cached
    names = _babel_names(code)
    if stamp and len(stamp[0]) > 1:
        try:
            blob = marshal.dumps((stamp, (data, names)))
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as f:
                f.write(blob)
            os.replace(f.name, path)
        except (OSError, ValueError):  # a read-only home, or YAML values marshal cannot hold (dates)
            pass
    return data, names


@functools.cache
def load_language(code: str) -> Language:
    data, (months, weekdays, groups, decimal, wide_months, wide_days) = _sources(code)
    # inflected month forms (Russian "в марте") come from the data file as extra endings on a stem
    for extra, num in (data.get("extra_month_names") or {}).items():
        months[str(extra).lower()] = int(num)
    for extra, num in (data.get("extra_weekday_names") or {}).items():
        weekdays[str(extra).lower()] = int(num)
    if groups[0] in ("\u00a0", "\u202f"):  # where CLDR groups with a space, any space will do in print
        groups += ["\u00a0", "\u202f", " "]
    for sep in data.get("group_separators") or []:
        groups.append(sep)
    groups = list(dict.fromkeys(groups))
    return Language(code, data, months, weekdays, groups, decimal, set(wide_months), set(wide_days))


@functools.lru_cache(maxsize=256)
def words_of(code: str, key: str) -> tuple[str, ...]:
    """A language's word list ``key``, or none for a language without data files: what the grouping
    asks of a claim's language, which may be one the project does not ship."""
    try:
        return tuple(load_language(code).words(key))
    except ValueError:
        return ()
