"""``palmyra check`` and ``palmyra rules lint``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 flags at or above it (or a rule that could not be
evaluated); 2 rule-file or usage errors, in which case nothing is written.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from .clitypes import DatabaseFile
from .parallel import WorkerFailed
from .report import FORMATTERS
from .ruleset import RuleFileError, load_ruleset
from .run import FAIL_ON, DatabaseChanged, exit_code, run_check
from .run import open_only as only_open


def _load_or_exit(paths, allow_empty: bool = False) -> object:
    try:
        return load_ruleset(list(paths) or None, allow_empty=allow_empty)
    except RuleFileError as e:
        for line in e.errors:
            click.echo(line, err=True)
        click.echo(f"{len(e.errors)} error{'s' if len(e.errors) != 1 else ''} in rule files; nothing was run",
                   err=True)
        raise SystemExit(2) from None


@click.command()
@click.argument("db", type=DatabaseFile())
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(),
              help="Rule file or folder (repeatable); default: the shipped rules/default.yml")
@click.option("--format", "fmt", type=click.Choice(list(FORMATTERS)), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a flag of this severity or above is found")
@click.option("--jobs", "-j", default=None, type=click.IntRange(min=1),
              help="Worker processes for a database of 200,000 claims or more, its claims split by kind "
                   "[default: one per core]")
@click.option("--allow-empty", is_flag=True,
              help="Run even when the rule files hold no rule (the stored facts and flags are then cleared)")
@click.option("--open-only", is_flag=True,
              help="Report, and exit 1 for, only flags nobody has reviewed ('palmyra review'); all are stored")
def check(db, rule_paths, fmt, fail_on, jobs, allow_empty, open_only):
    """Group the claims in DB into facts, run the rules, store and print the flags."""
    result = check_or_exit(db, rule_paths, jobs or os.cpu_count() or 1, allow_empty)
    if open_only:
        result = only_open(result)
    out = FORMATTERS[fmt](result)
    if out:  # no flags as ndjson is no line at all
        click.echo(out, nl=not out.endswith("\n"))  # CSV and ndjson end their last record themselves
    raise SystemExit(exit_code(result, fail_on))


def check_or_exit(db: str, rule_paths, jobs: int = 1, allow_empty: bool = False):
    """The check as both commands run it (``palmyra check`` and ``serve --build``): the rules read, the
    database checked and written, every failure one line and an exit code, with nothing written."""
    ruleset = _load_or_exit(rule_paths, allow_empty)
    if not Path(db).exists():
        raise click.UsageError(f"no such database: {db} (build it with 'palmyra load')")
    from .store import BeingServed, NotOurs, check_ours, database_problem, is_loaded, open_db

    try:
        database = open_db(db)
        check_ours(database)
        if not is_loaded(database):
            raise click.UsageError(f"{db} has no articles or claims tables (build it with 'palmyra load')")
        try:
            return run_check(database, ruleset, jobs=jobs)
        finally:
            database.close()
    except NotOurs as e:
        raise click.UsageError(f"{db}: {e}") from None
    except (sqlite3.Error, BeingServed) as e:  # locked past the busy timeout, read-only, full, damaged, served
        click.echo(f"Error: {database_problem(db, e)}", err=True)
        raise SystemExit(1) from None
    except DatabaseChanged as e:
        click.echo(f"Error: {db}: {e}", err=True)
        raise SystemExit(3) from None
    except WorkerFailed as e:  # could not evaluate, and nothing was written (one transaction)
        click.echo(f"Error: {db}: {e}; nothing was written", err=True)
        raise SystemExit(1) from None


@click.group()
def rules():
    """Rule files."""


@rules.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--allow-empty", is_flag=True, help="Accept rule files that hold no rule")
def lint(paths, allow_empty):
    """Validate rule files (and folders) without running them."""
    ruleset = _load_or_exit(paths, allow_empty)
    click.echo(f"ok: {len(ruleset.facts)} facts, {len(ruleset.rules)} rules in {len(ruleset.files)} files")
