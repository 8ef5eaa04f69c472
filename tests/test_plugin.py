"""The Datasette plugin through ``datasette.client``: every page and its JSON, mutable and immutable,
permissions, escaping, table cells, canned queries and the render_cell cache."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
import yaml
from conftest import XSS, XSS_ARTICLE_ID, XSS_FACT_ID, build_palmyra_db, xss_flag_id
from datasette.app import Datasette
from markupsafe import escape

from datasette_palmyra.web import charts, databases, formats, options, pages, urls
from datasette_palmyra.web.urls import encode

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text())


def q(path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def ids(palmyra_db):
    """A flagged claim with its article and fact, read from the database (whatever rules produced them)."""
    claim_id, article_id, fact_id, flag_id, severity = q(
        palmyra_db,
        "select claims.id, claims.article_id, fact_claims.fact_id, flags.id, flags.severity from flag_claims"
        " join claims on claims.id = flag_claims.claim_id join flags on flags.id = flag_claims.flag_id"
        " join fact_claims on fact_claims.claim_id = claims.id"
        " where claims.article_id != ? order by flags.severity = 'error' desc, claims.id limit 1",
        [XSS_ARTICLE_ID],
    )[0]
    return {"claim": claim_id, "article": article_id, "fact": fact_id, "flag": flag_id, "severity": severity}


def article_path(article_id: str, suffix: str = "") -> str:
    return f"/-/palmyra/palmyra/articles/{encode(article_id)}{suffix}"


def fact_path(fact_id: str, suffix: str = "") -> str:
    return f"/-/palmyra/palmyra/facts/{encode(fact_id)}{suffix}"


def flag_path(flag_id: str, suffix: str = "") -> str:
    return f"/-/palmyra/palmyra/flags/{encode(flag_id)}{suffix}"


def actor_cookies(ds, actor: dict) -> dict:
    return {"ds_actor": ds.sign({"a": actor}, "actor")}


# -- pages and JSON ------------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_dashboard_html_and_json(make_datasette, palmyra_db, immutable):
    ds = await make_datasette(immutable=immutable, metadata=METADATA)
    before = hashlib.sha256(palmyra_db.read_bytes()).hexdigest()
    html = await ds.client.get("/-/palmyra")
    assert html.status_code == 200
    counts = dict(q(palmyra_db, "select severity, count(*) from flags group by severity"))
    for severity in counts:
        assert f'pm-badge pm-sev-{severity}' in html.text
    top_fact = q(palmyra_db, "select fact from flags where severity = 'error' and fact is not null limit 1")
    if top_fact:
        assert fact_path(top_fact[0][0]) in html.text
    for path in ("/-/palmyra.json", "/-/palmyra?_format=json"):
        data = (await ds.client.get(path)).json()
        (section,) = data["databases"]
        assert section["database"] == "palmyra"
        assert {r["severity"]: r["n"] for r in section["by_severity"]} == counts
        assert section["counts"]["flags"] == sum(counts.values())
        sources = {s for (s,) in q(palmyra_db, "select distinct j.value from flags, json_each(flags.sources) j")}
        assert {r["source"] for r in section["by_source"]} == sources
        rules = q(palmyra_db, "select rule, severity, count(*) from flags group by rule, severity")
        assert {(r["rule"], r["severity"]): r["n"] for r in section["by_rule"]} == {(r, s): n for r, s, n in rules}
        worst = [f["worst"] for f in section["facts"]]
        ranks = [formats.SEVERITY_RANK.get(w, 0) for w in worst]
        assert ranks == sorted(ranks, reverse=True), "facts with most conflict come first"
    assert hashlib.sha256(palmyra_db.read_bytes()).hexdigest() == before


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_article_page_highlights_every_claim(make_datasette, palmyra_db, ids, immutable):
    ds = await make_datasette(immutable=immutable)
    r = await ds.client.get(article_path(ids["article"]))
    assert r.status_code == 200
    claims = q(palmyra_db, "select id, kind, text from claims where article_id = ? order by start", [ids["article"]])
    spans = re.findall(r'<span class="(pm-claim[^"]*)" id="claim-([^"]+)"', r.text)
    assert len(spans) == len(claims)  # seeds have no overlapping claims
    by_id = {urllib.parse.unquote(cid): cls for cls, cid in spans}
    assert f"pm-sev-{ids['severity']}" in by_id[ids["claim"]]
    assert "pm-flagged" in by_id[ids["claim"]]
    flagged = {c for (c,) in q(palmyra_db, "select claim_id from flag_claims")}
    for cid, kind, _ in claims:
        assert ("pm-flagged" in by_id[cid]) == (cid in flagged)
        assert f"pm-kind-{kind}" in by_id[cid] or "pm-kind-other" in by_id[cid]
    assert fact_path(ids["fact"]) in r.text  # claim links to its fact
    assert f'id="flag-{urllib.parse.quote(ids["flag"], safe="")}"' in r.text  # and to its flags
    title = q(palmyra_db, "select title from articles where id = ?", [ids["article"]])[0][0]
    if title:
        assert str(escape(title)) in r.text

    for path in (article_path(ids["article"], ".json"), article_path(ids["article"]) + "?_format=json"):
        data = (await ds.client.get(path)).json()
        assert data["article"]["id"] == ids["article"]
        assert [c["id"] for c in data["claims"]] == [c[0] for c in claims]
        claim = next(c for c in data["claims"] if c["id"] == ids["claim"])
        assert claim["severity"] == ids["severity"]
        assert ids["fact"] in [f["id"] for f in claim["facts"]]
        assert ids["flag"] in [f["id"] for f in data["flags"]]


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_fact_page_side_by_side_with_strip(make_datasette, palmyra_db, ids, immutable):
    ds = await make_datasette(immutable=immutable)
    r = await ds.client.get(fact_path(ids["fact"]))
    assert r.status_code == 200
    members = q(palmyra_db, "select claims.id, articles.source, claims.text from fact_claims join claims"
                " on claims.id = fact_claims.claim_id join articles on articles.id = claims.article_id"
                " where fact_id = ?", [ids["fact"]])
    assert r.text.count('class="pm-source-card') == len(members)
    assert len(re.findall(r'<rect class="pm-bar ', r.text)) == len(members)
    for _, source, text in members:
        assert str(escape(source)) in r.text
        assert str(escape(text)) in r.text
    assert f'id="flag-{urllib.parse.quote(ids["flag"], safe="")}"' in r.text

    data = (await ds.client.get(fact_path(ids["fact"], ".json"))).json()
    assert data == (await ds.client.get(fact_path(ids["fact"]) + "?_format=json")).json()
    assert sorted(c["id"] for c in data["claims"]) == sorted(m[0] for m in members)
    # why each claim is there: fact_reasons' text, through fact_claims.reason_id, on the page and in JSON
    reasons = dict(q(palmyra_db, "select claim_id, reason from fact_claims join fact_reasons"
                     " on fact_reasons.id = reason_id where fact_id = ?", [ids["fact"]]))
    assert len(reasons) == len(members) and all(reasons.values())
    assert {c["id"]: c["reason"] for c in data["claims"]} == reasons
    for reason in set(reasons.values()):
        assert f"grouped: {escape(reason)}" in r.text
    strip = data["strip"]
    assert len(strip["bars"]) == len(members)
    for bar in strip["bars"]:
        assert strip["plot_x0"] - 2 <= bar["x0"] < bar["x1"] <= strip["plot_x1"] + 2
    assert ids["flag"] in [f["id"] for f in data["flags"]]


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_flag_page_shows_each_claim_in_its_sentence(make_datasette, palmyra_db, ids, immutable):
    """The flag page holds what a fact-checker decides from: every claim of the flag with its outlet, date
    and sentence, one strip bar per claim, the gap in words, the rule and why the claims were grouped."""
    ds = await make_datasette(immutable=immutable)
    r = await ds.client.get(flag_path(ids["flag"]))
    assert r.status_code == 200
    members = q(palmyra_db, "select claims.id, articles.source, articles.published, claims.text, articles.url,"
                " claims.sentence from flag_claims join claims on claims.id = flag_claims.claim_id"
                " join articles on articles.id = claims.article_id where flag_claims.flag_id = ?", [ids["flag"]])
    assert len(members) >= 2
    assert r.text.count('class="pm-source-card') == len(members)
    assert len(re.findall(r'<rect class="pm-bar ', r.text)) == len(members)
    for _, source, published, text, url, _ in members:
        assert str(escape(source)) in r.text
        assert str(escape(text)) in r.text
        assert str(published) in r.text
        if url and url.startswith("http"):
            assert f'href="{escape(url)}"' in r.text
    (message, rule, fact) = q(palmyra_db, "select message, rule, fact from flags where id = ?", [ids["flag"]])[0]
    assert str(escape(message)) in r.text and str(escape(rule)) in r.text
    if fact:
        assert fact_path(fact) in r.text

    data = (await ds.client.get(flag_path(ids["flag"], ".json"))).json()
    assert data == (await ds.client.get(flag_path(ids["flag"]) + "?_format=json")).json()
    assert sorted(c["id"] for c in data["claims"]) == sorted(m[0] for m in members)
    by_id = {m[0]: m for m in members}
    for c in data["claims"]:
        assert c["source"] == by_id[c["id"]][1] and c["published"] == by_id[c["id"]][2]
        assert c["quote"] == by_id[c["id"]][3]  # the claim, cut out of its own sentence
        assert (c["before"] + c["quote"] + c["after"]).strip() in " ".join(by_id[c["id"]][5].split()) or \
            c["quote"] in by_id[c["id"]][5]
    assert data["rule_text"] and data["rule_text"].endswith(".")
    assert len(data["strip"]["bars"]) == len(members)
    if data["flag"]["gap"] is not None:
        assert data["flag"]["gap_text"] and "e+" not in data["flag"]["gap_text"]
    assert data["reasons"], "why the claims were grouped"


@pytest.mark.parametrize("gap, unit, expected", [
    (12.0, "day", "12 days"),
    (1.0, "day", "1 day"),
    (36894.0, "day", "36,894 days"),
    (30000.0, "m", "30 km"),
    (250.0, "m", "250 m"),
    (1500.0, "count", "1,500"),
    (1500, None, "1,500"),
    (2.5, "percent", "2.5 percent"),
    (None, "day", None),
])
def test_gap_in_words(gap, unit, expected):
    assert formats.fmt_gap(gap, unit) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://tass.com/world/1", "https://tass.com/world/1"),
    (" http://nrk.no/a ", "http://nrk.no/a"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:text/html,x", None),
    ("//evil.example/x", None),
    (None, None),
    (5, None),
])
def test_only_web_links_become_links(url, expected):
    assert pages.safe_link(url) == expected


@pytest.mark.asyncio
async def test_strip_geometry_puts_intervals_on_one_axis(make_datasette):
    """Wider intervals get wider bars; disjoint intervals do not overlap; open bounds reach the edge."""
    claims = [
        {"id": "a", "kind": "count", "low": 100, "high": 200, "norm_unit": "count", "severity": None,
         "interval": "", "text": "", "source": "A", "published": None},
        {"id": "b", "kind": "count", "low": 300, "high": 300, "norm_unit": "count", "severity": "error",
         "interval": "", "text": "", "source": "B", "published": None},
        {"id": "c", "kind": "count", "low": 250, "high": None, "norm_unit": "count", "severity": None,
         "interval": "", "text": "", "source": "C", "published": None},
    ]
    strip = charts.build_strip(claims, "count", options.DEFAULT_SETTINGS)
    a, b, c = strip["bars"]
    assert a["x1"] < b["x0"]
    assert a["x1"] - a["x0"] > b["x1"] - b["x0"]
    assert c["open_high"] and c["x1"] == strip["plot_x1"]
    dates = [dict(claims[0], kind="date", low="2016-03-27", high="2016-03-27"),
             dict(claims[1], kind="date", low="2016-03-01", high="2016-03-31")]
    strip = charts.build_strip(dates, "date", options.DEFAULT_SETTINGS)
    day, month = strip["bars"]
    assert month["x0"] < day["x0"] < day["x1"] < month["x1"]
    assert strip["axis"]["unit"] == "day" and strip["ticks"][0]["label"].startswith("2016-")


@pytest.mark.asyncio
async def test_missing_things_are_404(make_datasette):
    ds = await make_datasette()
    for path in (article_path("no-such-article"), fact_path("no-such-fact"), flag_path("no-such-flag"),
                 flag_path("no-such-flag", ".json"), "/-/palmyra/nodb/articles/x",
                 article_path("no-such-article", ".json"), "/-/palmyra-static/../plugin.py",
                 "/-/palmyra-static/nothing.css"):
        assert (await ds.client.get(path)).status_code == 404, path
    css = await ds.client.get("/-/palmyra-static/palmyra.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


# -- permissions --------------------------------------------------------------------------------------------

ROOT_ONLY = {"id": "root"}


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
@pytest.mark.parametrize("where", ["instance", "database", "table"])
async def test_allow_blocks_are_respected(make_datasette, ids, immutable, where):
    if where == "instance":
        metadata = {"allow": ROOT_ONLY}
    elif where == "database":
        metadata = {"databases": {"palmyra": {"allow": ROOT_ONLY}}}
    else:
        metadata = {"databases": {"palmyra": {"tables": {t: {"allow": ROOT_ONLY} for t in
                                                        ("articles", "claims", "flags", "facts")}}}}
    ds = await make_datasette(immutable=immutable, metadata=metadata)
    pages = [article_path(ids["article"]), article_path(ids["article"], ".json"), fact_path(ids["fact"]),
             fact_path(ids["fact"], ".json"), flag_path(ids["flag"]), flag_path(ids["flag"], ".json")]
    for path in pages:
        assert (await ds.client.get(path)).status_code == 403, path
        allowed = await ds.client.get(path, cookies=actor_cookies(ds, {"id": "root"}))
        assert allowed.status_code == 200, path
        other = await ds.client.get(path, cookies=actor_cookies(ds, {"id": "someone"}))
        assert other.status_code == 403, path
    anon = await ds.client.get("/-/palmyra.json")
    if where == "instance":
        assert anon.status_code == 403
    else:
        assert anon.status_code == 200 and anon.json()["databases"] == []
    root = await ds.client.get("/-/palmyra.json", cookies=actor_cookies(ds, {"id": "root"}))
    assert [s["database"] for s in root.json()["databases"]] == ["palmyra"]
    home = await ds.client.get("/-/palmyra", cookies=actor_cookies(ds, {"id": "root"}))
    assert home.status_code == 200 and fact_path(ids["fact"]) in home.text


ADMIN = {"id": "admin"}


def flag_texts(path: Path, where: str = "", params=()) -> list[str]:
    """Escaped flag messages, as they would appear in HTML."""
    return [str(escape(m)) for (m,) in q(path, f"select message from flags {where}", params) if m]


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
@pytest.mark.parametrize("restricted", ["flags", "flag_claims"])
async def test_flags_behind_allow_block_stay_hidden(make_datasette, palmyra_db, ids, immutable, restricted):
    """An allow block on the flags (or flag_claims) table: pages about articles and facts still render what
    the actor may see, without any flag; the claims table has no marker; the dashboard (about flags) lists
    nothing. The admin sees all of it, and one request's answer does not leak into the next."""
    ds = await make_datasette(immutable=immutable, metadata={
        "databases": {"palmyra": {"tables": {restricted: {"allow": ADMIN}}}}})
    admin = actor_cookies(ds, ADMIN)
    article_flags = flag_texts(palmyra_db, "where id in (select flag_id from flag_claims join claims on"
                               " claims.id = flag_claims.claim_id where claims.article_id = ?)", [ids["article"]])
    fact_flags = flag_texts(palmyra_db, "where fact = ?", [ids["fact"]])
    all_flags = flag_texts(palmyra_db)
    assert article_flags and fact_flags
    assert (await ds.client.get(f"/palmyra/{restricted}.json")).status_code == 403

    for cookies in ({}, admin, {}):  # anonymous, admin, anonymous again in the same datasette
        shown = bool(cookies)
        art = await ds.client.get(article_path(ids["article"]), cookies=cookies)
        assert art.status_code == 200
        assert all((m in art.text) == shown for m in article_flags)
        assert ("pm-flagged" in art.text) == shown and ("pm-flagref" in art.text) == shown
        assert fact_path(ids["fact"]) in art.text  # facts are still linked
        art_json = (await ds.client.get(article_path(ids["article"], ".json"), cookies=cookies)).json()
        assert bool(art_json["flags"]) == shown and art_json["hidden"] == ([] if shown else ["flags"])
        claim = next(c for c in art_json["claims"] if c["id"] == ids["claim"])
        assert bool(claim["flags"]) == shown and (claim["severity"] == ids["severity"]) == shown
        assert any(c["flags"] or c["severity"] for c in art_json["claims"]) == shown

        fact = await ds.client.get(fact_path(ids["fact"]), cookies=cookies)
        assert fact.status_code == 200 and 'class="pm-strip"' in fact.text
        assert all((m in fact.text) == shown for m in fact_flags)
        fact_json = (await ds.client.get(fact_path(ids["fact"], ".json"), cookies=cookies)).json()
        assert bool(fact_json["flags"]) == shown and len(fact_json["claims"]) >= 2
        assert ("max_severity" in (fact_json["fact"] or {})) == shown
        assert all(b["severity"] is None for b in fact_json["strip"]["bars"]) != shown

        claims = await ds.client.get("/palmyra/claims?_size=max", cookies=cookies)
        assert claims.status_code == 200
        assert ("pm-marker" in claims.text) == shown
        assert all((m in claims.text) == shown for m in all_flags)

        # the dashboard reads the flags table alone: hidden with it, shown when only flag_claims is restricted
        listed_db = shown or restricted == "flag_claims"
        dash = (await ds.client.get("/-/palmyra.json", cookies=cookies)).json()
        assert [s["database"] for s in dash["databases"]] == (["palmyra"] if listed_db else [])
        html = (await ds.client.get("/-/palmyra", cookies=cookies)).text
        assert ('class="pm-section"' in html) == listed_db and ('class="pm-empty"' in html) != listed_db
        listed = [str(escape(f["message"])) for s in dash["databases"]
                  for f in s["lower_than_earlier"] + s["corrections"] if f["message"]]
        assert all(m in html for m in listed)


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_facts_behind_allow_block_stay_hidden(make_datasette, palmyra_db, ids, immutable):
    """An allow block on facts: the fact page is about a fact, so 403; the article page drops its fact links,
    the dashboard its facts table; the admin sees both."""
    ds = await make_datasette(immutable=immutable, metadata={
        "databases": {"palmyra": {"tables": {"facts": {"allow": ADMIN}}}}})
    admin = actor_cookies(ds, ADMIN)
    for cookies in ({}, admin):
        shown = bool(cookies)
        assert (await ds.client.get(fact_path(ids["fact"]), cookies=cookies)).status_code == (200 if shown else 403)
        art = await ds.client.get(article_path(ids["article"]), cookies=cookies)
        assert art.status_code == 200 and (fact_path(ids["fact"]) in art.text) == shown
        data = (await ds.client.get(article_path(ids["article"], ".json"), cookies=cookies)).json()
        assert any(c["facts"] for c in data["claims"]) == shown and ("facts" in data["hidden"]) != shown
        assert data["flags"]  # flags are not restricted here
        (section,) = (await ds.client.get("/-/palmyra.json", cookies=cookies)).json()["databases"]
        assert bool(section["facts"]) == shown and ("facts" in section["counts"]) == shown
        html = (await ds.client.get("/-/palmyra", cookies=cookies)).text
        assert ("/-/palmyra/palmyra/facts/" in html) == shown  # no link to a page that would say 403


