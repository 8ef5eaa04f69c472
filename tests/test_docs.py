"""The README is tested like code: its Python examples run, and every CLI command is documented in it
(as sqlite-utils' tests/test_docs.py holds its docs to its commands)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

import datasette_palmyra
from datasette_palmyra.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_has_python_examples():
    assert len(EXAMPLES) >= 2


def test_the_readme_python_examples_run_in_order(tmp_path):
    """The examples run one after the other in a folder with the seeds and rules, as a reader would."""
    for name in ("seeds", "rules"):
        (tmp_path / name).symlink_to(ROOT / name)
    here = os.getcwd()
    out = io.StringIO()
    os.chdir(tmp_path)
    try:
        scope: dict = {}
        with contextlib.redirect_stdout(out):
            for code in EXAMPLES:
                exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own code
    finally:
        os.chdir(here)
    text = out.getvalue()
    assert re.search(r"^\d+ claims; 5 articles loaded$", text, re.M), text
    assert re.search(r"^0 flags stored$", text, re.M), text  # the seeds agree with themselves


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert re.search(rf"palmyra {re.escape(name)}\b", README), f"palmyra {name} is not in the README"


@pytest.mark.parametrize("name", datasette_palmyra.__all__)
def test_the_package_root_exports_the_api(name):
    assert callable(getattr(datasette_palmyra, name))
    assert name in README


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        datasette_palmyra.nothing  # noqa: B018
