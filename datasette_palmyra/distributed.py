"""Extraction on Dask: ``palmyra extract-corpus`` writes the rows a load would store, ``load --claims`` stores them.

Extraction is most of a load's time and needs nothing but the article, so it can run on any number of
machines; the write stays one transaction on one machine. ``extract_corpus`` reads the input with the
loader's own reader (``load.file_articles``: the same files, manifest, completion and checks) as a
``dask.bag`` with one partition per input file group or JSON-lines line range, computes each article's rows
on the workers with the loader's own ``load.prepare`` (the function ``load._extracted`` runs), and writes one
output file per bag partition. ``load_claims`` then writes those rows with the loader's own
``load.open_for_load``/``admit``/``write_prepared``: same tables, ids, duplicate and unchanged-article rules.

Output: ``DIR/part-NNNNN.jsonl`` and, once every partition is done, ``DIR/index.json``. JSON lines rather
than Parquet: a claim's ``value``, ``low`` and ``high`` are numbers for quantities and ISO text for dates
(SQLite columns without affinity), which Parquet's one type per column would have to cast, and JSON gives
back Python's floats exactly; it also needs no pyarrow on every worker and stays readable with ``head``.
Each partition is a header line (its inputs' fingerprint), one record per article or skipped input, and an
``end`` line with its counts; it is written under a temporary name and renamed (``os.replace``), so a
partition is whole or absent, and a rerun skips the partitions whose fingerprint still matches.

Workers must see the input files and DIR at the same paths (a shared file system); relative paths are
refused on a worker running in another folder. Dask is imported only by ``extract_corpus``: ``load
--claims`` needs nothing beyond the base install.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import load, store
from .language import available_languages
from .load import ArticleInput, LineRange, LoadError, LoadReport

FORMAT = 1  # the version of the partition layout below
INDEX = "index.json"
DEFAULT_PARTITION_SIZE = 1000


class ExtractionFailed(Exception):
    """Extraction raised on a worker: a bug, not bad input; the message names the article."""


@dataclass(frozen=True)
class Piece:
    """One input file, or a line range of a JSON lines file, with its manifest entry."""

    path: str  # as the loader names it (str of the Path it walks to): rows and messages say this
    entry: dict[str, Any]
    lines: LineRange | None = None


@dataclass(frozen=True)
class Partition:
    """What one bag partition reads and the file it writes; ``key`` fingerprints both, for resuming."""

    index: int
    pieces: tuple[Piece, ...]
    cwd: str  # where relative paths were given
    key: str

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}.jsonl"


@dataclass
class ExtractSummary:
    articles: int = 0
    claims: int = 0
    partitions: int = 0
    written: int = 0  # partitions computed in this run (the rest were complete already)
    errors: list[str] = field(default_factory=list)  # inputs skipped, as a load reports them
    error_count: int = 0  # including those of partitions complete from an earlier run
    seconds: float = 0.0

    def line(self) -> str:
        return (f"{self.articles} articles, {self.claims} claims, {self.partitions} partitions "
                f"({self.written} written, {self.partitions - self.written} already complete), "
                f"{self.error_count} errors, {self.seconds:.1f} s")


# -- planning (on the client) ----------------------------------------------------------------------------

def _code_fingerprint() -> str:
    """A digest of the code and data extraction runs on: a partition made by other code is made again."""
    h = hashlib.sha256()
    folders = [Path(__file__).resolve().parent]
    try:
        import datasette_palmyra.rules as rules_pkg

        folders.append(Path(rules_pkg.__file__).resolve().parent)
    except ImportError:  # pragma: no cover - a source checkout without the package-dir mapping
        folders.append(Path(__file__).resolve().parent.parent / "rules")
    for folder in folders:
        for f in sorted(folder.rglob("*")):
            if f.suffix in (".py", ".yml", ".txt") and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(folder)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def plan(paths: list[str | Path], manifest: str | Path | None, partition_size: int) -> tuple[list[Partition], list[str]]:
    """The partitions of the input, in input order, and the folder problems a load would report.

    Files and the manifest are found as ``load_paths`` finds them (its errors are fatal here as there);
    a JSON lines file of more than ``partition_size`` articles is split into line ranges, other files
    are grouped up to ``partition_size`` articles a partition."""
    paths = [Path(p) for p in paths]
    entries = load.manifest_entries(manifest, paths)
    code = _code_fingerprint()
    cwd = os.getcwd()
    problems: list[str] = []
    groups: list[list[Piece]] = []
    group: list[Piece] = []
    weight = 0

    def flush() -> None:
        nonlocal group, weight
        if group:
            groups.append(group)
        group, weight = [], 0

    for file in load.iter_files(paths):
        if isinstance(file, LoadError):
            problems.append(str(file))
            continue
        entry = entries.get(file.resolve(), {})
        items, ranges = 1, None
        if file.suffix.lower() in load.JSONL_SUFFIXES:
            items, ranges = load.jsonl_ranges(file, partition_size)
        if ranges:
            flush()
            groups.extend([Piece(str(file), entry, r)] for r in ranges)
            continue
        if weight and weight + items > partition_size:
            flush()
        group.append(Piece(str(file), entry))
        weight += max(1, items)
    flush()
    parts = []
    for i, pieces in enumerate(groups):
        where = cwd if any(not Path(p.path).is_absolute() for p in pieces) else None  # relative paths depend on it
        h = hashlib.sha256(json.dumps([FORMAT, code, where, [_fingerprint(p) for p in pieces]], default=str).encode())
        parts.append(Partition(i, tuple(pieces), cwd, h.hexdigest()[:24]))
    return parts, problems


def _fingerprint(p: Piece) -> list[Any]:
    try:
        st = os.stat(p.path)
        stamp = [st.st_size, st.st_mtime_ns]
    except OSError:
        stamp = None
    return [p.path, stamp, p.entry, asdict(p.lines) if p.lines else None]


def _header(part: Partition) -> dict[str, Any]:
    return {"palmyra_claims": FORMAT, "partition": part.index, "key": part.key,
            "pieces": [[p.path, p.lines.first if p.lines else None, p.lines.count if p.lines else None]
                       for p in part.pieces]}


def _complete(folder: Path, part: Partition) -> dict[str, Any] | None:
    """The counts of a partition already written for exactly this input by this code, or None."""
    path = folder / part.name
    try:
        with path.open("rb") as f:
            head = json.loads(f.readline())
            f.seek(max(0, path.stat().st_size - 65536))
            tail = json.loads(f.read().rstrip(b"\n").rsplit(b"\n", 1)[-1])
    except (OSError, ValueError):
        return None
    if not isinstance(head, dict) or head.get("key") != part.key or not isinstance(tail, dict):
        return None
    end = tail.get("end")
    return end if isinstance(end, dict) else None


# -- on the workers ----------------------------------------------------------------------------------------

@dataclass
class Found:
    """An article as the loader read it, with what ``load --claims`` needs to admit it as a load would."""

    article: ArticleInput
    where: str
    file: str


def _read(parts: list[Partition]) -> list[Found | str]:
    """A bag partition's articles and, in their place, the problems a load would report (strings)."""
    out: list[Found | str] = []
    languages = set(available_languages())
    for part in parts:
        for piece in part.pieces:
            path = Path(piece.path)
            if not path.is_absolute() and os.getcwd() != part.cwd:
                out.append(f"{piece.path}: a relative path, and this worker runs in {os.getcwd()}, not "
                           f"{part.cwd}: give absolute paths")
                continue
            for a, where in load.file_articles(path, piece.entry, languages, out.append, piece.lines):
                out.append(Found(a, where, piece.path))
    return out