@pytest.mark.asyncio
async def test_plugin_routes_refuse_writes(make_datasette, palmyra_db, ids):
    ds = await make_datasette()
    before = hashlib.sha256(palmyra_db.read_bytes()).hexdigest()
    paths = ["/-/palmyra", "/-/palmyra.json", article_path(ids["article"]), fact_path(ids["fact"], ".json"),
             flag_path(ids["flag"]), "/-/palmyra-static/palmyra.css"]
    for path in paths:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = await ds.client.request(method, path)
            assert r.status_code == 405, (method, path, r.status_code)
            assert r.headers["allow"] == "GET, HEAD"
        assert (await ds.client.get(path)).status_code == 200, path
    assert hashlib.sha256(palmyra_db.read_bytes()).hexdigest() == before


@pytest.mark.asyncio
async def test_stylesheet_linked_once(make_datasette, ids):
    ds = await make_datasette(metadata=METADATA)
    for path in ("/-/palmyra", article_path(ids["article"]), fact_path(ids["fact"]), flag_path(ids["flag"]),
                 "/palmyra/claims"):
        html = (await ds.client.get(path)).text
        assert html.count("/-/palmyra-static/palmyra.css") == 1, path


# -- table pages --------------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_claims_table_marks_flagged_claims(make_datasette, palmyra_db, immutable):
    ds = await make_datasette(immutable=immutable, metadata=METADATA)
    r = await ds.client.get("/palmyra/claims?_size=max")
    assert r.status_code == 200
    markers = re.findall(r'<a class="pm-marker pm-sev-(\w+)" href="([^"]+)" title="([^"]*)">', r.text)
    flagged = q(palmyra_db, "select flag_claims.claim_id, flags.id, flags.message from flag_claims"
                " join flags on flags.id = flag_claims.flag_id")
    assert len(markers) == len({c for c, _, _ in flagged})
    hrefs = {h for _, h, _ in markers}
    assert hrefs <= {flag_path(flag_id) for _, flag_id, _ in flagged}  # each links its worst flag
    assert {s for s, _, _ in markers} == {s for (s,) in q(palmyra_db, "select distinct severity from flags")}
    for _, _, message in flagged:  # every flag's message is in its claim's tooltip
        assert any(str(escape(message)) in t for _, _, t in markers)
    assert "/-/palmyra" in r.text  # table action and menu link
    assert "/-/palmyra-static/palmyra.css" in r.text


