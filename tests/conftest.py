"""Shared fixtures.

Plugin fixtures (``palmyra_db``, ``make_datasette``) build one real SQLite file through the real pipeline only:
``load_paths`` on the seed articles, on the rules engineer's test corpus (tests/corpus: planted
inconsistencies, so real flags of every severity exist) and on an article full of markup-injection attempts,
then ``run_check`` with rules/default.yml, tests/corpus/rules.yml and a small rule file whose fact label and
description inject markup too. Nothing is written by hand: if loading or checking breaks, or the check stops
producing an error, a warning and an info flag, the fixture fails.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MANIFEST = SEEDS / "manifest.yml"
CORPUS = ROOT / "tests" / "corpus"
RULES = [ROOT / "rules" / "default.yml", CORPUS / "rules.yml"]

XSS = '<script>alert("x")</script>"onmouseover="alert(1)'
XSS_ARTICLE_ID = "fixture-xss-article"
XSS_FACT_ID = "fixture-xss-fact"
XSS_RULE = "fixture-xss-bounds"


def write_xss_corpus(folder: Path) -> tuple[Path, Path]:
    """An article whose title, source, url and body inject markup, and a rule file whose declared fact label and
    rule description do: the check then writes flags whose messages carry the injected source and label."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "xss.txt").write_text(
        f"{XSS}\n\n{XSS} Officials said 120 {XSS} fighters left Tadmur on 3 March 2017 {XSS}."
        " Turnout in Tadmur was 130 percent.\n", "utf-8")
    (folder / "manifest.yml").write_text(
        f"- {{path: xss.txt, id: {XSS_ARTICLE_ID}, source: {json.dumps(XSS)}, published: 2017-03-04,"
        f" language: en, title: {json.dumps(XSS)}, url: 'javascript:alert(1)'}}\n", "utf-8")
    rules = folder / "rules.yml"
    rules.write_text(
        "facts:\n"
        f"  - {{id: {XSS_FACT_ID}, label: {json.dumps(XSS)}, kind: count, entities: [Tadmur], words: [fighters]}}\n"
        "rules:\n"
        f"  - {{id: {XSS_RULE}, kind: bounds, fact: {XSS_FACT_ID}, max: 100, severity: info,"
        f" description: {json.dumps(XSS)}}}\n", "utf-8")
    return folder / "manifest.yml", rules


def build_palmyra_db(path: Path) -> Path:
    """The plugin's test database, from the real loader and the real rules engine (see the module docstring)."""
    from datasette_palmyra import store
    from datasette_palmyra.load import load_paths
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import run_check

    xss_manifest, xss_rules = write_xss_corpus(path.parent / f"{path.stem}-xss")
    for folder, manifest in ((SEEDS, MANIFEST), (CORPUS, CORPUS / "manifest.yml"),
                             (xss_manifest.parent, xss_manifest)):
        report = load_paths(path, [str(folder)], manifest=str(manifest), strict=True)
        assert not report.errors, report.errors
    db = store.open_db(path)
    run_check(db, load_ruleset([*RULES, xss_rules]))
    db.conn.close()
    # published files must be self-contained: checkpoint and leave WAL mode
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    severities = {s for (s,) in conn.execute("select distinct severity from flags")}
    xss_flags = conn.execute("select count(*) from flags where rule = ?", [XSS_RULE]).fetchone()[0]
    conn.close()
    assert {"error", "warning", "info"} <= severities, f"the check no longer flags every severity: {severities}"
    assert xss_flags, "the injection rule raised no flag"
    return path