def _prepare(item: Found | str) -> dict[str, Any]:
    """One output record: the rows ``palmyra load`` would write for the article (``load.prepare``)."""
    if isinstance(item, str):
        return {"error": item}
    try:
        row, values, warnings = load.prepare(item.article)
    except Exception as e:
        raise ExtractionFailed(f"{item.where}: extraction failed: {type(e).__name__}: {e}") from e
    return {"article": row, "claims": values, "warnings": warnings, "where": item.where, "file": item.file,
            "encoding": item.article.encoding}


def _write(records: Iterator[dict[str, Any]], parts: list[Partition], out: str) -> list[dict[str, Any]]:
    """Write one partition under a temporary name, then rename it: it is whole or not there."""
    (part,) = parts
    final = Path(out) / part.name
    tmp = final.with_name(f".{part.name}.{uuid.uuid4().hex[:12]}.tmp")
    counts = {"articles": 0, "claims": 0, "errors": 0}
    errors: list[str] = []
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(json.dumps(_header(part), ensure_ascii=False) + "\n")
            for r in records:
                if "error" in r:
                    counts["errors"] += 1
                    errors.append(r["error"])
                else:
                    counts["articles"] += 1
                    counts["claims"] += len(r["claims"])
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
            f.write(json.dumps({"end": counts}) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(final.parent)
    return [{"index": part.index, **counts, "error_messages": errors}]


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- the command -----------------------------------------------------------------------------------------------

def require_dask():
    """dask.bag and dask.distributed, or a LoadError saying how to install them."""
    try:
        import dask.bag as bag
        import distributed
    except ImportError as e:
        raise LoadError(f"extract-corpus needs Dask ({e.name} is missing): "
                        "pip install 'datasette-palmyra[dask]'") from None
    return bag, distributed


def extract_corpus(paths: list[str | Path], out: str | Path, manifest: str | Path | None = None,
                   scheduler: str | None = None, partition_size: int = DEFAULT_PARTITION_SIZE) -> ExtractSummary:
    """Extract every article of ``paths`` on a Dask cluster into partitions under ``out``.

    Without ``scheduler``, on a LocalCluster of this machine's cores (processes, 127.0.0.1, no dashboard).
    Partitions already complete for the same input and code are kept, not computed again."""
    t0 = time.perf_counter()
    dask_bag, distributed = require_dask()
    folder = Path(out)
    for p in paths:  # the output inside an input folder would be read as input by the next run
        if Path(p).is_dir() and folder.resolve().is_relative_to(Path(p).resolve()):
            raise LoadError(f"{folder}: --out is inside the input folder {p}; put it elsewhere")
    parts, problems = plan(list(paths), manifest, partition_size)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / INDEX).unlink(missing_ok=True)  # until this run ends, the folder is not a finished extraction
    except OSError as e:
        raise LoadError(f"{folder}: cannot write there: {e.strerror}") from None
    summary = ExtractSummary(partitions=len(parts), errors=list(problems), error_count=len(problems))
    done: dict[int, dict[str, Any]] = {}
    todo = []
    for part in parts:
        end = _complete(folder, part)
        if end is None:
            todo.append(part)
        else:
            done[part.index] = end
    if todo:
        for r in _compute(dask_bag, distributed, todo, folder, scheduler):
            done[r["index"]] = r
            summary.errors += r["error_messages"]
        summary.written = len(todo)
    for end in done.values():
        summary.articles += int(end.get("articles", 0))
        summary.claims += int(end.get("claims", 0))
        summary.error_count += int(end.get("errors", 0))
    _finish(folder, parts, done, problems)
    summary.seconds = time.perf_counter() - t0
    return summary


