"""``palmyra check`` and ``palmyra rules lint``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 flags at or above it (or a rule that could not be
evaluated); 2 rule-file or usage errors, in which case nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from .check import FAIL_ON, FORMATTERS, DatabaseChanged, exit_code, run_check
from .clitypes import DatabaseFile
from .ruleset import RuleFileError, load_ruleset
from .shards import WorkerFailed


def _load_or_exit(paths) -> object:
    try:
        return load_ruleset(list(paths) or None)
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
def check(db, rule_paths, fmt, fail_on, jobs):
    """Group the claims in DB into facts, run the rules, store and print the flags."""
    ruleset = _load_or_exit(rule_paths)
    if not Path(db).exists():
        raise click.UsageError(f"no such database: {db} (build it with 'palmyra load')")
    from .store import open_db

    database = open_db(db)
    if not database["articles"].exists() or not database["claims"].exists():
        raise click.UsageError(f"{db} has no articles or claims tables (build it with 'palmyra load')")
    try:
        result = run_check(database, ruleset, jobs=jobs or os.cpu_count() or 1)
    except DatabaseChanged as e:
        click.echo(f"Error: {db}: {e}", err=True)
        raise SystemExit(3) from None
    except WorkerFailed as e:  # could not evaluate, and nothing was written (one transaction)
        click.echo(f"Error: {db}: {e}; nothing was written", err=True)
        raise SystemExit(1) from None
    click.echo(FORMATTERS[fmt](result))
    raise SystemExit(exit_code(result, fail_on))


@click.group()
def rules():
    """Rule files."""


@rules.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def lint(paths):
    """Validate rule files (and folders) without running them."""
    ruleset = _load_or_exit(paths)
    click.echo(f"ok: {len(ruleset.facts)} facts, {len(ruleset.rules)} rules in {len(ruleset.files)} files")
