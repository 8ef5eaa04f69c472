"""Shared fixtures.

Plugin fixtures (``palmyra_db``, ``make_datasette``) build one real SQLite file from the seed articles with the
real loader, then run the real rules (``datasette_palmyra.check.run_check``) when that module exists; until
then the flag side (facts, fact_claims, runs, flags, flag_claims) is written directly, the way the check
writes it. An article full of markup-injection attempts is always added so every page is XSS-tested.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MANIFEST = SEEDS / "manifest.yml"

XSS = '<script>alert("x")</script>"onmouseover="alert(1)'
XSS_ARTICLE_ID = "fixture-xss-article"
XSS_FACT_ID = "fixture-xss-fact"
XSS_FLAG_ID = "fixture-xss-flag"


def _xss_article(db) -> list[str]:
    """An article whose title, source, body, claim texts and flag message all try to inject markup."""
    from datasette_palmyra import store

    body = f"{XSS} Officials said 120 {XSS} fighters left on 3 March 2017 {XSS}."
    s1 = body.index("120")
    s2 = body.index("3 March 2017")
    claims = [
        {"kind": "count", "text": "120", "start": s1, "end": s1 + 3, "value": 120, "unit": None,
         "qualifier": "exact", "low": 120, "high": 120, "norm_unit": "count", "subject": XSS,
         "sentence": body},
        {"kind": "date", "text": "3 March 2017", "start": s2, "end": s2 + 12, "value": "2017-03-03",
         "unit": None, "qualifier": "exact", "low": "2017-03-03", "high": "2017-03-03", "norm_unit": "day",
         "granularity": "day", "sentence": body},
    ]
    article = {"id": XSS_ARTICLE_ID, "source": XSS, "published": "2017-03-04", "published_low": "2017-03-04",
               "published_high": "2017-03-04", "language": "en", "title": XSS, "url": "javascript:alert(1)",
               "path": None, "body": body, "content_hash": "xss"}
    store.replace_article(db, article, claims)
    return [f"{XSS_ARTICLE_ID}:{c['start']}-{c['end']}" for c in claims]


def _run_real_check(path: Path) -> bool:
    """Run the real rules engine with the shipped rules; False (with the reason printed) when it cannot."""
    if importlib.util.find_spec("datasette_palmyra.check") is None:
        return False
    try:
        from datasette_palmyra import store
        from datasette_palmyra.check import run_check
        from datasette_palmyra.ruleset import load_ruleset

        db = store.open_db(path)
        run_check(db, load_ruleset(None))
        db.conn.close()
    except Exception as exc:  # noqa: BLE001 - fall back to direct rows, but say why
        print(f"palmyra_db fixture: run_check failed ({exc!r}); writing flags directly")
        return False
    return True


def _flag_id(rule: str, claim_ids: list[str]) -> str:
    import hashlib

    return hashlib.sha1((rule + "|" + "|".join(sorted(claim_ids))).encode()).hexdigest()[:16]


def _direct_flags(db, xss_claims: list[str]) -> None:
    """Facts and flags the way ``palmyra check`` writes them: one date fact (error), one count fact (warning)."""
    run_id = (db.execute("select coalesce(max(id), 0) + 1 from runs").fetchone()[0])
    db["runs"].insert({"id": run_id, "started": "2024-01-01T00:00:00", "finished": "2024-01-01T00:00:01",
                       "rule_files": json.dumps(["fixture"]), "rule_count": 2, "outcome": "flags"})
    claims = [dict(r) for r in db.query(
        "select claims.*, articles.source from claims join articles on articles.id = claims.article_id"
        " where claims.article_id != ? order by articles.published, claims.start", [XSS_ARTICLE_ID])]
    plans = [("date", "fixture-date", "Date of the fighting", "error"),
             ("count", "fixture-count", "Number of militants", "warning")]
    for kind, fact_id, label, severity in plans:
        picked: dict[str, dict[str, Any]] = {}
        for c in claims:
            if c["kind"] == kind and c["article_id"] not in picked:
                picked[c["article_id"]] = c
        chosen = list(picked.values())[:4]
        if len(chosen) < 2:
            continue
        db["facts"].insert({"id": fact_id, "label": label, "kind": kind, "origin": "fixture",
                            "claim_count": len(chosen), "source_count": len({c["source"] for c in chosen}),
                            "flag_count": 1, "max_severity": severity})
        db["fact_claims"].insert_all(
            {"fact_id": fact_id, "claim_id": c["id"], "reason": "fixture"} for c in chosen)
        pair = [chosen[0], chosen[-1]]
        ids = [c["id"] for c in pair]
        fid = _flag_id(f"{kind}-disagree", ids)
        db["flags"].insert({
            "id": fid, "run_id": run_id, "rule": f"{kind}-disagree", "rule_kind": "consistency",
            "severity": severity, "certainty": "necessarily", "fact": fact_id,
            "message": f"{pair[0]['source']} says {pair[0]['text']}, {pair[1]['source']} says {pair[1]['text']}",
            "claim_ids": json.dumps(ids), "article_ids": json.dumps([c["article_id"] for c in pair]),
            "sources": json.dumps(sorted({c["source"] for c in pair})),
            "intervals": json.dumps([[c["low"], c["high"]] for c in pair]), "gap": 1.0, "tolerance": "0"})
        db["flag_claims"].insert_all({"flag_id": fid, "claim_id": c, "severity": severity} for c in ids)
    _xss_flag(db, run_id, xss_claims)


def _xss_flag(db, run_id: int, xss_claims: list[str]) -> None:
    db["facts"].upsert({"id": XSS_FACT_ID, "label": XSS, "kind": "count", "origin": XSS, "claim_count": 1,
                        "source_count": 1, "flag_count": 1, "max_severity": "info"}, pk="id")
    db["fact_claims"].upsert({"fact_id": XSS_FACT_ID, "claim_id": xss_claims[0], "reason": XSS},
                             pk=("fact_id", "claim_id"))
    db["flags"].upsert({
        "id": XSS_FLAG_ID, "run_id": run_id, "rule": XSS, "rule_kind": "consistency", "severity": "info",
        "certainty": "possibly", "fact": XSS_FACT_ID, "message": XSS, "claim_ids": json.dumps(xss_claims[:1]),
        "article_ids": json.dumps([XSS_ARTICLE_ID]), "sources": json.dumps([XSS]), "intervals": "[[120, 120]]",
        "gap": 0.0, "tolerance": XSS}, pk="id")
    db["flag_claims"].upsert({"flag_id": XSS_FLAG_ID, "claim_id": xss_claims[0], "severity": "info"},
                             pk=("flag_id", "claim_id"))


def build_palmyra_db(path: Path) -> Path:
    """The plugin's test database: seeds through the real loader, flags from the real check when present."""
    from datasette_palmyra import store
    from datasette_palmyra.load import load_paths

    load_paths(path, [str(SEEDS)], manifest=str(MANIFEST))
    db = store.open_db(path)
    store.ensure_schema(db)
    with db.conn:
        xss_claims = _xss_article(db)
    db.conn.close()
    checked = _run_real_check(path)
    db = store.open_db(path)
    if checked and db.execute("select count(*) from flags").fetchone()[0]:
        run_id = db.execute("select max(id) from runs").fetchone()[0]
        with db.conn:
            _xss_flag(db, run_id, xss_claims)
    else:
        with db.conn:
            _direct_flags(db, xss_claims)
    db.conn.close()
    # published files must be self-contained: checkpoint and leave WAL mode
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return path


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


def build_toll_db(folder: Path) -> Path:
    """The toll story through the real pipeline: files and a manifest, ``load_paths``, then the shipped rules
    with ``run_check``; the file is checkpointed out of WAL so it can be served immutable."""
    from datasette_palmyra import store
    from datasette_palmyra.check import run_check
    from datasette_palmyra.load import load_paths
    from datasette_palmyra.ruleset import load_ruleset

    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    lines = []
    for aid, source, published, lang, text in TOLL_ARTICLES:
        (corpus / f"{aid}.txt").write_text(text, "utf-8")
        lines.append(f"- {{path: {aid}.txt, id: {aid}, source: {source}, published: {published}, language: {lang}}}")
    (corpus / "manifest.yml").write_text("\n".join(lines) + "\n", "utf-8")
    path = folder / "toll.db"
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