@pytest.mark.asyncio
async def test_flags_table_links_claims_articles_and_facts(make_datasette, palmyra_db, ids):
    ds = await make_datasette(metadata=METADATA)
    r = await ds.client.get("/palmyra/flags?_size=max")
    assert r.status_code == 200
    assert urls.article_url(ds, "palmyra", ids["article"], ids["claim"]).replace("&", "&amp;") in r.text
    assert f'href="{article_path(ids["article"])}"' in r.text
    assert f'href="{fact_path(ids["fact"])}"' in r.text
    # facets from the plugin (table_config.yml): rule, severity, fact, sources (array)
    data = (await ds.client.get("/palmyra/flags.json?_extra=facet_results")).json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"rule", "severity", "fact", "sources"} <= set(facets)


@pytest.mark.asyncio
async def test_render_cell_reads_flags_once_and_sees_changes(tmp_path, monkeypatch):
    """No query per cell: one load per database until its file changes, then a fresh load."""
    from datasette.app import Datasette

    path = tmp_path / "palmyra.db"
    build_palmyra_db(path)
    calls = []
    real = databases.load_flags

    async def counting(datasette, database):
        calls.append(database)
        return await real(datasette, database)

    monkeypatch.setattr(databases, "load_flags", counting)
    ds = Datasette([str(path)])
    await ds.invoke_startup()
    first = await ds.client.get("/palmyra/claims?_size=max")
    second = await ds.client.get("/palmyra/claims?_size=max")
    assert first.status_code == second.status_code == 200
    assert first.text.count("pm-marker pm-sev") == second.text.count("pm-marker pm-sev") > 0
    assert len(calls) == 1
    unflagged = q(path, "select id from claims where id not in (select claim_id from flag_claims) limit 1")[0][0]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("insert into flags (id, rule, severity, message, claim_ids) values ('new', 'r', 'error',"
                     " 'fresh flag', ?)", [json.dumps([unflagged])])
        conn.execute("insert into flag_claims values ('new', ?, 'error')", [unflagged])
    conn.close()
    third = await ds.client.get("/palmyra/claims?_size=max")
    assert len(calls) == 2
    assert third.text.count("pm-marker pm-sev") == first.text.count("pm-marker pm-sev") + 1
    assert 'title="error: fresh flag"' in third.text


