"""The ``palmyra`` command: a thin layer over the Python API (load, extract, check, serve).

Exit codes: 0 success (or no flag at or above --fail-on), 1 flags at or above --fail-on or an
article that failed to load under --strict, 2 bad input: usage, manifest or rule-file errors.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import click

from .clitypes import DatabaseFile


class LazyGroup(click.Group):
    """A group whose commands in ``lazy`` ("name": "module:attribute") are imported only when one of
    them runs, or when the help lists them: ``palmyra extract`` then starts without the check's rules
    and facts, pint, sqlite-utils and the store, which the other commands need (issue 13)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, attribute = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, lazy={
    "check": "datasette_palmyra.check_cli:check",
    "rules": "datasette_palmyra.check_cli:rules",
    "review": "datasette_palmyra.review_cli:review",
    "export": "datasette_palmyra.review_cli:export",
})
@click.version_option(package_name="datasette-palmyra")
def cli():
    """datasette-palmyra: numeric claims in news, checked for consistency across sources."""


@cli.command()
@click.argument("db", type=DatabaseFile())
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--manifest", type=click.Path(dir_okay=False), help="YAML or CSV manifest (default: manifest.yml in a folder given)")
@click.option("--claims", "claims_dir", type=click.Path(file_okay=False),
              help="Load the --out folder of `palmyra extract-corpus` (rows already extracted) instead of PATHS")
@click.option("--strict", is_flag=True, help="Stop at the first file that cannot be read (nothing is written)")
@click.option("--jobs", "-j", default=1, show_default=True, help="Extract in this many processes")
@click.option("--quiet", "-q", is_flag=True)
def load(db, paths, manifest, claims_dir, strict, jobs, quiet):
    """Load article files (txt, md, html, json, jsonl; folders recursively) into DB, or with --claims DIR
    the rows `palmyra extract-corpus` extracted into DIR."""
    if claims_dir and (paths or manifest):
        raise click.UsageError("give article PATHS or --claims DIR, not both (the manifest was read by extract-corpus)")
    if not claims_dir and not paths:
        raise click.UsageError("Missing argument 'PATHS...' (or --claims DIR).")
    from .load import LoadError, load_paths

    try:
        if claims_dir:
            from .distributed import load_claims

            report = load_claims(db, claims_dir, strict=strict)
        else:
            report = load_paths(db, paths, manifest=manifest, strict=strict, jobs=jobs, progress=not quiet)
    except LoadError as e:
        for line in str(e).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(2)
    for err in report.errors:
        click.echo(f"skipped: {err}", err=True)
    if not quiet:
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if report.missing_note():
            click.echo(f"note: {report.missing_note()}", err=True)
        click.echo(f"{db}: {report.summary()}", err=True)
    if report.errors and not report.loaded and not report.unchanged:
        sys.exit(1)


@cli.command("extract-corpus")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Folder for the partitions (made if missing; a rerun keeps those already complete)")
@click.option("--manifest", type=click.Path(dir_okay=False), help="YAML or CSV manifest (default: manifest.yml in a folder given)")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A running Dask scheduler, e.g. tcp://host:8786 (default: a local cluster of this machine's cores)")
@click.option("--partition-size", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Articles per partition: JSON lines files are split into line ranges of this many")
def extract_corpus(inputs, out, manifest, scheduler, partition_size):
    """Extract the claims of article files on a Dask cluster into DIR, for `palmyra load DB --claims DIR`."""
    from .distributed import ExtractionFailed
    from .distributed import extract_corpus as run
    from .textfile import LoadError

    try:
        summary = run(list(inputs), out, manifest=manifest, scheduler=scheduler, partition_size=partition_size)
    except LoadError as e:
        for line in str(e).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(2)
    except ExtractionFailed as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except Exception as e:  # the cluster's own failures (a worker lost, the folder unwritable on a worker)
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        click.echo(f"error: extract-corpus failed on the cluster: {type(e).__name__}: {first}", err=True)
        sys.exit(1)
    for err in summary.errors:
        click.echo(f"skipped: {err}", err=True)
    click.echo(f"{out}: {summary.line()}", err=True)
    if summary.error_count and not summary.articles:
        sys.exit(1)


@cli.command()
@click.argument("file", default="-", type=click.File("rb"))
@click.option("--lang", "-l", default=None, help="Language code (default: guessed from the text)")
@click.option("--published", "-p", default=None, help="Publication date YYYY, YYYY-MM or YYYY-MM-DD (anchors relative dates)")
@click.option("--kind", "kinds", multiple=True, help="Only claims of this kind (repeatable)")
def extract(file, lang, published, kinds):
    """Print the claims in FILE (or standard input), one JSON object per line."""
    from .extract import extract_claims
    from .extract.dates import parse_published
    from .textfile import MAX_BYTES, LoadError, decode_text, guess_language

    name = getattr(file, "name", "-")
    name = "<stdin>" if name in ("-", "<stdin>") or not isinstance(name, str) else name
    try:  # the encodings a load reads (UTF-8, UTF-16 with its mark, cp1251, cp1252), with its messages
        text, _enc = decode_text(file.read(MAX_BYTES + 1), name)
    except LoadError as e:
        raise click.UsageError(str(e)) from None
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise click.UsageError(f"{name}: over the {MAX_BYTES // (1024 * 1024)} MB limit for one article")
    if published:
        try:
            parse_published(published)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--published") from None
    try:
        claims = extract_claims(text, lang or guess_language(text), published)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    for c in claims:
        if kinds and c.kind not in kinds:
            continue
        click.echo(json.dumps(c.to_dict(), ensure_ascii=False))


@cli.command()
@click.argument("db", type=DatabaseFile())
@click.option("--build", "build_from", multiple=True, type=click.Path(exists=True),
              help="Load these files or folders and run the rules first")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True),
              help="Rule files or folders for --build (default: the shipped rules)")
