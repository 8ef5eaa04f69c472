"""Loading articles: files and manifests in, rows of ``articles`` and ``claims`` out.

Reading (``read_articles``) is kept apart from writing (``load_paths``) so that extraction can run
in worker processes while one process writes. A load is one transaction: it either lands whole or
leaves the database as it was, and re-loading unchanged content changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import html
import io
import itertools
import json
import math
import os
import re
import sqlite3
import stat
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from . import store, yamlfile
from .children import die_with_parent
from .extract import extract_claims
from .extract.dates import parse_published
from .language import available_languages
from .signature import sign_claims
from .store import places as placed
from .textfile import MAX_BYTES, LoadError, _looks_binary, decode_text, guess_language  # noqa: F401 (the load's API)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
MANIFEST_NAMES = ("manifest.yml", "manifest.yaml", "manifest.csv")
MANIFEST_KEYS = {"path", "id", "source", "published", "language", "title", "url"}


@dataclass
class ArticleInput:
    id: str
    body: str
    source: str | None = None
    published: str | None = None
    language: str | None = None
    title: str | None = None
    url: str | None = None
    path: str | None = None
    published_basis: str | None = None
    size: int = 0  # bytes of input it came from: the progress bar counts these
    encoding: str = "utf-8"  # the encoding the file was read in
    guessed_language: bool = False  # the language was guessed from the text, not given


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # new or changed articles
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    claims: int = 0
    warnings: list[str] = field(default_factory=list)  # loaded, but something was guessed or left out
    # what the rules will miss: articles read with no outlet or no publication date, and languages guessed
    no_source: int = 0
    no_date: int = 0
    guessed: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        guessed = ", ".join(f"{n} {lang}" for lang, n in sorted(self.guessed.items()))
        return (
            f"{len(self.loaded)} articles loaded, {len(self.unchanged)} unchanged, "
            f"{self.claims} claims, {len(self.errors)} errors"
            + (f", {len(self.warnings)} warnings" if self.warnings else "")
            + (f"; language guessed for {sum(self.guessed.values())} ({guessed})" if guessed else "")
        )

    def missing_note(self) -> str | None:
        """One note for the whole load, with counts, instead of silence or a line per article (kept apart
        from ``warnings``, which are about files)."""
        parts = [f"{n} article{'s' if n != 1 else ''} with no {what}"
                 for n, what in ((self.no_source, "outlet"), (self.no_date, "publication date")) if n]
        if not parts:
            return None
        return (f"{' and '.join(parts)}: the rules compare sources and dates, so these are compared with little "
                "or nothing; give a manifest (--manifest, or manifest.yml in the folder) with source and published")


# -- reading files ---------------------------------------------------------------------------

class _TextFromHTML(HTMLParser):
    """HTML to plain text: scripts, styles and page furniture (nav, header, footer, aside) dropped."""

    SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
             "blockquote", "pre", "figcaption", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: str | None = None
        self._in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key and a.get("content"):
                self.meta[key] = a["content"]
        elif tag == "html" and a.get("lang"):
            self.meta["lang"] = a["lang"]
        if tag in self.BLOCK and not self.skip:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCK and not self.skip:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(source: str) -> tuple[str, dict[str, str]]:
    parser = _TextFromHTML()
    parser.feed(source)
    parser.close()
    meta = dict(parser.meta)
    if parser.title:
        meta.setdefault("title", html.unescape(parser.title).strip())
    return parser.text(), meta


_JUNK_TOKEN = re.compile(r"^(?:icon|bicon)", re.IGNORECASE)


def is_junk_line(line: str) -> bool:
    """Site furniture such as 'icon bookmark-bicon bookmarkicon camera…': most words are icon names."""
    words = line.split()
    if len(words) < 6:
        return False
    iconish = sum(1 for w in words if "icon" in w.lower())
    return iconish / len(words) > 0.3


def clean_text(text: str) -> str:
    """The body we store and extract from: junk lines out, line ends normalized, nothing else touched."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [ln for ln in text.split("\n") if not is_junk_line(ln)]
    return "\n".join(lines).strip("\n")


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_DATE_LINE = re.compile(r"\A\s*date[:\s]+(\d{4}(?:-\d{2}){0,2})\b[ \t]*", re.IGNORECASE)


def _size_error(path: Path, size: int) -> LoadError:
    mb = MAX_BYTES // (1024 * 1024)
    return LoadError(f"{path}: {size / 1024 / 1024:.1f} MB is over the {mb} MB limit for one article file "
                     f"(not loaded; split it, or put many articles in a .jsonl file, read line by line)")