@pytest.mark.asyncio
async def test_hooks_survive_foreign_databases(tmp_path):
    """A database with a ``claims`` table that is not ours must render as usual, not 500."""
    from datasette.app import Datasette

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table claims (id integer primary key, text text)")
    conn.execute("create table flags (rowid_ integer, claim_ids text, fact text)")
    conn.execute("insert into claims (text) values ('hello')")
    conn.execute("insert into flags values (1, 'not json', null)")
    conn.commit()
    conn.close()
    ds = Datasette([str(other)])
    await ds.invoke_startup()
    for path in ("/other/claims", "/other/flags", "/-/palmyra", "/other"):
        assert (await ds.client.get(path)).status_code == 200, path


@pytest.mark.asyncio
async def test_menu_link_and_base_url(make_datasette, ids):
    ds = await make_datasette(metadata=METADATA, settings={"base_url": "/news/"})
    home = await ds.client.get("/")
    assert 'href="/news/-/palmyra"' in home.text
    dash = await ds.client.get("/-/palmyra")
    assert dash.status_code == 200
    assert f'href="/news{fact_path(ids["fact"])}"' in dash.text
    art = await ds.client.get(article_path(ids["article"]))
    assert art.status_code == 200 and 'href="/news/-/palmyra-static/palmyra.css"' in art.text
    hrefs = re.findall(r'href="(/[^"]*)"', art.text)
    assert hrefs and all(h.startswith("/news/") for h in hrefs), [h for h in hrefs if not h.startswith("/news/")]


