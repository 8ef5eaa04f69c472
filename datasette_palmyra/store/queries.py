"""The plugin's reads of a checked database: every SQL statement its pages and hooks run, each by name.

The other modules of ``store`` own the schema and the writes; this one owns what the Datasette pages read
from those tables, and the canned queries the plugin offers. Every function takes a Datasette
``Database`` (anything with async ``execute``, ``table_names`` and ``table_exists``) and reads through its
read-only connections, so the pages work on immutable files; nothing here writes, and nothing here imports
Datasette or the web package.
"""

from __future__ import annotations

from typing import Any

# -- canned queries --------------------------------------------------------------------------------------

# The tables each canned query reads: an actor who may not see one of them is not offered the query
# (datasette applies no table allow blocks to a canned query's SQL).
CANNED_QUERY_TABLES: dict[str, tuple[str, ...]] = {
    "conflicts_by_source": ("flags",),
    "claims_of_fact": ("fact_claims", "fact_reasons", "claims", "articles"),
    "unresolved_relative_dates": ("claims", "articles"),
    "open_flags": ("flags", "reviews"),
}

# Canned queries every palmyra database gets, from the plugin alone (metadata.yml does not repeat them).
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "conflicts_by_source": {
        "title": "Conflicts by source",
        "description": "Flags per outlet and severity: which sources disagree with others most.",
        "sql": (
            "select j.value as source, flags.severity, count(distinct flags.id) as flags\n"
            "from flags, json_each(flags.sources) as j\n"
            "where json_valid(flags.sources)\n"
            "group by j.value, flags.severity\n"
            "order by flags desc, source"
        ),
    },
    "claims_of_fact": {
        "title": "Claims of one fact",
        "description": "Every claim grouped into a fact, with its outlet, date and normalized interval.",
        "sql": (
            "select fact_claims.fact_id, claims.id as claim_id, articles.source, articles.published,\n"
            "  claims.text, claims.low, claims.high, claims.norm_unit, fact_reasons.reason\n"
            "from fact_claims\n"
            "join claims on claims.id = fact_claims.claim_id\n"
            "left join fact_reasons on fact_reasons.id = fact_claims.reason_id\n"
            "join articles on articles.id = claims.article_id\n"
            "where fact_claims.fact_id = :fact\n"
            "order by articles.published, articles.source"
        ),
    },
    "unresolved_relative_dates": {
        "title": "Unresolved relative dates",
        "description": "Date claims whose interval is open or wider than a month: relative words the "
        "publication date could not pin down.",
        "sql": (
            "select claims.id, claims.article_id, articles.published, claims.text, claims.low, claims.high,\n"
            "  claims.granularity, claims.basis\n"
            "from claims join articles on articles.id = claims.article_id\n"
            "where claims.kind = 'date'\n"
            "  and (claims.low is null or claims.high is null\n"
            "       or julianday(claims.high) - julianday(claims.low) > 31)\n"
            "order by articles.published"
        ),
    },
    "open_flags": {
        "title": "Open flags",
        "description": "Flags nobody has reviewed yet (palmyra review, or the flag page's form), most severe first.",
        "sql": (
            "select flags.id, flags.severity, flags.rule, flags.fact, flags.message, flags.sources\n"
            "from flags\n"
            "where flags.id not in (select flag_id from reviews)\n"
            "order by case flags.severity when 'error' then 0 when 'warning' then 1 else 2 end, flags.fact,"
            " flags.id"
        ),
    },
}


# Datasette 1.0's permission rows (``permission_resources_sql``): the databases the reviewers option names
# (``:palmyra_reviewed_dbs``, a JSON list) may be reviewed; the (database, query) pairs of
# ``:palmyra_denied_queries`` are closed to the actor.
REVIEWERS_ALLOWED_SQL = (
    "SELECT value AS parent, NULL AS child, 1 AS allow, "
    "'datasette-palmyra: named by the reviewers option' AS reason FROM json_each(:palmyra_reviewed_dbs)"
)
QUERIES_DENIED_SQL = (
    "SELECT json_extract(value, '$[0]') AS parent, json_extract(value, '$[1]') AS child, 0 AS allow, "
    "'datasette-palmyra: the query reads a table this actor may not view' AS reason "
    "FROM json_each(:palmyra_denied_queries)"
)


