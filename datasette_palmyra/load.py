"""Loading articles: files and manifests in, rows of ``articles`` and ``claims`` out.

Reading (``read_articles``) is kept apart from writing (``load_paths``) so that extraction can run
in worker processes while one process writes. A load is one transaction: it either lands whole or
leaves the database as it was, and re-loading unchanged content changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from . import store
from .dates import parse_published
from .extract import extract_claims
from .language import available_languages, load_language

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
MANIFEST_NAMES = ("manifest.yml", "manifest.yaml", "manifest.csv")
MANIFEST_KEYS = {"path", "id", "source", "published", "language", "title", "url"}
MAX_BYTES = 20 * 1024 * 1024


class LoadError(Exception):
    """One input problem, already phrased as ``file:line: what is wrong``."""


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


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # new or changed articles
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    claims: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.loaded)} articles loaded, {len(self.unchanged)} unchanged, "
            f"{self.claims} claims, {len(self.errors)} errors"
        )


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


def decode(raw: bytes, path: Path) -> str:
    if b"\x00" in raw[:4096]:
        raise LoadError(f"{path}: binary file, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        # legacy newsroom encodings: Cyrillic cp1251 or Western latin-1, picked by what reads as letters
        for enc in ("cp1251", "latin-1"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if enc == "cp1251" and sum("а" <= ch.lower() <= "я" for ch in text) < len(text) * 0.2:
                continue
            return text
        raise LoadError(f"{path}: not UTF-8 (byte {e.start}) and no legacy encoding fits") from None


def read_file(path: Path) -> list[ArticleInput]:
    """The articles in one file (JSON and JSONL files may hold many)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise LoadError(f"{path}: {len(raw)} bytes is over the {MAX_BYTES}-byte limit for one article file")
    text = decode(raw, path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise LoadError(f"{path}:{e.lineno}: not valid JSON: {e.msg}") from None
        items = data if isinstance(data, list) else [data]
        return [_from_json(item, path, None, i) for i, item in enumerate(items)]
    if suffix in JSONL_SUFFIXES:
        out = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                raise LoadError(f"{path}:{lineno}: not valid JSON: {e.msg}") from None
            out.append(_from_json(item, path, lineno, lineno - 1))
        return out
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
                loaded = yaml.safe_load(fm.group(1)) or {}
            except yaml.YAMLError as e:
                raise LoadError(f"{path}:2: front matter is not valid YAML: {e}") from None
            if isinstance(loaded, dict):
                meta = {k: str(v) for k, v in loaded.items() if v is not None}
            text = text[fm.end():]
    body = clean_text(text)
    if not body.strip():
        raise LoadError(f"{path}: empty article (no text)")
    return [ArticleInput(id=path.stem, body=body, path=str(path), **{k: v for k, v in meta.items()
                                                                      if k in ("source", "published", "language", "title", "url") and v})]


def _from_json(item: Any, path: Path, lineno: int | None, index: int) -> ArticleInput:
    where = f"{path}:{lineno}" if lineno else f"{path}"
    if not isinstance(item, dict):
        raise LoadError(f"{where}: article {index + 1} is a {type(item).__name__}, not an object with a body")
    body = item.get("body") or item.get("text") or item.get("content")
    if not isinstance(body, str) or not body.strip():
        raise LoadError(f"{where}: article {index + 1} has no 'body' or 'text' string")
    if item.get("html") or (body.lstrip().startswith("<") and re.search(r"</\w+>", body)):
        body, _ = html_to_text(body)
    aid = item.get("id") or f"{path.stem}-{index + 1}"
    return ArticleInput(
        id=str(aid), body=clean_text(body), source=item.get("source"), published=_opt(item.get("published") or item.get("date")),
        language=item.get("language") or item.get("lang"), title=item.get("title"), url=item.get("url"),
        path=str(path),
    )


def _opt(v: Any) -> str | None:
    return None if v in (None, "") else str(v)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and child.name not in MANIFEST_NAMES:
                    yield child
        elif p.exists():
            yield p
        else:
            raise LoadError(f"{p}: no such file or folder")


# -- manifests -------------------------------------------------------------------------------

class _NoDatesLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: a date stays the string written, so 2016-02-30 can be reported."""


_NoDatesLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
        for lineno, row in enumerate(csv.DictReader(text.splitlines()), 2):
            entries.append((lineno, {k.strip(): (v or "").strip() or None for k, v in row.items() if k}))
    else:
        try:
            node = yaml.compose(text, Loader=_NoDatesLoader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            raise LoadError(f"{path}{line}: not valid YAML: {getattr(e, 'problem', e)}") from None
        data = yaml.load(text, Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
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
            errors.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(MANIFEST_KEYS))})")
        if not item.get("path"):
            errors.append(f"{where}: entry has no 'path'")
            continue
        file = (base / str(item["path"])).resolve()
        if not file.exists():
            errors.append(f"{where}: file {item['path']} does not exist")
        if item.get("published") is not None:
            try:
                parse_published(str(item["published"]))
            except ValueError as e:
                errors.append(f"{where}: published {item['published']!r}: {e}")
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


def find_manifest(paths: Iterable[str | Path]) -> Path | None:
    """A folder given to load may carry its own manifest.yml."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for name in MANIFEST_NAMES:
                if (p / name).exists():
                    return p / name
    return None


# -- metadata a text gives itself --------------------------------------------------------------

_DATELINE = re.compile(
    r"^[A-ZÆØÅА-Я][A-ZÆØÅА-Я .'\-]{2,40},\s+(?P<md>[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\.?\s*/?\s*/?(?P<src>[A-Z][A-Za-z]+)?/?",
    re.MULTILINE,
)


def guess_language(text: str) -> str:
    """en, nb or ru (or any language with data files) by which stop words the text uses most."""
    sample = text[:5000].lower()
    cyr = sum("а" <= ch <= "я" for ch in sample)
    if cyr > len(sample) * 0.2:
        return "ru"
    words = re.findall(r"[a-zæøå]+", sample)
    best, best_score = "en", -1.0
    for code in available_languages():
        try:
            stop = set(load_language(code).words("stopwords"))
        except ValueError:
            continue
        score = sum(1 for w in words if w in stop) / (len(words) or 1)
        if score > best_score:
            best, best_score = code, score
    return best


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
        dm = _DATELINE.search(body)
        if dm and dm.group("src"):
            article.source = dm.group("src")
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
    """Extraction for one article, as plain dicts (picklable across worker processes)."""
    claims = extract_claims(article.body, article.language or "en", article.published)
    return [c.to_dict() for c in claims]


def _extract_pair(article: ArticleInput) -> tuple[ArticleInput, list[dict[str, Any]]]:
    return article, extract_for(article)


# -- the load ----------------------------------------------------------------------------------

def gather(paths: Iterable[str | Path], manifest: str | Path | None, report: LoadReport, strict: bool) -> list[ArticleInput]:
    paths = list(paths)
    manifest = manifest or find_manifest(paths)
    entries = read_manifest(manifest) if manifest else {}
    articles: list[ArticleInput] = []
    seen: dict[str, str] = {}
    for file in iter_files(paths):
        try:
            found = read_file(file)
        except LoadError as e:
            if strict:
                raise
            report.errors.append(str(e))
            continue
        entry = entries.get(file.resolve(), {})
        for a in found:
            if entry and len(found) == 1:
                for key in ("id", "source", "published", "language", "title", "url"):
                    if entry.get(key):
                        setattr(a, key, entry[key])
                if entry.get("published"):
                    a.published_basis = "manifest"
            try:
                a = complete(a)
                if a.published:
                    parse_published(a.published)
                if a.language not in available_languages():
                    raise LoadError(f"{file}: language {a.language!r} has no data files")
            except (ValueError, LoadError) as e:
                msg = str(e) if isinstance(e, LoadError) else f"{file}: published {a.published!r}: {e}"
                if strict:
                    raise LoadError(msg) from None
                report.errors.append(msg)
                continue
            if a.id in seen:
                msg = f"{file}: article id {a.id!r} already used by {seen[a.id]}"
                if strict:
                    raise LoadError(msg)
                report.errors.append(msg)
                continue
            seen[a.id] = str(file)
            articles.append(a)
    return articles


def load_paths(
    db_path: str | Path,
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    strict: bool = False,
    jobs: int = 1,
    progress: bool = False,
) -> LoadReport:
    """Load article files into ``db_path`` in one transaction; unchanged articles are left alone."""
    report = LoadReport()
    articles = gather(paths, manifest, report, strict)
    db = store.open_db(db_path)
    try:
        store.ensure_schema(db)
        known = {r["id"]: r["content_hash"] for r in db.query("select id, content_hash from articles")}
        todo = []
        for a in articles:
            if known.get(a.id) == content_hash(a):
                report.unchanged.append(a.id)
            else:
                todo.append(a)
        results = _extract_all(todo, jobs, progress)
        with db.atomic():
            for article, claims in results:
                report.claims += store.replace_article(db, article_row(article), claims)
                report.loaded.append(article.id)
    finally:
        db.close()
    return report


def _extract_all(articles: list[ArticleInput], jobs: int, progress: bool):
    bar = _progress(len(articles)) if progress else None
    if jobs > 1 and len(articles) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            out = []
            for pair in pool.map(_extract_pair, articles, chunksize=max(1, min(64, len(articles) // (jobs * 8) or 1))):
                out.append(pair)
                if bar:
                    bar.update(1)
    else:
        out = []
        for a in articles:
            out.append(_extract_pair(a))
            if bar:
                bar.update(1)
    if bar:
        bar.render_finish()
    return out


def _progress(total: int):
    """click's progress bar, only on a terminal."""
    if not sys.stderr.isatty() or total < 50:
        return None
    import click

    bar = click.progressbar(length=total, label="extracting", file=sys.stderr)
    bar.render_progress()
    return bar