def xss_flag_id(path: Path) -> str:
    """Id of the flag the injection rule raised (ids are hashes the check computes)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select id from flags where rule = ? order by id limit 1", [XSS_RULE]).fetchone()[0]
    finally:
        conn.close()


# -- a toll that grows over a week ------------------------------------------------------------------------

# A story of our own writing: a flood in the invented town of Vella, 1–7 April 2024, from four outlets in
# English and Norwegian. The death toll rises day by day; Harbour Post's Thursday figure is lower than Vella
# Wire's Wednesday one (the outlier); on Friday two outlets disagree; on Saturday a figure is stated as a
# correction. The flood's date and the distance to Orsk are fixed facts in the same corpus.
TOLL_ARTICLES: list[tuple[str, str, str, str, str]] = [
    ("vw-mon", "Vella Wire", "2024-04-01", "en",
     "Flood in Vella\n\nAt least 40 people were killed when the river burst its banks, officials said. "
     "The flood struck Vella on 1 April.\n\nVella lies 120 kilometers from Orsk.\n"),
    ("na-tue", "Nordlys Avis", "2024-04-02", "nb",
     "Flommen i Vella: dødstallet stiger\n\nDødstallet etter flommen i Vella steg til 95 tirsdag. "
     "Flommen rammet Vella 1. april.\n\nVella ligger 120 kilometer fra Orsk.\n"),
    ("vw-wed", "Vella Wire", "2024-04-03", "en",
     "Vella toll climbs\n\nThe death toll rose to 180 as of Wednesday, the regional governor said.\n"),
    ("hp-thu", "Harbour Post", "2024-04-04", "en",
     "Vella: hopes fade\n\nThe death toll in Vella stood at 150 on Thursday, according to local officials.\n"),
    ("gd-fri", "Gulf Dispatch", "2024-04-05", "en",
     "Rescuers search the mud in Vella\n\nThe death toll climbed to 280 on Friday, the civil defence agency said.\n"),
    ("na-fri", "Nordlys Avis", "2024-04-05", "nb",
     "Fortsatt leting i Vella\n\nHittil har 230 mennesker omkommet i flommen, opplyser myndighetene.\n"),
    ("gd-sat", "Gulf Dispatch", "2024-04-06", "en",
     "Vella toll corrected\n\nThe death toll was revised down to 260 on Saturday after some victims were "
     "counted twice.\n"),
    ("vw-sun", "Vella Wire", "2024-04-07", "en",
     "A week after the Vella flood\n\nThe death toll reached 320 as of Sunday, the civil defence agency said.\n"),
]


# A crowded week-end: ten outlets report the same toll over three days, figures a few apart (some "at least"),
# so the as-of chart has several bars a day whose labels compete for room; Outlet I's Wednesday figure is
# lower than Monday's.
CROWD_DAYS = (("2024-04-01", "Monday"), ("2024-04-02", "Tuesday"), ("2024-04-03", "Wednesday"))
CROWD_ARTICLES: list[tuple[str, str, str, str, str]] = [
    (f"crowd-{i}", f"Outlet {chr(65 + i)} Evening News", CROWD_DAYS[i % 3][0], "en",
     f"Vella flood\n\nThe death toll {'rose to at least' if i % 4 == 1 else 'rose to'} {1190 if i == 8 else 1200 + 40 * (i % 3) + i}"
     f" on {CROWD_DAYS[i % 3][1]}, officials said.\n")
    for i in range(10)
]


def build_toll_db(folder: Path, articles: list[tuple[str, str, str, str, str]] = TOLL_ARTICLES,
                  name: str = "toll") -> Path:
    """The toll story (or another list of articles) through the real pipeline: files and a manifest,
    ``load_paths``, then the shipped rules with ``run_check``; the file is checkpointed out of WAL so it can
    be served immutable."""
    from datasette_palmyra import store
    from datasette_palmyra.load import load_paths
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import run_check

    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    lines = []
    for aid, source, published, lang, text in articles:
        (corpus / f"{aid}.txt").write_text(text, "utf-8")
        lines.append(f"- {{path: {aid}.txt, id: {aid}, source: {source}, published: {published}, language: {lang}}}")
    (corpus / "manifest.yml").write_text("\n".join(lines) + "\n", "utf-8")
    path = folder / f"{name}.db"
    report = load_paths(path, [str(corpus)], manifest=str(corpus / "manifest.yml"), strict=True)
    assert not report.errors, report.errors
    db = store.open_db(path)
    run_check(db, load_ruleset([ROOT / "rules" / "default.yml"]))
    db.conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return path


@pytest.fixture(scope="session")
def toll_db(tmp_path_factory) -> Path:
    return build_toll_db(tmp_path_factory.mktemp("toll"))


@pytest.fixture(scope="session")
def crowd_db(tmp_path_factory) -> Path:
    return build_toll_db(tmp_path_factory.mktemp("crowd"), CROWD_ARTICLES, "crowd")


@pytest.fixture(scope="session")
def palmyra_db(tmp_path_factory) -> Path:
    """Path of a palmyra.db (named so top-level metadata.yml applies) built once per session."""
    return build_palmyra_db(tmp_path_factory.mktemp("palmyra") / "palmyra.db")


@pytest.fixture
def make_datasette(palmyra_db):
    """Factory: a started Datasette on the fixture db, mutable or immutable, with optional metadata."""

    async def make(immutable: bool = False, metadata: dict | None = None, **kwargs):
        from datasette.app import Datasette

        files = {"immutables": [str(palmyra_db)]} if immutable else {"files": [str(palmyra_db)]}
        ds = Datasette(**files, metadata=metadata or {}, **kwargs)
        await ds.invoke_startup()
        return ds

    return make


# -- a loaded and checked database, copied fresh for each test (bad input and fault tests) -----------------

@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    from helpers import build_checked_db

    return build_checked_db(tmp_path_factory.mktemp("base") / "base.db")


@pytest.fixture
def db(base_db, tmp_path) -> Path:
    from helpers import copy_db

    return copy_db(base_db, tmp_path / "palmyra.db")