async def queries_for(db) -> dict[str, dict[str, Any]]:
    """The canned queries whose tables this database has (one checked before reviews existed has no
    reviews table, and a query over it would only fail)."""
    tables = set(await db.table_names())
    return {name: q for name, q in CANNED_QUERIES.items() if set(CANNED_QUERY_TABLES[name]) <= tables}


# -- rows by id --------------------------------------------------------------------------------------------


async def _dicts(db, sql: str, params: Any = None) -> list[dict[str, Any]]:
    return [dict(r) for r in await db.execute(sql, params or [])]


async def _one(db, table: str, row_id: str) -> dict[str, Any] | None:
    rows = (await db.execute(f"select * from {table} where id = ?", [row_id])).rows
    return dict(rows[0]) if rows else None


async def article_row(db, article_id: str) -> dict[str, Any] | None:
    return await _one(db, "articles", article_id)


async def fact_row(db, fact_id: str) -> dict[str, Any] | None:
    return await _one(db, "facts", fact_id)


async def flag_row(db, flag_id: str) -> dict[str, Any] | None:
    return await _one(db, "flags", flag_id)


async def flag_exists(db, flag_id: str) -> bool:
    return bool((await db.execute("select 1 from flags where id = ?", [flag_id])).rows)


# -- claims and their flags ----------------------------------------------------------------------------------


async def flagged_claims(db) -> list[Any]:
    """Every flagged claim with each of its flags: (claim_id, flag id, severity, rule, message, fact) rows,
    the claim's own severity in the flag when it has one."""
    return list(await db.execute(
        "select flag_claims.claim_id, flags.id, coalesce(flag_claims.severity, flags.severity) as severity,"
        " flags.rule, flags.message, flags.fact from flag_claims join flags on flags.id = flag_claims.flag_id"
    ))


async def article_claims(db, article_id: str) -> list[dict[str, Any]]:
    """An article's claims in text order."""
    return await _dicts(db, "select * from claims where article_id = ? order by start, end", [article_id])


async def facts_of_claims(db, claim_ids: list[str]) -> list[tuple[str, str]]:
    """(claim_id, fact_id) for each of these claims grouped into a fact."""
    ph = ",".join("?" * len(claim_ids))
    rows = await db.execute(f"select claim_id, fact_id from fact_claims where claim_id in ({ph})", claim_ids)
    return [(r[0], r[1]) for r in rows]


async def flags_of_claims(db, claim_ids: list[str]) -> list[dict[str, Any]]:
    """Each (claim, flag) pair of these claims: the flag's columns, ``claim_id`` and ``sev`` (the claim's
    severity in the flag, else the flag's), by flag id."""
    ph = ",".join("?" * len(claim_ids))
    return await _dicts(
        db,
        "select flag_claims.claim_id, coalesce(flag_claims.severity, flags.severity) as sev, flags.*"
        f" from flag_claims join flags on flags.id = flag_claims.flag_id where flag_claims.claim_id in ({ph})"
        " order by flags.id", claim_ids)


async def flags_of_fact(db, fact_id: str) -> list[dict[str, Any]]:
    """The flags raised on a fact, or on any of its claims."""
    return await _dicts(
        db, "select * from flags where fact = ? or id in (select flag_id from flag_claims where claim_id in"
        " (select claim_id from fact_claims where fact_id = ?))", [fact_id, fact_id])


async def _claims_in_context(db, source_sql: str, params: dict[str, Any], width: int) -> list[dict[str, Any]]:
    """Claim rows with their article's outlet, date, URL and language and a slice of the body around each
    (``width`` characters a side), read in one query; ``source_sql`` is the FROM ... WHERE part."""
    return await _dicts(
        db,
        "select claims.*, fact_reasons.reason, articles.source, articles.published, articles.url as article_link,"
        " articles.language as article_language, articles.title as article_title,"
        " substr(articles.body, max(1, claims.start + 1 - :w), claims.end - claims.start + 2 * :w) as window,"
        " max(0, claims.start - :w) as window_start, length(articles.body) as body_len "
        + source_sql + " order by articles.published, articles.source, claims.id",
        {**params, "w": width},
    )


