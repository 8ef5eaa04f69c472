"""``palmyra review`` and ``palmyra export``: the verdicts and flags stored in a database.

Their own module, imported only when one of them runs, so that ``palmyra extract`` does not pay for
sqlite-utils, the store and the check's formatters at start-up.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from .clitypes import DatabaseFile
from .export import FORMATS as EXPORT_FORMATS
from .store import REVIEW_VERDICTS


@click.command()
@click.argument("db", type=DatabaseFile(must_exist=True))
@click.argument("flag")
@click.option("--verdict", required=True, type=click.Choice(list(REVIEW_VERDICTS)),
              help="confirmed, different-facts (grouped wrongly), rounding, not-an-error or other")
@click.option("--note", default=None, help="Why: what you checked, which source is right")
@click.option("--reviewer", default=None, help="Who decided [default: $USER]")
def review(db, flag, verdict, note, reviewer):
    """Record a verdict on FLAG (its id, or a prefix of at least 4 characters) in DB.

    The latest verdict counts; earlier ones stay as history. A later check keeps them (flag ids are
    stable), and 'palmyra check --open-only' leaves reviewed flags out."""
    from .store import BeingServed, NotOurs, ReviewError, add_review, check_ours, database_problem, open_db

    try:
        database = open_db(db)
        try:
            check_ours(database)
            row = add_review(database, flag, verdict, note=note,
                             reviewer=reviewer if reviewer is not None else os.environ.get("USER"))
        finally:
            database.close()
    except (ReviewError, NotOurs) as e:
        raise click.UsageError(f"{db}: {e}") from None
    except (sqlite3.Error, BeingServed) as e:
        click.echo(f"Error: {database_problem(db, e)}", err=True)
        raise SystemExit(1) from None
    click.echo(f"flag {row['flag_id']}: {row['verdict']}" + (f" by {row['reviewer']}" if row["reviewer"] else "")
               + f" at {row['time']}", err=True)


@click.command()
@click.argument("db", type=DatabaseFile(must_exist=True))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True,
              help="json, ndjson or csv as 'palmyra check' prints them; claimreview: schema.org JSON-LD")
@click.option("--open-only", is_flag=True, help="Only flags nobody has reviewed")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              help="Write here instead of standard output (written whole, or not at all)")
@click.option("--publisher", default=None, help="ClaimReview: the organisation that publishes the reviews")
@click.option("--site", default=None, help="ClaimReview: the published Datasette's address, for each review's url")
@click.option("--all-reviewed", is_flag=True,
              help="ClaimReview: every reviewed flag, each rated by its verdict, not only the confirmed ones")
def export(db, fmt, open_only, output, publisher, site, all_reviewed):
    """Export the flags the last check stored in DB, with their reviews, without running the rules again.

    ClaimReview holds the confirmed flags (with --all-reviewed, every reviewed one): a fact-check needs
    a verdict. How many were left out is said on standard error."""
    from .export import ExportError, export_text, stored_flags
    from .store import database_problem
    from .store.connection import open_read_only

    try:
        database = open_read_only(db, wait=False)
        try:
            flags = stored_flags(database, open_only=open_only)
        finally:
            database.close()
    except ExportError as e:
        raise click.UsageError(f"{db}: {e}") from None
    except sqlite3.Error as e:
        click.echo(f"Error: {database_problem(db, e)}", err=True)
        raise SystemExit(1) from None
    out = export_text(flags, fmt, publisher=publisher, site=site, database=Path(db).stem, all_reviewed=all_reviewed)
    if fmt == "claimreview":
        open_ = sum(1 for f in flags if not f.get("review"))
        other = sum(1 for f in flags if f.get("review") and f["review"]["verdict"] != "confirmed")
        if open_:
            click.echo(f"{open_} flag{'s' if open_ != 1 else ''} not reviewed yet, left out "
                       "(record verdicts with 'palmyra review')", err=True)
        if other and not all_reviewed:
            click.echo(f"{other} reviewed flag{'s' if other != 1 else ''} not confirmed, left out "
                       "(--all-reviewed includes them)", err=True)
    if output == "-":
        if out:
            click.echo(out, nl=not out.endswith("\n"))
        return
    tmp = Path(f"{output}.tmp-{os.getpid()}")
    try:
        tmp.write_text(out if out.endswith("\n") or not out else out + "\n", encoding="utf-8", newline="")
        os.replace(tmp, output)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        click.echo(f"Error: {output}: {e.strerror or e}", err=True)
        raise SystemExit(1) from None