def _compute(dask_bag, distributed, todo: list[Partition], folder: Path, scheduler: str | None) -> list[dict[str, Any]]:
    """The bag: partitions -> articles (read) -> records (prepared) -> one written file per partition."""
    specs = dask_bag.from_sequence(todo, partition_size=1)
    records = specs.map_partitions(_read).map(_prepare)
    written = records.map_partitions(_write, specs, out=str(folder.resolve()))
    if scheduler:
        try:
            client = distributed.Client(scheduler)  # waits distributed.comm.timeouts.connect (Dask's config)
        except (OSError, TimeoutError, ValueError) as e:
            raise LoadError(f"{scheduler}: cannot reach the Dask scheduler ({e})") from None
        with client:
            return written.compute(scheduler=client)
    # no dashboard; the scheduler's plain HTTP routes (health, metrics) on any free loopback port, not 8787
    with distributed.LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                                  scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster, \
            distributed.Client(cluster) as client:
        return written.compute(scheduler=client)


def _finish(folder: Path, parts: list[Partition], done: dict[int, dict[str, Any]], problems: list[str]) -> None:
    """Remove what an earlier run left that this one does not list, then write the index (atomically)."""
    names = {p.name for p in parts}
    for f in folder.iterdir():
        stale_part = f.name.startswith("part-") and f.name.endswith(".jsonl") and f.name not in names
        if stale_part or (f.name.startswith(".part-") and f.name.endswith(".tmp")):
            f.unlink(missing_ok=True)
    index = {"palmyra_claims": FORMAT, "errors": problems,
             "partitions": [{"file": p.name, "key": p.key, **{k: int(done[p.index].get(k, 0))
                                                             for k in ("articles", "claims", "errors")}}
                            for p in parts]}
    tmp = folder / f".{INDEX}.{uuid.uuid4().hex[:12]}.tmp"
    tmp.write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / INDEX)