async def fact_claims_in_context(db, fact_id: str, width: int) -> list[dict[str, Any]]:
    """A fact's claims, each with why it was grouped and ``width`` characters of its article a side."""
    return await _claims_in_context(
        db, "from fact_claims join claims on claims.id = fact_claims.claim_id"
        " left join fact_reasons on fact_reasons.id = fact_claims.reason_id"
        " left join articles on articles.id = claims.article_id where fact_claims.fact_id = :fact",
        {"fact": fact_id}, width)


async def flag_claims_in_context(db, flag_id: str, fact_id: str, width: int) -> list[dict[str, Any]]:
    """A flag's claims, each with why it was grouped into the flag's fact (``fact_id``, "" for none) and
    ``width`` characters of its article a side."""
    return await _claims_in_context(
        db, "from flag_claims join claims on claims.id = flag_claims.claim_id"
        " left join fact_claims on fact_claims.claim_id = claims.id and fact_claims.fact_id = :fact"
        " left join fact_reasons on fact_reasons.id = fact_claims.reason_id"
        " left join articles on articles.id = claims.article_id where flag_claims.flag_id = :flag",
        {"flag": flag_id, "fact": fact_id}, width)


async def flag_reviews(db, flag_id: str) -> list[dict[str, Any]]:
    """Verdicts recorded on a flag, newest first (none in a database checked before reviews existed)."""
    if not await db.table_exists("reviews"):
        return []
    return await _dicts(
        db, "select id, verdict, note, reviewer, time from reviews where flag_id = ? order by id desc", [flag_id])


# -- counts for the dashboard and the banner -----------------------------------------------------------------

SEVERITY_ORDER_SQL = "case severity when 'error' then 3 when 'warning' then 2 when 'info' then 1 else 0 end"


async def latest_run(db) -> dict[str, Any] | None:
    found = await _dicts(db, "select * from runs order by id desc limit 1")
    return found[0] if found else None


async def flags_by_severity(db) -> list[dict[str, Any]]:
    """(severity, n), most severe first."""
    return await _dicts(
        db, f"select severity, count(*) as n from flags group by severity order by {SEVERITY_ORDER_SQL} desc")


async def flags_by_rule(db) -> list[dict[str, Any]]:
    """(rule, severity, n), most flags first."""
    return await _dicts(
        db, "select rule, severity, count(*) as n from flags group by rule, severity"
        f" order by n desc, {SEVERITY_ORDER_SQL} desc")


async def flags_by_source(db) -> list[dict[str, Any]]:
    """(source, n): the flags each outlet is party to, most first."""
    return await _dicts(
        db, "select j.value as source, count(distinct flags.id) as n from flags, json_each(flags.sources) as j"
        " where json_valid(flags.sources) group by j.value order by n desc")


async def facts_most_flagged(db, limit: int) -> list[dict[str, Any]]:
    """Facts by their worst flag (as a rank, 3 = error) and number of flags: id, label, kind, source_count,
    claim_count, flags, worst."""
    return await _dicts(
        db,
        "select facts.id, facts.label, facts.kind, facts.source_count, facts.claim_count,"
        " coalesce(c.n, 0) as flags, c.worst from facts left join ("
        f"  select fact, count(*) as n, max({SEVERITY_ORDER_SQL}) as worst from flags group by fact"
        ") as c on c.fact = facts.id order by c.worst desc, flags desc, facts.id limit ?",
        [limit],
    )


async def table_counts(db, *, with_facts: bool) -> dict[str, Any]:
    """Rows in articles and flags (and facts, with ``with_facts``)."""
    return (await _dicts(
        db, "select (select count(*) from articles) as articles, (select count(*) from flags) as flags"
        + (", (select count(*) from facts) as facts" if with_facts else "")))[0]