@dataclass(frozen=True)
class LineRange:
    """Part of a JSON lines file: ``count`` lines from line number ``first``, which starts at byte ``start``.
    Lets a distributed extraction (distributed.py) read one file in several partitions with this reader."""

    start: int
    first: int
    count: int


def iter_file(path: Path, lines: LineRange | None = None) -> Iterator[ArticleInput | LoadError]:
    """The articles of one file, streamed: JSON lines one line at a time (no limit on the file, one
    article per line up to MAX_BYTES), other files whole up to MAX_BYTES, refused above it without
    being read. A file-wide problem raises LoadError; a bad line of a .jsonl file is yielded as one.
    ``lines`` (JSON lines files only) reads only that range of lines."""
    try:
        st = path.stat()
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):  # /dev/zero has no end, a FIFO waits for a writer
        raise LoadError(f"{path}: not a regular file (a device, pipe or socket); give a file or a folder")
    size = st.st_size
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _iter_jsonl(path, lines)
        return
    if lines is not None:
        raise ValueError(f"{path}: a line range is for JSON lines files only")
    if size > MAX_BYTES:
        raise _size_error(path, size)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None
    if not raw.strip():
        raise LoadError(f"{path}: empty file")
    text, enc = decode_text(raw, path)
    if suffix in JSON_SUFFIXES:
        data = _json(text, path)
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        items = data if isinstance(data, list) else [data]
        if not items:
            raise LoadError(f"{path}: a JSON list with no articles")
        share = max(1, size // len(items))
        for i, item in enumerate(items):
            a = _from_json(item, path, None, i)
            a.size, a.encoding = share, enc
            yield a
        return
    meta: dict[str, Any] = {}
    if suffix in HTML_SUFFIXES:
        text, meta = html_to_text(text)
        meta = {
            "title": meta.get("og:title") or meta.get("title"),
            "published": (meta.get("article:published_time") or meta.get("date") or "")[:10] or None,
            "source": meta.get("og:site_name"),
            "language": (meta.get("lang") or "")[:2].lower() or None,
            "url": meta.get("og:url"),
        }
    else:
        fm = _FRONT_MATTER.match(text)
        if fm:
            try:
                loaded = yamlfile.load(fm.group(1), dates=False) or {}
            except yamlfile.YamlError as e:
                raise LoadError(f"{path}:{e.line + 1 if e.line else 2}: front matter is not valid YAML: {e.problem}") from None
            if isinstance(loaded, dict):
                meta = {k: str(v) for k, v in loaded.items() if v is not None}
            text = text[fm.end():]
    body = clean_text(text)
    if not body.strip():
        raise LoadError(f"{path}: empty article (no text{' outside scripts and styles' if suffix in HTML_SUFFIXES else ''})")
    keep = {k: v for k, v in meta.items() if k in ("source", "published", "language", "title", "url") and v}
    yield ArticleInput(id=path.stem, body=body, path=str(path), size=size, encoding=enc, **keep)


def _iter_jsonl(path: Path, lines: LineRange | None = None) -> Iterator[ArticleInput | LoadError]:
    try:
        f = path.open("rb")
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        any_line = False
        lineno = 0
        last = math.inf
        if lines is not None:
            f.seek(lines.start)
            lineno, last = lines.first - 1, lines.first - 1 + lines.count
        while lineno < last and (raw := f.readline(MAX_BYTES + 1)):  # a line is read up to the limit, never whole
            lineno += 1
            if lineno == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise LoadError(f"{path}: UTF-16 text (byte-order mark); JSON lines must be UTF-8 "
                                "(iconv -f UTF-16 -t UTF-8 converts it)")
            if not raw.strip():
                continue
            any_line = True
            where = f"{path}:{lineno}"
            if len(raw) > MAX_BYTES:
                _skip_long_line(f)  # the rest of the line, skipped a megabyte at a time
                yield LoadError(f"{where}: line over the {MAX_BYTES // (1024 * 1024)} MB limit for one article")
                continue
            try:
                line = raw.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                if b"\x00" in raw:
                    raise LoadError(f"{where}: binary file, not JSON lines (NUL bytes)") from None
                yield LoadError(f"{where}: not UTF-8 (byte {e.start} of the line); JSON lines must be UTF-8")
                continue
            try:
                item = _json(line, where, lineno)
            except LoadError as e:
                if lineno == 1 and _looks_binary(line):
                    raise LoadError(f"{where}: binary file, not JSON lines") from None
                yield e
                continue
            try:
                a = _from_json(item, path, lineno, lineno - 1)
            except LoadError as e:
                yield e
                continue
            a.size = len(raw)
            yield a
        if not any_line and lines is None:
            raise LoadError(f"{path}: empty file")


def _skip_long_line(f) -> None:
    while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
        pass


def jsonl_ranges(path: Path, per_range: int) -> tuple[int, list[LineRange] | None]:
    """The number of articles (non-blank lines) of a JSON lines file, and line ranges of ``per_range``
    articles each over it, counted exactly as ``_iter_jsonl`` counts lines (blank lines belong to the range
    they fall in, an over-long line is one line), or None for the ranges when the file must be read whole
    to read as it does: it has at most ``per_range`` articles, or it has a file-wide problem that stops
    the whole file at once (a UTF-16 mark, NUL bytes, a first line that is not JSON). Reads the file
    once, line by line, without keeping it."""
    ranges: list[LineRange] = []
    try:
        f = path.open("rb")
    except OSError:
        return 1, None  # the reader reports it
    with f:
        lineno, items, start, first = 0, 0, 0, 1
        while True:
            at = f.tell()
            raw = f.readline(MAX_BYTES + 1)
            if not raw:
                break
            lineno += 1
            if lineno == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    return 1, None
                if raw.strip():
                    try:
                        json.loads(raw)
                    except (ValueError, RecursionError):
                        return 1, None
            if b"\x00" in raw:
                return 1, None
            if len(raw) > MAX_BYTES:
                _skip_long_line(f)
            if not raw.strip():
                continue
            if items and items % per_range == 0:
                ranges.append(LineRange(start, first, lineno - first))
                start, first = at, lineno
            items += 1
        if items <= per_range:
            return items, None
        ranges.append(LineRange(start, first, lineno - first + 1))
    return items, ranges


def _json(text: str, where: Any, lineno: int | None = None) -> Any:
    """The value of a JSON text, or a LoadError naming the line: bad syntax, nesting deeper than Python
    can read, an integer too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        line = "" if lineno else f":{e.lineno}"
        column = f" (column {e.colno})" if lineno else ""
        raise LoadError(f"{where}{line}: not valid JSON: {e.msg}{column}") from None
    except RecursionError:
        raise LoadError(f"{where}: not readable JSON: nested too deeply") from None
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise LoadError(f"{where}: not readable JSON: {str(e).split(':')[0]}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _from_json(item: Any, path: Path, lineno: int | None, index: int) -> ArticleInput:
    where = f"{path}:{lineno}" if lineno else f"{path}"
    if not isinstance(item, dict):
        raise LoadError(f"{where}: article {index + 1} is {_type_name(item)}, not an object with a 'body'")
    body = item.get("body") or item.get("text") or item.get("content")
    if not isinstance(body, str) or not body.strip():
        raise LoadError(f"{where}: article {index + 1} has no 'body' or 'text' string")
    for key in ("id", "source", "published", "date", "language", "lang", "title", "url"):
        v = item.get(key)
        if v is not None and (not isinstance(v, (str, int)) or isinstance(v, bool)):
            raise LoadError(f"{where}: article {index + 1}: {key!r} must be a string, not {_type_name(v)}")
    for key in ("body", "text", "content", "id", "source", "published", "date", "language", "lang", "title", "url"):
        v = item.get(key)
        bad = _SURROGATE.search(v) if isinstance(v, str) else None
        if bad:  # "\ud800" alone: JSON can write it, no UTF-8 text can hold it
            raise LoadError(f"{where}: article {index + 1}: {key!r} holds a lone surrogate "
                            f"(\\u{ord(bad.group(0)):04x} at character {bad.start()}), which is not text")
    if item.get("html") or (body.lstrip().startswith("<") and re.search(r"</\w+>", body)):
        body, _ = html_to_text(body)
    body = clean_text(body)
    if not body.strip():
        raise LoadError(f"{where}: article {index + 1} has no text outside HTML scripts and styles")
    aid = item.get("id") if item.get("id") not in (None, "") else f"{path.stem}-{index + 1}"
    return ArticleInput(
        id=str(aid), body=body, source=_opt(item.get("source")),
        published=_opt(item.get("published") or item.get("date")),
        language=_opt(item.get("language") or item.get("lang")), title=_opt(item.get("title")),
        url=_opt(item.get("url")), path=str(path),
    )


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def _opt(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """The article files named or under the folders named; a folder's problems (a link to nothing,
    nothing loadable at all) come as LoadErrors in their place, a missing path is raised."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = False
            for child in sorted(p.rglob("*")):
                if child.suffix.lower() not in SUFFIXES or child.name in MANIFEST_NAMES:
                    continue
                if child.is_symlink() and not child.exists():
                    yield LoadError(f"{child}: a link to {os.readlink(child)}, which does not exist")
                elif child.is_file():
                    found = True
                    yield child
            if not found:
                yield LoadError(f"{p}: folder with no article files ({', '.join(sorted(SUFFIXES))})")
        elif p.exists():
            yield p
        elif p.is_symlink():
            raise LoadError(f"{p}: a link to {os.readlink(p)}, which does not exist")
        else:
            raise LoadError(f"{p}: no such file or folder")


