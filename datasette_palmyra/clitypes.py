"""Click parameter types shared by the CLI modules."""

from __future__ import annotations

from pathlib import Path

import click

SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseFile(click.Path):
    """A path that is an SQLite database, or (unless ``must_exist``) nothing yet or an empty file.

    Checked up front, so that pointing a command at the wrong file is a one-line usage error
    (exit 2) instead of a traceback from deep inside SQLite.
    """

    def __init__(self, must_exist: bool = False) -> None:
        super().__init__(dir_okay=False, exists=must_exist)

    def convert(self, value, param, ctx):
        path = Path(super().convert(value, param, ctx))
        if path.exists() and path.stat().st_size:
            try:
                with open(path, "rb") as f:
                    head = f.read(len(SQLITE_MAGIC))
            except OSError as e:
                self.fail(f"{path}: cannot read: {e.strerror}", param, ctx)
            if head != SQLITE_MAGIC:
                self.fail(f"{path}: not an SQLite database", param, ctx)
        return str(path)