# -- canned queries and metadata ----------------------------------------------------------------------------


def test_metadata_leaves_the_queries_to_the_plugin():
    """One source of the canned queries: a copy in metadata.yml would escape the plugin's denials on 0.65."""
    assert "queries" not in METADATA["databases"]["palmyra"]
    assert METADATA["plugins"]["datasette-palmyra"].keys() <= options.DEFAULT_SETTINGS.keys()


@pytest.mark.asyncio
@pytest.mark.parametrize("metadata", [None, METADATA])
async def test_canned_queries_run(make_datasette, ids, metadata):
    ds = await make_datasette(metadata=metadata)
    by_source = await ds.client.get("/palmyra/conflicts_by_source.json?_shape=array")
    assert by_source.status_code == 200 and by_source.json()
    of_fact = await ds.client.get(f"/palmyra/claims_of_fact.json?_shape=array&fact={ids['fact']}")
    assert ids["claim"] in [r["claim_id"] for r in of_fact.json()]
    relative = await ds.client.get("/palmyra/unresolved_relative_dates.json?_shape=array")
    assert relative.status_code == 200
    for row in relative.json():
        assert row["low"] is None or row["high"] is None or row["low"] != row["high"]


QUERY_PATHS = {
    "conflicts_by_source": "/palmyra/conflicts_by_source.json?_shape=array",
    "claims_of_fact": "/palmyra/claims_of_fact.json?_shape=array&fact=x",
    "unresolved_relative_dates": "/palmyra/unresolved_relative_dates.json?_shape=array",
    "open_flags": "/palmyra/open_flags.json?_shape=array",
}


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
@pytest.mark.parametrize("denied, closed", [
    ("flags", {"conflicts_by_source", "open_flags"}),
    ("reviews", {"open_flags"}),
    ("claims", {"claims_of_fact", "unresolved_relative_dates"}),
    ("fact_reasons", {"claims_of_fact"}),
    ("articles", {"claims_of_fact", "unresolved_relative_dates"}),
])
async def test_canned_queries_are_denied_with_the_tables_they_read(make_datasette, ids, immutable, denied, closed):
    """A canned query's SQL is not subject to table allow blocks: the plugin denies each query to an actor who
    may not view one of its tables, on both lines, with the allow block that the README shows."""
    ds = await make_datasette(immutable=immutable, metadata={
        "databases": {"palmyra": {"tables": {denied: {"allow": ADMIN}}}}})
    admin = actor_cookies(ds, ADMIN)
    for name, path in QUERY_PATHS.items():
        anon = await ds.client.get(path)
        assert anon.status_code == (403 if name in closed else 200), (name, anon.status_code)
        assert (await ds.client.get(path, cookies=admin)).status_code == 200, name
    listed = (await ds.client.get("/palmyra.json")).json()
    names = {q["name"] for q in listed.get("queries", [])}
    assert names.isdisjoint(closed) and set(QUERY_PATHS) - closed <= names