# -- manifests -------------------------------------------------------------------------------

def read_manifest(path: str | Path) -> dict[Path, dict[str, Any]]:
    """Manifest entries by resolved file path; every problem is reported with its line."""
    path = Path(path)
    base = path.parent
    errors: list[str] = []
    entries: list[tuple[int, dict[str, Any]]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError(f"{path}: cannot read manifest: {e}") from None
    if path.suffix.lower() == ".csv":
        entries = _csv_entries(path, text)
    else:
        try:
            node = yamlfile.compose(text, dates=False)
            data = yamlfile.construct(node, dates=False)
        except yamlfile.YamlError as e:
            line = f":{e.line}" if e.line else ""
            raise LoadError(f"{path}{line}: not valid YAML: {e.problem}") from None
        items = data.get("articles") if isinstance(data, dict) else data
        item_nodes = node.value if isinstance(node, yaml.SequenceNode) else None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "articles" and isinstance(v, yaml.SequenceNode):
                    item_nodes = v.value
        if not isinstance(items, list) or item_nodes is None:
            raise LoadError(f"{path}:1: a manifest is a list of articles (or a mapping with an 'articles' list)")
        for item, n in zip(items, item_nodes, strict=False):
            entries.append((n.start_mark.line + 1, item))
    out: dict[Path, dict[str, Any]] = {}
    ids: dict[str, int] = {}
    for lineno, item in entries:
        where = f"{path}:{lineno}"
        if not isinstance(item, dict):
            errors.append(f"{where}: an entry must be a mapping with at least 'path'")
            continue
        unknown = set(item) - MANIFEST_KEYS
        if unknown:
            errors.append(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (known: {', '.join(sorted(MANIFEST_KEYS))})")
        if not item.get("path"):
            errors.append(f"{where}: entry has no 'path'")
            continue
        file = (base / str(item["path"])).resolve()
        if not file.exists():
            errors.append(f"{where}: file {item['path']} does not exist")
        elif not file.is_file():
            errors.append(f"{where}: {item['path']} is not a file (an entry describes one article file)")
        if item.get("published") is not None:
            problem = published_problem(str(item["published"]))
            if problem:
                errors.append(f"{where}: {problem}")
        if item.get("language") and str(item["language"]) not in available_languages():
            errors.append(f"{where}: language {item['language']!r} has no data files (have: {', '.join(available_languages())})")
        if item.get("id") is not None:
            aid = str(item["id"])
            if aid in ids:
                errors.append(f"{where}: duplicate id {aid!r} (first at line {ids[aid]})")
            ids[aid] = lineno
        out[file] = {k: (None if v is None else str(v)) for k, v in item.items() if k != "path"}
    if errors:
        raise LoadError("\n".join(errors))
    return out


def _csv_entries(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """A CSV manifest's rows with their lines: a header naming 'path' first, every quote closed."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # strict: a quote left open is an error
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as e:
        raise LoadError(f"{path}:1: not valid CSV: {e}") from None
    if "path" not in header:
        raise LoadError(f"{path}:1: a CSV manifest starts with a header row naming its columns, 'path' among them "
                        f"(got {', '.join(map(repr, header[:4])) or 'nothing'})")
    out: list[tuple[int, dict[str, Any]]] = []
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error as e:  # a quote never closed, a field over the csv module's limit (128 KB)
            raise LoadError(f"{path}:{lineno}: not valid CSV: {e}") from None
        if not any(v.strip() for v in row):
            continue
        if len(row) > len(header):
            raise LoadError(f"{path}:{lineno}: {len(row)} fields, the header names {len(header)}")
        out.append((lineno, {k: v.strip() or None for k, v in zip(header, row, strict=False) if k}))


def find_manifests(paths: Iterable[str | Path]) -> list[Path]:
    """Each folder given to load may carry its own manifest.yml: all of them apply (each names the
    files of its own folder), so two story folders loaded together both keep their outlets and dates."""
    found = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for name in MANIFEST_NAMES:
                if (p / name).exists():
                    found.append(p / name)
                    break
    return found


def manifest_entries(manifest: str | Path | None, paths: Iterable[str | Path]) -> dict:
    """The manifest entries by resolved file: the one manifest given, else every folder's own."""
    entries: dict = {}
    for m in [manifest] if manifest else find_manifests(paths):
        entries.update(read_manifest(m))
    return entries


# -- metadata a text gives itself --------------------------------------------------------------

# "MOSCOW, December 12. /TASS/.": a place in capitals, a month and day, the agency; letters of any script
# (the case checks are in _dateline_source)
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_](?:[^\W\d_]|[ .'\-]){2,40}),\s+(?P<md>(?P<mw>[^\W\d_]+)\.?\s+\d{1,2}|\d{1,2}\s+"
    r"(?P<mw2>[^\W\d_]+))\.?\s*/?\s*/?(?P<src>[^\W\d_]+)?/?",
    re.MULTILINE,
)


def _dateline_source(body: str) -> str | None:
    """The agency of the first date line: the place all capitals, the month capitalised, the agency
    starting with a capital."""
    for dm in _DATELINE.finditer(body):
        month = dm.group("mw") or dm.group("mw2")
        if not (dm.group("place").isupper() and month[0].isupper() and month[1:].islower()):
            continue
        src = dm.group("src")
        return src if src and src[0].isupper() and len(src) > 1 else None
    return None


def complete(article: ArticleInput) -> ArticleInput:
    """Fill what the manifest and the file did not say: title, date line, source line, language."""
    body = article.body
    m = _DATE_LINE.match(body)
    if m:
        article.published = article.published or m.group(1)
        article.published_basis = article.published_basis or "date line at the top of the text"
        body = body[m.end():]
        article.body = body
    if not article.language:
        article.language = guess_language(body)
    if not article.title:
        first = next((ln.strip() for ln in body.split("\n") if ln.strip() and ln.strip().lower() != "all news"), "")
        article.title = first[:200]
    if not article.source:
        src = _dateline_source(body)
        if src:
            article.source = src
    return article


def content_hash(article: ArticleInput) -> str:
    h = hashlib.sha256()
    for part in (article.body, article.source, article.published, article.language, article.title, article.url):
        h.update((part or "").encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def article_row(article: ArticleInput) -> dict[str, Any]:
    pub = parse_published(article.published) if article.published else None
    return {
        "id": article.id,
        "source": article.source,
        "published": article.published,
        "published_low": pub.low.isoformat() if pub else None,
        "published_high": pub.high.isoformat() if pub else None,
        "published_basis": article.published_basis or ("manifest" if article.published else None),
        "language": article.language,
        "title": article.title,
        "url": article.url,
        "path": article.path,
        "body": article.body,
        "content_hash": content_hash(article),
    }


def extract_for(article: ArticleInput) -> list[dict[str, Any]]:
    """Extraction for one article, as plain dicts (picklable across worker processes), each with its
    signature: what the grouping needs from the text is read here, in the load's workers."""
    claims = [_claim_dict(c) for c in extract_claims(article.body, article.language or "en", article.published)]
    sign_claims(article.body, claims, article.language or "en")
    return claims


def _claim_dict(c: Any) -> dict[str, Any]:
    """``Claim.to_dict`` without ``dataclasses.asdict``'s deep copy (a third of extraction time at scale)."""
    d = dict(vars(c))
    if not d.get("extra"):
        d.pop("extra", None)
    return d


# -- the load ----------------------------------------------------------------------------------

def published_problem(published: str, today: dt.date | None = None) -> str | None:
    """Why a publication date cannot be used, or None. A date in the future is refused rather than
    warned about: relative dates ("last Friday") would resolve against it and the order rules would
    compare events with it, so one typo (2061 for 2016) would make wrong flags look right. One day of
    slack covers time zones."""
    try:
        pub = parse_published(published)
    except ValueError as e:
        return f"published {published!r}: {e}"
    today = today or dt.date.today()
    if pub.low > today + dt.timedelta(days=1):
        return f"published {published!r} is in the future (today is {today.isoformat()})"
    return None


def _apply_manifest(a: ArticleInput, entry: dict[str, Any]) -> None:
    for key in ("id", "source", "published", "language", "title", "url"):
        if entry.get(key):
            setattr(a, key, entry[key])
    if entry.get("published"):
        a.published_basis = "manifest"


def iter_articles(
    paths: Iterable[str | Path], manifest: str | Path | None, report: LoadReport, strict: bool
) -> Iterator[ArticleInput]:
    """Every loadable article, streamed file by file and line by line, completed and validated.

    Problems go to ``report.errors`` (the article or file is skipped) or, under ``strict``, raise
    LoadError. Only ids (for duplicates) are kept across the whole load, never bodies.
    """
    paths = list(paths)
    entries = manifest_entries(manifest, paths)
    languages = set(available_languages())
    seen: dict[str, str] = {}

    def problem(msg: str) -> None:
        if strict:
            raise LoadError(msg)
        report.errors.append(msg)

    for file in iter_files(paths):
        if isinstance(file, LoadError):
            problem(str(file))
            continue
        for a, where in file_articles(file, entries.get(file.resolve(), {}), languages, problem):
            if admit(a.id, where, str(file), a.encoding, seen, problem, report):
                report.no_source += not a.source
                report.no_date += not a.published
                if a.guessed_language:
                    report.guessed[a.language] = report.guessed.get(a.language, 0) + 1
                yield a


def file_articles(
    file: Path, entry: dict[str, Any], languages: set[str], problem, lines: LineRange | None = None
) -> Iterator[tuple[ArticleInput, str]]:
    """The articles of one file (or of ``lines`` of it) with the place to name in messages, completed and
    checked: everything but the duplicate-id check, which spans files (``admit``). Kept apart so that a
    distributed extraction reads a file, or a line range of one, on a worker exactly as a load does."""
    try:
        found = iter_file(file, lines)
        first = next(found, None)
        second = next(found, None) if first is not None else None
    except LoadError as e:
        problem(str(e))
        return
    single = first is not None and second is None and lines is None  # a range is of a file of many
    stream = (x for x in (first, second) if x is not None)
    try:
        for a in itertools.chain(stream, found):
            if isinstance(a, LoadError):
                problem(str(a))
                continue
            if entry and single:
                _apply_manifest(a, entry)
            stated_language = bool(a.language)
            a = complete(a)
            a.guessed_language = not stated_language
            where = f"{file}:{a.id}" if not single else str(file)
            if a.published:
                msg = published_problem(a.published)
                if msg:
                    problem(f"{where}: {msg}")
                    continue
            if a.language not in languages:
                problem(f"{where}: language {a.language!r} has no data files (have: {', '.join(sorted(languages))})")
                continue
            yield a, where
    except LoadError as e:  # a file-wide problem found part way (a binary .jsonl)
        problem(str(e))


def admit(aid: str, where: str, file: str, encoding: str, seen: dict[str, str], problem, report: LoadReport) -> bool:
    """Whether an article joins the load: the first of an id wins, later ones are reported (``seen`` maps
    ids to the file that gave them). Shared by the load and ``load --claims`` so both keep the same one."""
    if aid in seen:
        problem(f"{where}: article id {aid!r} already used by {seen[aid]}")
        return False
    if encoding not in ("utf-8", "utf-16"):
        report.warnings.append(f"{file}: not UTF-8; read as {encoding}")
    seen[aid] = file
    return True


BATCH = 256  # articles per batch: extraction in workers and writes both go batch by batch


def load_paths(
    db_path: str | Path,
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    strict: bool = False,
    jobs: int = 1,
    progress: bool = False,
) -> LoadReport:
    """Load article files into ``db_path``; unchanged articles are left alone.

    Articles stream through in batches (read, extract in ``jobs`` processes, write), so memory stays
    bounded whatever the corpus size; all writes are one transaction, so a load that fails or is
    killed leaves the database as it was, and readers (WAL) see the old state until it commits.
    """
    report = LoadReport()
    paths = [Path(p) for p in paths]
    manifest_entries(manifest, paths)  # manifest errors are fatal and found before anything is opened
    files = [f for f in iter_files(paths) if not isinstance(f, LoadError)]
    with open_for_load(db_path) as (db, known):
        bar = _progress(sum(_size(f) for f in files)) if progress else None
        with store.writing(db):
            todo = _unchanged_filter(iter_articles(paths, manifest, report, strict), known, report, bar)
            for article, ((row, values, warnings), names) in _extracted(todo, jobs):
                write_prepared(db, known, report, row, values, warnings, names)
                if bar:
                    bar.update(article.size)
            settle_places(db, report.loaded)
        if bar:
            bar.render_finish()
    return report


@contextmanager
def open_for_load(db_path: str | Path) -> Iterator[tuple[Any, dict[str, str]]]:
    """The database opened for a load, its schema made, and the content hash of every article already
    in it. Database problems become one-line LoadErrors; a first load that fails removes the file it
    created, so a refused load leaves no empty database behind. Shared with ``load --claims``."""
    created = not Path(db_path).exists()
    failed = True
    try:
        db = store.open_db(db_path)
    except (sqlite3.Error, OSError) as e:
        raise LoadError(store.database_problem(db_path, e)) from None
    try:
        with store.writing(db):  # the schema in a transaction of its own: a kill never leaves half of it
            store.check_ours(db)
            store.ensure_schema(db)
        yield db, _known_hashes(db)
        failed = False
    except store.NotOurs as e:
        raise LoadError(f"{db_path}: {e}") from None
    except sqlite3.Error as e:
        raise LoadError(store.database_problem(db_path, e)) from None
    except OSError as e:
        if e.errno != errno.ENOSPC:
            raise
        raise LoadError(store.database_problem(db_path, e)) from None
    finally:
        db.close()
        if failed and created:
            store.remove_db(db_path)


def write_prepared(db, known: dict[str, str], report: LoadReport, row: dict[str, Any], values: list[list[Any]],
                   warnings: list[str], names: list[tuple] | None = None) -> None:
    """Write one article's prepared rows (``prepare``) and count them: the one write of a load, whether
    the rows were made here or by a distributed extraction. ``names``: the article's place names
    (``names_of``), found here when the extraction did not (a distributed one)."""
    if names is None:
        names = names_of(row.get("body") or "", row.get("language") or "en")
    report.warnings += warnings
    report.claims += store.write_article(db, row, values, new=row["id"] not in known)
    store.write_place_names(db, row["id"], names)
    report.loaded.append(row["id"])


def names_of(body: str, lang: str) -> list[tuple]:
    """The rows of ``place_names`` for one article (``Gazetteer.names_seen``)."""
    from .places import gazetteer

    return gazetteer().names_seen(body, lang)


def settle_places(db, loaded: Iterable[str]) -> None:
    """The corpus-level places, once the load's articles are written (in its transaction): names the
    gazetteer lacks that stand right after a place preposition in two or more articles become places,
    and the country most articles name settles names several places share where an article names no
    country. Both are stored (``corpus_places``) and the signatures of the claims they change are
    written again, so the claims table shows them. Only articles that name a changed name (found by
    the ``place_names`` index), or this load's own, are read: a re-run that changes nothing writes nothing."""
    from .places import FOUND_IN_ARTICLES, Place, gazetteer, slug
    from .signature import resign_places

    top = placed.most_named_country(db)
    country = top[0] if top else ""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for key, n, name in placed.names_after_prepositions(db):
        counts[key], names[key] = n, name
    for key in [k for k in counts if k.endswith("s") and k[:-1] in counts]:
        # "Tham Luangs" (a Norwegian genitive) is "Tham Luang": the articles of both count once
        counts[key[:-1]] = placed.articles_naming_after_prepositions(db, (key, key[:-1]))
        del counts[key]
    g = gazetteer()
    new: dict[str, tuple] = {"": ("", country, country, country, top[1] if top else 0)} if country else {}
    taken: set[str] | None = None
    for key, n in sorted(counts.items()):
        if n >= FOUND_IN_ARTICLES:
            if taken is None:
                taken = {p.id for p in g.names.values()}
            pid = slug(names[key])
            pid = pid if pid.isascii() and " " not in pid else "-".join(key.split())  # "малый-кедровка"
            pid = pid if pid not in taken else f"{pid}-found"
            new[key] = (key, pid, names[key], country, n)
    old = {r[0]: tuple(r) for r in placed.corpus_place_rows(db) or ()}
    if old == new and not loaded:
        return
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    found_keys = {k for k in new if k}
    loaded = set(loaded)
    # the articles whose signatures may change: those naming a changed name (every found one when the
    # country changed: it is their country), and this load's own that name a found one; by the index
    keys = sorted(found_keys | changed if "" in changed else changed - {""})
    keys += [k + "s" for k in keys]
    todo = placed.articles_naming(db, keys)
    wanted = found_keys | {k + "s" for k in found_keys}
    for aid in loaded - todo:
        if any(k in wanted for k in placed.names_of_article(db, aid)):
            todo.add(aid)
    if "" in changed:
        todo |= placed.articles_naming_shared(db)
    elif country:
        todo |= placed.articles_naming_shared(db) & loaded
    placed.replace_corpus_places(db, [(k, *v[1:]) for k, v in sorted(new.items())])
    if not todo:
        return
    found = {k: Place(v[1], v[2], v[3]) for k, v in new.items() if k}
    gaz = g.with_found(found)
    for aid in sorted(todo):
        got = placed.article_text(db, aid)
        if got is None:
            continue
        body, lang = got
        claims = placed.claims_to_sign(db, aid)
        sigs = resign_places(body or "", claims, lang or "en", gaz, country)
        placed.update_signatures(db, [(s, c["id"]) for c, s in zip(claims, sigs, strict=True) if s != c["signature"]])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _known_hashes(db) -> dict[str, str]:
    return store.content_hashes(db)


def _unchanged_filter(articles: Iterator[ArticleInput], known: dict[str, str], report: LoadReport, bar):
    for a in articles:
        if known.get(a.id) == content_hash(a):
            report.unchanged.append(a.id)
            if bar:
                bar.update(a.size)
        else:
            yield a


Prepared = tuple[dict[str, Any], list[list[Any]], list[str]]  # article row, claim values, warnings


def prepare(article: ArticleInput) -> Prepared:
    """Everything but the write: extraction, the checks on its numbers, the rows. Runs in a worker with
    --jobs, so the one writing process does as little as possible."""
    warnings: list[str] = []
    claims = _finite_claims(article, extract_for(article), warnings)
    return article_row(article), store.claim_values(store.claim_rows(article.id, claims)), warnings


def _prepare_with_names(article: ArticleInput) -> tuple[Prepared, list[tuple]]:
    """``prepare``, and the article's place names for the corpus-level places (``names_of``)."""
    return prepare(article), names_of(article.body, article.language or "en")


def _prepare_batch(batch: list[ArticleInput]) -> list[tuple[Prepared, list[tuple]]]:
    return [_prepare_with_names(a) for a in batch]


def _extracted(articles: Iterator[ArticleInput], jobs: int) -> Iterator[tuple[ArticleInput, tuple[Prepared, list[tuple]]]]:
    """(article, prepared rows) in input order. With jobs > 1, batches go to a process pool with at most
    2 x jobs batches in flight: workers stay busy while this process writes, and memory stays bounded."""
    if jobs <= 1:
        for a in articles:
            yield a, _prepare_with_names(a)
        return
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        while True:
            batch = list(itertools.islice(articles, BATCH))
            if batch:
                pending.append((batch, pool.submit(_prepare_batch, batch)))
            while pending and (len(pending) > 2 * jobs or not batch):
                done, future = pending.popleft()
                yield from zip(done, future.result(), strict=True)
            if not batch:
                return


def _finite_claims(article: ArticleInput, claims: list[dict[str, Any]], warnings: list[str]) -> list[dict[str, Any]]:
    """Claims whose numbers SQLite and the rules can use: a claim with an infinite or NaN bound, or a
    figure too large to hold (no value, no bounds), is left out with a warning; pair links follow."""
    keep: list[int] = []
    for i, c in enumerate(claims):
        numbers = [c.get(k) for k in ("value", "low", "high", "precision")]
        bad = any(isinstance(v, float) and not math.isfinite(v) for v in numbers)
        empty = c.get("kind") != "date" and all(c.get(k) is None for k in ("value", "low", "high"))
        if bad or empty:
            warnings.append(f"{article.path or article.id}: {article.id}: left out {c.get('text', '')[:40]!r} "
                                   f"at {c.get('start')}: number too large to store")
        else:
            keep.append(i)
    if len(keep) == len(claims):
        return claims
    index = {old: new for new, old in enumerate(keep)}
    out = []
    for old in keep:
        c = dict(claims[old])
        if isinstance(c.get("pair"), int):
            c["pair"] = index.get(c["pair"])
            if c["pair"] is None:
                c["pair_role"] = None
        out.append(c)
    return out


def _progress(total: int):
    """click's progress bar over input bytes, only on a terminal."""
    if not sys.stderr.isatty() or total <= 0:
        return None
    import click

    bar = click.progressbar(length=total, label="loading", file=sys.stderr)
    bar.render_progress()
    return bar