# -- palmyra load --claims -------------------------------------------------------------------------------------

def load_claims(db_path: str | Path, out: str | Path, strict: bool = False) -> LoadReport:
    """Store an ``extract-corpus`` output in ``db_path`` as ``palmyra load`` would have stored its input.

    One transaction: a damaged partition (any line) stops it with a LoadError naming the file and line,
    and the database is left as it was. Duplicate ids, unchanged articles and the skipped inputs' messages
    follow the load's own rules, in input order."""
    folder = Path(out)
    index = _read_index(folder)
    for p in index["partitions"]:  # cheap checks first: every partition there and of this extraction
        _check_header(folder / p["file"], p["key"])
    report = LoadReport()

    def problem(msg: str) -> None:
        if strict:
            raise LoadError(msg)
        report.errors.append(msg)

    for msg in index["errors"]:
        problem(msg)
    with load.open_for_load(db_path) as (db, known), store.writing(db):
        seen: dict[str, str] = {}
        for p in index["partitions"]:
            for rec in _records(folder / p["file"], p):
                if "error" in rec:
                    problem(rec["error"])
                    continue
                row = rec["article"]
                if not load.admit(row["id"], rec["where"], rec["file"], rec["encoding"], seen, problem, report):
                    continue
                if known.get(row["id"]) == row["content_hash"]:
                    report.unchanged.append(row["id"])
                    continue
                load.write_prepared(db, known, report, row, rec["claims"], rec["warnings"])
        load.settle_places(db, report.loaded)
    return report


def _read_index(folder: Path) -> dict[str, Any]:
    path = folder / INDEX
    if not folder.is_dir():
        raise LoadError(f"{folder}: no such folder (the --out of palmyra extract-corpus)")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError(f"{path}: missing: the extraction did not finish; run palmyra extract-corpus "
                        "again with the same input and --out (complete partitions are kept)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError(f"{path}: cannot read: {e}") from None
    data = load._json(text, path)
    parts = data.get("partitions") if isinstance(data, dict) else None
    ok = (isinstance(data, dict) and data.get("palmyra_claims") == FORMAT and isinstance(parts, list)
          and isinstance(data.get("errors"), list) and all(isinstance(e, str) for e in data["errors"])
          and all(isinstance(p, dict) and isinstance(p.get("file"), str) and isinstance(p.get("key"), str)
                  and "/" not in p["file"] and "\\" not in p["file"] for p in parts))
    if not ok:
        raise LoadError(f"{path}: not an index written by palmyra extract-corpus (format {FORMAT})")
    return data


def _check_header(path: Path, key: str) -> None:
    try:
        with path.open("rb") as f:
            first = f.readline()
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}; run palmyra extract-corpus again") from None
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("palmyra_claims") != FORMAT:
        raise LoadError(f"{path}:1: not a partition written by palmyra extract-corpus")
    if head.get("key") != key:
        raise LoadError(f"{path}:1: from another extraction than its index.json lists; "
                        "run palmyra extract-corpus again")