@pytest.mark.asyncio
async def test_readme_permission_configuration_works_as_written(make_datasette, ids):
    """The README's deny-SQL example starts Datasette and closes ?sql= to anonymous users, on both lines."""
    block = README.split("<!-- permissions-example -->", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    config = yaml.safe_load(block)
    on_1_0 = hasattr(Datasette, "allowed")
    ds = await make_datasette(**({"config": config} if on_1_0 else {"metadata": config}))
    sql = ("/palmyra/-/query.json" if on_1_0 else "/palmyra.json") + "?sql=select+id+from+flags"
    r = await ds.client.get(sql)
    assert r.status_code == 403, r.status_code
    assert (await ds.client.get("/palmyra/flags.json")).status_code == 403
    assert (await ds.client.get(QUERY_PATHS["conflicts_by_source"])).status_code == 403
    admin = actor_cookies(ds, ADMIN)
    for path in (sql, "/palmyra/flags.json", QUERY_PATHS["conflicts_by_source"]):
        assert (await ds.client.get(path, cookies=admin)).status_code == 200, path
    assert (await ds.client.get("/palmyra/articles.json")).status_code == 200


# -- escaping -----------------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_injected_markup_renders_inert_everywhere(make_datasette, palmyra_db, immutable):
    ds = await make_datasette(immutable=immutable, metadata=METADATA)
    pages = ["/-/palmyra", article_path(XSS_ARTICLE_ID), fact_path(XSS_FACT_ID), "/palmyra/claims?_size=max",
             "/palmyra/flags?_size=max", "/palmyra/facts", "/palmyra/articles",
             f"/palmyra/flags/{encode(xss_flag_id(palmyra_db))}", flag_path(xss_flag_id(palmyra_db))]
    for path in pages:
        r = await ds.client.get(path)
        assert r.status_code == 200, path
        assert '<script>alert("x")' not in r.text, path
        assert 'alert("x")</script>' not in r.text, path
        assert '"onmouseover=' not in r.text, path
        assert not re.search(r"<[^>]*\sonmouseover=", r.text), path
        assert 'href="javascript:' not in r.text, path
    art = await ds.client.get(article_path(XSS_ARTICLE_ID))
    assert "&lt;script&gt;alert(" in art.text  # shown, as text
    assert art.text.count('class="pm-claim') >= 2
    for path in (article_path(XSS_ARTICLE_ID, ".json"), fact_path(XSS_FACT_ID, ".json")):
        r = await ds.client.get(path)
        assert r.headers["content-type"].startswith("application/json")
        assert XSS in r.text.replace('\\"', '"')  # JSON keeps the data, the content type keeps it inert


def test_copy_of_fixture_is_not_in_wal_mode(palmyra_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(palmyra_db, copy)
    assert q(copy, "pragma journal_mode")[0][0] != "wal"
    assert q(copy, "select count(*) from flags")[0][0] > 0


# -- facts that change over time: the as-of chart and the dashboard's findings -----------------------------


async def toll_datasette(path: Path, immutable: bool = False):
    from datasette.app import Datasette

    ds = Datasette(**({"immutables": [str(path)]} if immutable else {"files": [str(path)]}))
    await ds.invoke_startup()
    return ds


def toll_fact(path: Path) -> str:
    (fact,) = q(path, "select fact_id from fact_claims join claims on claims.id = fact_claims.claim_id"
                      " where claims.article_id = 'hp-thu' and claims.kind = 'count'")[0]
    return fact


def toll_path(fact_id: str, suffix: str = "") -> str:
    return f"/-/palmyra/toll/facts/{encode(fact_id)}{suffix}"


def point_of(chart: dict, article: str) -> dict:
    (point,) = [p for p in chart["points"] if p["claim_id"].startswith(article + ":")]
    return point


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_cumulative_fact_chart_json(toll_db, immutable):
    """The toll, built by the real loader and rules: one point per dated figure at its as-of date with its
    interval, a line through the running maximum of the lower bounds, the outlier and the correction named."""
    ds = await toll_datasette(toll_db, immutable)
    fact = toll_fact(toll_db)
    assert q(toll_db, "select varies from facts where id = ?", [fact]) == [("cumulative",)]
    data = (await ds.client.get(toll_path(fact, ".json"))).json()
    chart = data["chart"]
    assert data["varies"] == chart["varies"] == "cumulative"
    assert chart["line_kind"] == "running maximum of the lower bounds"
    dated = q(toll_db, "select claims.id, claims.as_of_low, claims.low, claims.high from fact_claims"
                       " join claims on claims.id = fact_claims.claim_id"
                       " where fact_claims.fact_id = ? and claims.as_of_low is not null", [fact])
    assert {p["claim_id"] for p in chart["points"]} == {r[0] for r in dated}
    by_id = {p["claim_id"]: p for p in chart["points"]}
    for cid, as_of, low, high in dated:
        p = by_id[cid]
        assert (p["as_of"], p["low"], p["high"]) == (as_of, low, high)
        assert p["interval"] and p["x"] > 0 and p["y0"] < p["y1"]
    assert [p["as_of"] for p in chart["points"]] == sorted(p["as_of"] for p in chart["points"])
    # the story: the toll rises over the week; Thursday's 150 is below Wednesday's 180
    assert point_of(chart, "hp-thu")["role"] == "lower_than_earlier"
    assert point_of(chart, "vw-wed")["role"] == "earlier"
    assert point_of(chart, "gd-sat")["role"] == "correction"
    assert point_of(chart, "vw-mon")["open_high"] and point_of(chart, "vw-mon")["high"] is None
    lower_severity = q(toll_db, "select severity from flags where fact = ? and message like 'lower than earlier%'",
                       [fact])
    assert point_of(chart, "hp-thu")["severity"] == lower_severity[0][0]
    assert {(link["from"].split(":")[0], link["to"].split(":")[0]) for link in chart["links"]} == {("vw-wed", "hp-thu")}
    steps = [(s["as_of"], s["level"]) for s in chart["line"]]
    assert steps == [("2024-04-01", 40), ("2024-04-02", 95), ("2024-04-03", 180), ("2024-04-05", 280),
                     ("2024-04-06", 260), ("2024-04-07", 320)]
    # higher on the page = larger figure: the step line's corners sit on the lower bounds it passes through
    assert all(a["y"] > b["y"] for a, b in zip(chart["line"][:3], chart["line"][1:4], strict=True))
    # a fact's strip is still part of the JSON
    assert len(data["strip"]["bars"]) == len(data["claims"])


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_cumulative_fact_page_draws_step_chart(toll_db, immutable):
    ds = await toll_datasette(toll_db, immutable)
    fact = toll_fact(toll_db)
    html = (await ds.client.get(toll_path(fact))).text
    chart = (await ds.client.get(toll_path(fact, ".json"))).json()["chart"]
    svg = html[html.index('<svg class="pm-chart"'):]
    svg = svg[: svg.index("</svg>")]
    assert svg.count('class="pm-cbar-rect"') == len(chart["points"])
    assert 'class="pm-step pm-step-cumulative"' in svg
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    outlier = point_of(chart, "hp-thu")
    group = svg[svg.index(f'data-claim="{outlier["claim_id"]}"'):]
    group = group[: group.index("</g>")]
    assert "pm-role-lower_than_earlier" in svg and "lower than earlier" in group
    assert f'fill="{options.DEFAULT_SETTINGS["severity_colors"][outlier["severity"]]}"' in group
    assert "running maximum of the lower bounds" in html
    assert "Mon 1 Apr" in svg and "Sun 7 Apr" in svg
    # the side-by-side cards say what date each figure refers to and how it was framed
    assert "as of 2024-04-06" in html and "correction: revised down to" in html


@pytest.mark.asyncio
async def test_fixed_fact_keeps_the_strip(toll_db):
    ds = await toll_datasette(toll_db)
    (fact,) = q(toll_db, "select id from facts where kind = 'date' and varies = 'fixed' and claim_count > 1")[0]
    data = (await ds.client.get(toll_path(fact, ".json"))).json()
    assert data["varies"] == "fixed" and data["chart"] is None
    html = (await ds.client.get(toll_path(fact))).text
    assert 'class="pm-strip"' in html and 'class="pm-chart"' not in html


@pytest.mark.asyncio
async def test_snapshot_fact_chart_joins_best_estimates(toll_db, tmp_path):
    path = tmp_path / "toll.db"
    shutil.copy(toll_db, path)
    fact = toll_fact(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update facts set varies = 'snapshot' where id = ?", [fact])
    conn.close()
    ds = await toll_datasette(path)
    chart = (await ds.client.get(toll_path(fact, ".json"))).json()["chart"]
    assert chart["varies"] == "snapshot" and chart["line_kind"].startswith("best estimate")
    # Thursday's level is Thursday's figure: a snapshot may fall
    assert ("2024-04-04", 150) in [(s["as_of"], s["level"]) for s in chart["line"]]
    html = (await ds.client.get(toll_path(fact))).text
    assert 'pm-step-snapshot' in html and "best estimate" in html


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_dashboard_separates_lower_than_earlier_and_corrections(toll_db, immutable):
    ds = await toll_datasette(toll_db, immutable)
    (section,) = (await ds.client.get("/-/palmyra.json")).json()["databases"]
    groups = {g["finding"]: g for g in section["by_finding"]}
    lower = q(toll_db, "select id, severity from flags where rule_kind = 'monotone'"
                       " and message like 'lower than earlier%'")
    corrections = q(toll_db, "select id from flags where severity = 'info' and message like 'correction%'")
    total = q(toll_db, "select count(*) from flags")[0][0]
    assert lower and corrections
    assert groups["lower_than_earlier"]["n"] == len(lower)
    assert groups["correction"]["n"] == len(corrections) and groups["correction"]["worst"] == "info"
    assert groups["disagreement"]["n"] >= 1  # Friday: 280 and 230 as of the same day
    assert sum(g["n"] for g in groups.values()) == total
    assert {f["id"] for f in section["lower_than_earlier"]} == {r[0] for r in lower}
    assert {f["id"] for f in section["corrections"]} == {r[0] for r in corrections}
    assert all(f["finding"] == "correction" and f["severity"] == "info" for f in section["corrections"])
    # the count links to exactly those flags in datasette's own table
    for key, expected in (("lower_than_earlier", lower), ("correction", corrections)):
        url = groups[key]["url"]
        table, query = url.split("?", 1)
        rows = (await ds.client.get(f"{table}.json?{query}&_shape=array")).json()
        assert {r["id"] for r in rows} == {r[0] for r in expected}, key
    html = (await ds.client.get("/-/palmyra")).text
    lower_part = html[html.index('id="lower-than-earlier"'):html.index('id="corrections"')]
    assert "Harbour Post" in lower_part and "pm-flag-lower" in lower_part
    correction_part = html[html.index('id="corrections"'):]
    assert "pm-flag-correction" in correction_part and "revised down to" in correction_part
    assert "Disagreements" in html


@pytest.mark.asyncio
async def test_chart_and_findings_render_injected_markup_inert(toll_db, tmp_path):
    path = tmp_path / "toll.db"
    shutil.copy(toll_db, path)
    fact = toll_fact(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update articles set source = ?, title = ? where id = 'hp-thu'", [XSS, XSS])
        conn.execute("update claims set cue = ?, text = ? where article_id in ('hp-thu', 'gd-sat')"
                     " and kind = 'count'", ["correction: " + XSS, XSS])
        conn.execute("update flags set message = message || ?", [XSS])
        conn.execute("update facts set label = ? where id = ?", [XSS, fact])
    conn.close()
    ds = await toll_datasette(path)
    for page in (toll_path(fact), "/-/palmyra"):
        html = (await ds.client.get(page)).text
        assert "<script>alert" not in html and '"onmouseover="' not in html, page
        assert "&lt;script&gt;" in html, page
    data = (await ds.client.get(toll_path(fact, ".json"))).json()
    assert data["chart"]["points"]


def test_chart_geometry_edge_cases():
    """One figure, an open lower bound, a figure without an as-of date, a date claim: the chart still draws
    what it can, lists the rest as undated, and stays inside its plot."""
    conf = options.settings(type("DS", (), {"plugin_config": staticmethod(lambda *a, **k: None)})())

    def claim(cid, low, high, as_of, kind="count", cue=None):
        return {"id": cid, "kind": kind, "low": low, "high": high, "as_of_low": as_of, "as_of_high": as_of,
                "cue": cue, "source": "S", "published": as_of, "article_url": "/a", "text": "t",
                "interval": formats.fmt_interval(low, high, "count"), "norm_unit": "count"}

    assert charts.build_chart([claim("a", 1, 1, "2024-01-01")], "fixed", [], conf) is None
    one = charts.build_chart([claim("a", 5, 5, "2024-01-01")], "cumulative", [], conf)
    (p,) = one["points"]
    assert one["plot"]["x0"] < p["x"] < one["plot"]["x1"] and one["plot"]["y0"] <= p["y0"] < p["y1"] <= one["plot"]["y1"]
    assert [(s["as_of"], s["level"]) for s in one["line"]] == [("2024-01-01", 5)]
    mixed = charts.build_chart([
        claim("a", None, 50, "2024-01-02"),  # "fewer than 50": no lower bound, so no level from it
        claim("b", 10, 20, "2024-01-01"),
        claim("c", 7, 7, None),
        claim("d", "2024-01-01", "2024-01-01", "2024-01-01", kind="date"),
    ], "cumulative", [], conf)
    assert [p["claim_id"] for p in mixed["points"]] == ["b", "a"] and mixed["undated"] == ["c", "d"]
    assert mixed["points"][1]["open_low"] and mixed["points"][1]["y1"] <= mixed["plot"]["y1"]
    assert [(s["as_of"], s["level"]) for s in mixed["line"]] == [("2024-01-01", 10)]
    svg = str(charts.chart_svg(mixed, options.DEFAULT_SETTINGS["severity_colors"]))
    assert svg.count('class="pm-cbar-rect"') == 2 and "pm-fade-down" in svg
    empty = charts.build_chart([claim("c", 7, 7, None)], "snapshot", [], conf)
    assert empty["points"] == [] and empty["undated"] == ["c"]


@pytest.mark.asyncio
async def test_fact_claims_table_labels_each_link_with_its_reason(make_datasette, palmyra_db):
    """fact_claims stores a reason_id; Datasette's own table view labels it with fact_reasons' text."""
    ds = await make_datasette()
    rows = (await ds.client.get("/palmyra/fact_claims.json?_labels=on&_shape=objects&_size=20")).json()["rows"]
    texts = dict(q(palmyra_db, "select id, reason from fact_reasons"))
    assert rows and all(r["reason_id"]["label"] == texts[r["reason_id"]["value"]] for r in rows)
    assert all(r["reason_id"]["label"].startswith(("default grouping", "declared fact")) for r in rows)


def _plugin_options(options: dict) -> dict:
    """Datasette keyword arguments carrying the plugin's options: in ``config`` on 1.0, in ``metadata``
    on 0.65 (told apart by ``Datasette.allowed``: under pytest, datasette 1.0 wraps ``__init__``, whose
    signature then names no parameter)."""
    block = {"plugins": {"datasette-palmyra": options}}
    return {"config": block} if hasattr(Datasette, "allowed") else {"metadata": block}


@pytest.mark.asyncio
@pytest.mark.parametrize("options, expect", [
    ({"strip_width": "wide"}, "strip_width: 'wide' is not a whole number from 200 to 4000"),
    ({"context_chars": 1e20}, "context_chars: '1e+20' is not a whole number from 0 to 5000"),
    ({"dashboard_facts": True}, "dashboard_facts: 'True' is not a whole number"),
    ({"severity_colors": {"error": "red;background:url(x)"}}, "severity_colors.error: "),
    ({"severity_colors": {"fatal": "red"}}, "severity_colors.fatal: unknown severity"),
    ({"stripwidth": 600}, "stripwidth: unknown option"),
])
async def test_bad_plugin_options_stop_the_server_at_startup_named(make_datasette, options, expect):
    with pytest.raises(ValueError) as e:
        await make_datasette(**_plugin_options(options))
    assert expect in str(e.value) and "\n" not in str(e.value)


@pytest.mark.asyncio
async def test_good_plugin_options_are_used(make_datasette, ids):
    ds = await make_datasette(**_plugin_options({"strip_width": 640, "severity_colors": {"error": "#aa0000"}}))
    page = await ds.client.get(fact_path(ids["fact"]))
    assert page.status_code == 200 and 'width="640"' in page.text


def test_every_plugin_option_is_documented():
    table = README.split("Plugin options", 1)[1].split("The pages:", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
    assert documented == set(options.DEFAULT_SETTINGS)