async def latest_verdict_counts(db) -> list[dict[str, Any]]:
    """(verdict, n) over the flags' latest reviews, most first."""
    return await _dicts(
        db, "select r.verdict, count(*) as n from flags join reviews r on r.flag_id = flags.id"
        " where r.id = (select max(id) from reviews where flag_id = flags.id) group by r.verdict order by n desc")


# -- findings: what kind of conflict a flag reports ----------------------------------------------------------

# The rules engine names each finding (lower_than_earlier, same_as_of, correction, ...) in flags.finding. A flag
# without one (a database checked before the column was added) is classified by the first of these rows that
# holds, else by its rule kind ("other" for none): (finding, its rule kinds or None for any, the message's first
# words or None, its severity or None). The one statement of that classification: FINDING_FALLBACK_SQL says it
# in SQL, for the queries, and ``finding_of`` in Python, for rows already read.
FINDING_FALLBACK: tuple[tuple[str, tuple[str, ...] | None, str | None, str | None], ...] = (
    ("lower_than_earlier", ("monotone",), "lower than earlier", None),
    ("correction", None, "correction", "info"),
    ("disagreement", ("agree", "within_article", "monotone"), None, None),
)


def _fallback_sql() -> str:
    whens = []
    for finding, kinds, words, severity in FINDING_FALLBACK:
        tests = []
        if kinds is not None:
            tests.append(f"rule_kind in ({', '.join(repr(k) for k in kinds)})")
        if words is not None:
            tests.append(f"message like {words + '%'!r}")  # case-blind in ASCII, as finding_of compares
        if severity is not None:
            tests.append(f"severity = {severity!r}")
        whens.append(f" when {' and '.join(tests)} then {finding!r}")
    return "case" + "".join(whens) + " else coalesce(nullif(rule_kind, ''), 'other') end"


FINDING_FALLBACK_SQL = _fallback_sql()


def finding_of(row: dict[str, Any]) -> str:
    """A flag's finding, for a row already read: the stored one, else FINDING_FALLBACK's."""
    if row.get("finding"):
        return str(row["finding"])
    msg = (row.get("message") or "").lower()
    kind, severity = row.get("rule_kind"), row.get("severity")
    for finding, kinds, words, sev in FINDING_FALLBACK:
        if ((kinds is None or kind in kinds) and (words is None or msg.startswith(words))
                and (sev is None or severity == sev)):
            return finding
    return str(kind or "other")


async def has_finding_column(db) -> bool:
    """Whether the flags table stores each flag's finding (databases checked before it was added do not)."""
    try:
        cols = {r[1] for r in await db.execute("pragma table_info(flags)")}
    except Exception:
        cols = set()
    return "finding" in cols


def finding_sql(stored: bool) -> str:
    """SQL for a flag's finding: the stored column when the database has one (``stored``), else the
    fallback."""
    if stored:
        return f"coalesce(nullif(finding, ''), {FINDING_FALLBACK_SQL})"
    return FINDING_FALLBACK_SQL


async def flags_by_finding(db, stored: bool) -> list[dict[str, Any]]:
    """(finding, severity, n) over all flags."""
    return await _dicts(
        db, f"select {finding_sql(stored)} as finding, severity, count(*) as n from flags group by 1, 2")


async def flags_with_finding(db, stored: bool, finding: str, limit: int, *, fact_label: bool,
                             verdict: bool) -> list[dict[str, Any]]:
    """The first ``limit`` flags with this finding, most severe and most certain first; with their fact's
    label (``fact_label``, when the database has facts) and latest review verdict (``verdict``, when it has
    reviews)."""
    label = ", facts.label as fact_label" if fact_label else ""
    review = (", (select verdict from reviews where reviews.flag_id = flags.id order by reviews.id desc limit 1)"
              " as verdict" if verdict else "")
    join = " left join facts on facts.id = flags.fact" if label else ""
    return await _dicts(
        db, f"select flags.*{label}{review} from flags{join} where {finding_sql(stored)} = ?"
        f" order by {SEVERITY_ORDER_SQL} desc, certainty = 'necessarily' desc, flags.fact, flags.id limit ?",
        [finding, limit])