@click.option("--metadata", "-m", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Datasette metadata (default: metadata.yml here, if any)")
@click.option("--port", "-p", default=8001, show_default=True)
@click.option("--host", "-h", default="127.0.0.1", show_default=True)
@click.option("--immutable/--mutable", default=True, show_default=True, help="Serve read-only (-i)")
@click.option("--get", "get_path", default=None, help="Print one page and exit, as datasette --get does")
def serve(db, build_from, rule_paths, metadata, port, host, immutable, get_path):
    """Serve DB in Datasette with the plugin; --build loads and checks first."""
    if build_from:
        from .load import load_paths

        report = load_paths(db, build_from)
        for err in report.errors:
            click.echo(f"skipped: {err}", err=True)
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if report.missing_note():
            click.echo(f"note: {report.missing_note()}", err=True)
        click.echo(f"{db}: {report.summary()}", err=True)
        _run_check(db, rule_paths)
    if not Path(db).exists():
        raise click.UsageError(f"{db} does not exist: build it with --build PATH or `palmyra load`")
    from .publish import prepare_for_publishing

    prepare_for_publishing(db)
    if metadata is None and Path("metadata.yml").exists():
        metadata = "metadata.yml"
    if metadata:
        _check_metadata(metadata)
    args = [sys.executable, "-m", "datasette", "serve", ("-i" if immutable else ""), db]
    args = [a for a in args if a]
    if metadata:
        args += ["-m", metadata]
    if get_path:
        args += ["--get", get_path]
    else:
        args += ["--host", host, "--port", str(port)]
    if immutable:  # writers see this lock and refuse to rewrite the file under the server
        from .store import hold_while_serving

        hold_while_serving(db)
    sys.stdout.flush()
    sys.stderr.flush()
    # Datasette takes this process's place: a signal to it (Ctrl-C, SIGTERM, a supervisor) reaches the
    # server itself, and no child outlives its parent
    os.execv(sys.executable, args)


def _check_metadata(path: str) -> None:
    """The plugin's options in a metadata file, checked before the server starts: one line each."""
    from . import yamlfile
    from .web.options import PLUGIN, settings_problems

    try:
        text = Path(path).read_text(encoding="utf-8")
        meta = json.loads(text) if path.endswith(".json") else yamlfile.load(text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        where = e.where(path) if isinstance(e, yamlfile.YamlError) else path
        raise click.UsageError(f"{where}: cannot read metadata: {e}") from None
    if not isinstance(meta, dict):
        return
    problems = settings_problems((meta.get("plugins") or {}).get(PLUGIN) if isinstance(meta.get("plugins"), dict) else None)
    for name, dbm in (meta.get("databases") or {}).items() if isinstance(meta.get("databases"), dict) else ():
        plugins = dbm.get("plugins") if isinstance(dbm, dict) else None
        if isinstance(plugins, dict):
            problems += settings_problems(plugins.get(PLUGIN), f"databases.{name}.plugins.{PLUGIN}")
    if problems:
        raise click.UsageError(f"{path}: " + "; ".join(problems))


def _run_check(db: str, rule_paths) -> None:
    """serve --build checks as ``palmyra check`` does (one wiring, its errors and exit codes), then
    prints the summary line instead of the flags."""
    from .check_cli import check_or_exit
    from .report import summary_line

    click.echo(summary_line(check_or_exit(db, rule_paths)), err=True)  # counts of flags by severity