_SCALAR = (str, int, float, type(None))
_ARTICLE_KEYS = set(store.ARTICLE_COLUMNS) - {"claim_count"}


def _records(path: Path, meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The records of one partition, each checked; anything damaged is a LoadError naming file and line."""
    counts = {"articles": 0, "claims": 0, "errors": 0}
    ended = False
    try:
        f = path.open("r", encoding="utf-8", newline="\n")
    except OSError as e:
        raise LoadError(f"{path}: cannot read: {e.strerror}") from None
    with f:
        lineno = 0
        while True:
            try:
                line = f.readline()
            except UnicodeDecodeError as e:
                raise LoadError(f"{path}:{lineno + 1}: not UTF-8 (byte {e.start}): damaged partition") from None
            if not line:
                break
            lineno += 1
            where = f"{path}:{lineno}"
            if ended:
                raise LoadError(f"{where}: a line after the partition's end line: damaged partition")
            if not line.endswith("\n"):
                raise LoadError(f"{where}: the line is cut short (no line end): damaged partition")
            rec = load._json(line, where, lineno)
            if lineno == 1:
                continue  # the header, checked before the load began
            if isinstance(rec, dict) and set(rec) == {"end"}:
                if rec["end"] != counts:
                    raise LoadError(f"{where}: the end line counts {rec['end']}, the partition holds {counts}: "
                                    "damaged partition")
                ended = True
                continue
            _check_record(rec, where)
            if "error" in rec:
                counts["errors"] += 1
            else:
                counts["articles"] += 1
                counts["claims"] += len(rec["claims"])
            yield rec
    if not ended:
        raise LoadError(f"{path}:{lineno}: the partition has no end line (cut short): damaged partition")
    expected = {k: meta.get(k) for k in counts}
    if expected != counts:
        raise LoadError(f"{path}: holds {counts}, its index.json says {expected}: damaged or replaced partition")


def _check_record(rec: Any, where: str) -> None:
    """A record as ``_prepare`` writes it: an error message, or an article row and its claim rows whose
    content hash matches the article."""
    def bad(what: str) -> LoadError:
        return LoadError(f"{where}: {what}: damaged partition")

    if not isinstance(rec, dict):
        raise bad("a record is a JSON object")
    if set(rec) == {"error"}:
        if not isinstance(rec["error"], str):
            raise bad("'error' is not a string")
        return
    if set(rec) != {"article", "claims", "warnings", "where", "file", "encoding"}:
        raise bad(f"unexpected record keys {sorted(rec)}")
    row, claims = rec["article"], rec["claims"]
    if not isinstance(row, dict) or not {"id", "body", "content_hash"} <= set(row) <= _ARTICLE_KEYS:
        raise bad("the article row's columns are not the articles table's")
    if not all(isinstance(v, _SCALAR) for v in row.values()) or not isinstance(row["id"], str) \
            or not isinstance(row["body"], str):
        raise bad("the article row holds a value SQLite cannot store")
    if not all(isinstance(rec[k], str) for k in ("where", "file", "encoding")) \
            or not isinstance(rec["warnings"], list) or not all(isinstance(w, str) for w in rec["warnings"]):
        raise bad("'where', 'file', 'encoding' or 'warnings' is not text")
    fields = {k: row.get(k) for k in ("body", "source", "published", "language", "title", "url")}
    if load.content_hash(ArticleInput(id=row["id"], **fields)) != row["content_hash"]:
        raise bad(f"article {row['id']!r} does not match its content hash")
    width = len(store.CLAIM_COLUMNS)
    if not isinstance(claims, list) or not all(
            isinstance(c, list) and len(c) == width and c[1] == row["id"] and isinstance(c[0], str)
            and all(isinstance(v, _SCALAR) for v in c) for c in claims):
        raise bad(f"the claims of article {row['id']!r} are not rows of the claims table ({width} values, "
                  "its article id)")
