"""Datasette hooks: flags next to the data, annotated articles, fact comparisons, a dashboard.

Thin on purpose: queries and page data live in ``views.py``. Only hook arguments that datasette 0.65 and
the 1.0 alphas share are declared (``render_cell`` without ``request``/``pks``), every hook is guarded so a
surprise in the data cannot turn a datasette page into a 500, and the pages never write (they answer 405
to anything but GET and HEAD). The one write is the review form's POST, for an actor with the
palmyra-review action on a mutable database only.

Permissions (datasette does not check plugin routes): each page needs view permission on the tables it is
about and shows the rest only when allowed. Article page: articles and claims, or 403; flags only with flags
and flag_claims, fact links only with facts and fact_claims. Fact page: facts, fact_claims, claims and
articles, or 403; its flags only with flags and flag_claims. Dashboard: a database is listed with flags and
articles; its facts table only with facts. Claims-table markers: only when this request's actor may see flags
and flag_claims. Flag page: flags, flag_claims, claims and articles, or 403; the fact's link only with facts,
its reviews only with reviews. JSON says what was left out under ``hidden``.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import json
import logging
import mimetypes
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup

from .. import store_queries, views

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_ROUTE = "/-/palmyra-static/"
TABLE_ACTION_TABLES = {"articles", "claims", "facts", "fact_claims", "fact_reasons", "flags", "flag_claims", "runs", "rule_results"}


def static_url(datasette, name: str) -> str:
    return datasette.urls.path(STATIC_ROUTE + name)


# -- the request behind a render_cell call ----------------------------------------------------------------

# render_cell gets no request on 0.65 (and declaring it breaks 0.65), yet a flag marker may only be drawn for
# an actor who may see the flags table. Every request gets a fresh holder here (asgi_wrapper); datasette hands
# the request to actor_from_request and then sets the resolved actor on that same object, so render_cell can
# read ``holder["request"].actor`` and keep its permission answer in the holder for the rest of the request.
_REQUEST: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("palmyra_request", default=None)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_holder(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            token = _REQUEST.set({})
            try:
                return await app(scope, receive, send)
            finally:
                _REQUEST.reset(token)

        return with_holder

    return wrap


@hookimpl
def actor_from_request(datasette, request):
    """Never names an actor: only remembers the request, whose ``actor`` datasette fills in next."""
    holder = _REQUEST.get()
    if holder is not None:
        holder["request"] = request
    return None


def current_actor() -> dict | None:
    holder = _REQUEST.get()
    request = holder.get("request") if holder else None
    return getattr(request, "actor", None)


def flags_visible_cached(database: str) -> bool | None:
    """This request's answer to "may the actor see flags and flag_claims here", if already asked."""
    holder = _REQUEST.get()
    return holder.get(("flags-visible", database)) if holder is not None else None


async def flags_visible(datasette, database: str) -> bool:
    holder = _REQUEST.get()
    key = ("flags-visible", database)
    if holder is not None and key in holder:
        return holder[key]
    ok = await views.can_view(datasette, current_actor(), database, views.FLAG_TABLES)
    if holder is not None:
        holder[key] = ok
    return ok


# -- static files -----------------------------------------------------------------------------------------


# Datasette finds this package's static/ and templates/ itself (templates by name; static files also at
# /-/static-plugins/datasette-palmyra/). The stylesheet keeps its own short route, /-/palmyra-static/, because
# pages and caches link it there and, like every plugin page, it answers 405 to anything but GET and HEAD.
async def static_view(request, datasette):
    name = request.url_vars["name"]
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        raise NotFound("No such file")
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(path.read_text("utf-8"), content_type=ctype + "; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})


# -- pages -------------------------------------------------------------------------------------------------


def wants_json(request) -> bool:
    return request.url_vars.get("format") == "json" or request.args.get("_format") == "json"


def json_response(data: Any) -> Response:
    return Response(json.dumps(data, default=str, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8")


def resolve_database(datasette, route: str) -> str:
    route = views.decode(route)
    try:
        return datasette.get_database(route=route).name
    except (KeyError, AttributeError, TypeError):
        if route in datasette.databases:
            return route
    raise NotFound(f"Database not found: {route}")


def severity_style(colors: dict[str, str]) -> Markup:
    """Configured severity colours as CSS variables; only plain colour values get through."""
    decls = "".join(f"--pm-{k}:{v};" for k, v in colors.items()
                    if k in views.SEVERITY_RANK and views.COLOR.fullmatch(str(v)))
    return Markup("<style>:root{{{}}}</style>").format(Markup(decls)) if decls else Markup("")


def read_only(view):
    """Plugin pages only read: anything but GET/HEAD is refused before any work is done."""
    @functools.wraps(view)
    async def guarded(request, datasette):
        if request.method not in ("GET", "HEAD"):
            return Response.text("405: these pages are read-only (GET or HEAD)", status=405,
                                 headers={"Allow": "GET, HEAD"})
        return await view(request, datasette)

    return guarded


async def render(datasette, request, template: str, context: dict[str, Any]) -> Response:
    # palmyra.css comes from extra_css_urls (every page gets it once); templates add only the colours
    context = {
        **context,
        "dashboard_url": views.dashboard_url(datasette),
        "home_url": datasette.urls.instance(),
        "palmyra_style": severity_style(views.settings(datasette, context.get("database"))["severity_colors"]),
    }
    return Response.html(await datasette.render_template(template, context, request=request))


async def dashboard(request, datasette):
    """About flags: a database is listed only to an actor who may see its flags and articles; its facts
    table only to one who may see facts too."""
    if not await views.can_view_instance(datasette, request.actor):
        raise Forbidden("view-instance")
    sections = []
    for name in await views.palmyra_databases(datasette):
        if await views.can_view(datasette, request.actor, name, ("flags", "articles")):
            with_facts = await views.can_view(datasette, request.actor, name, ("facts",))
            sections.append(await views.dashboard_data(datasette, name, with_facts=with_facts))
    if wants_json(request):
        return json_response({"databases": sections})
    conf = views.settings(datasette)
    return await render(datasette, request, "palmyra_dashboard.html", {
        "sections": sections, "colors": conf["severity_colors"],
        "json_url": views.dashboard_url(datasette, "json"),
    })


async def article_page(request, datasette):
    """About an article: 403 without articles and claims; flags and facts the actor may not see are left out
    (the text is still annotated by claim kind), and ``hidden`` says which."""
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await views.can_view(datasette, actor, database, ("articles", "claims")):
        raise Forbidden("view-table")
    article_id = views.decode(request.url_vars["article_id"])
    data = await views.article_data(
        datasette, database, article_id,
        with_flags=await views.can_view(datasette, actor, database, views.FLAG_TABLES),
        with_facts=await views.can_view(datasette, actor, database, views.FACT_TABLES))
    if data is None:
        raise NotFound(f"Article not found: {article_id}")
    if wants_json(request):
        return json_response({k: v for k, v in data.items() if k != "annotated"})
    conf = views.settings(datasette, database)
    return await render(datasette, request, "palmyra_article.html", {
        **data, "colors": conf["severity_colors"],
        "database_url": datasette.urls.database(database),
        "json_url": request.path + ".json",
    })


async def fact_page(request, datasette):
    """About a fact: 403 without facts, fact_claims, claims and articles; its flags only for an actor who may
    see flags and flag_claims (otherwise left out, and ``hidden`` says so)."""
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await views.can_view(datasette, actor, database, (*views.FACT_TABLES, "claims", "articles")):
        raise Forbidden("view-table")
    fact_id = views.decode(request.url_vars["fact_id"])
    data = await views.fact_data(datasette, database, fact_id,
                                 with_flags=await views.can_view(datasette, actor, database, views.FLAG_TABLES))
    if data is None:
        raise NotFound(f"Fact not found: {fact_id}")
    if wants_json(request):
        return json_response(data)
    conf = views.settings(datasette, database)
    return await render(datasette, request, "palmyra_fact.html", {
        **data, "colors": conf["severity_colors"],
        "svg": views.strip_svg(data["strip"], conf["severity_colors"]),
        "chart_svg": views.chart_svg(data["chart"], conf["severity_colors"]) if data["chart"] else None,
        "database_url": datasette.urls.database(database),
        "json_url": request.path + ".json",
    })


async def flag_page(request, datasette):
    """About a flag: 403 without flags, flag_claims, claims and articles; the fact's label and link only for
    an actor who may see the facts tables."""
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await views.can_view(datasette, actor, database, (*views.FLAG_TABLES, "claims", "articles")):
        raise Forbidden("view-table")
    flag_id = views.decode(request.url_vars["flag_id"])
    data = await views.flag_data(datasette, database, flag_id,
                                 with_facts=await views.can_view(datasette, actor, database, views.FACT_TABLES))
    if data is None:
        raise NotFound(f"Flag not found: {flag_id}")
    if not await views.can_view(datasette, actor, database, ("reviews",)):
        data["reviews"] = []
        data["hidden"].append("reviews")
    may_review = await views.can_review(datasette, actor, database)
    writable = bool(getattr(datasette.get_database(database), "is_mutable", False))
    data["review"] = {"allowed": may_review and writable,
                      "why_not": None if may_review and writable else
                      ("the database is served read-only" if may_review else None)}
    if wants_json(request):
        return json_response(data)
    conf = views.settings(datasette, database)
    return await render(datasette, request, "palmyra_flag.html", {
        **data, "colors": conf["severity_colors"],
        "svg": views.strip_svg(data["strip"], conf["severity_colors"]),
        "database_url": datasette.urls.database(database),
        "json_url": request.path + ".json",
        "review_url": request.path + "/review",
        "saved": request.args.get("reviewed") == "1",
    })


async def review_post(request, datasette):
    """Record a verdict from the flag page's form: POST only, for an actor with the palmyra-review action
    on a database that is not served read-only (Datasette checks the form's CSRF token before this runs)."""
    if request.method != "POST":
        return Response.text("405: send the review form with POST", status=405, headers={"Allow": "POST"})
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await views.can_view(datasette, actor, database, (*views.FLAG_TABLES, "reviews")):
        raise Forbidden("view-table")
    if not await views.can_review(datasette, actor, database):
        raise Forbidden(views.REVIEW_ACTION)
    db = datasette.get_database(database)
    if not getattr(db, "is_mutable", False):
        return Response.text("403: this database is served read-only (immutable); reviews cannot be written",
                             status=403)
    flag_id = views.decode(request.url_vars["flag_id"])
    form = await request.post_vars()
    verdict, note = str(form.get("verdict") or ""), str(form.get("note") or "")
    import sqlite_utils

    from .. import store

    def write(conn):
        return store.add_review(sqlite_utils.Database(conn), flag_id, verdict, note=note,
                                reviewer=str(actor.get("id") or "") if isinstance(actor, dict) else None)

    try:
        if not await store_queries.flag_exists(db, flag_id):
            raise NotFound(f"Flag not found: {flag_id}")
        await db.execute_write_fn(write, block=True)
    except store.ReviewError as e:
        return Response.text(f"400: {e}", status=400)
    return Response.redirect(views.flag_url(datasette, database, flag_id) + "?reviewed=1#review")


@hookimpl
def register_routes():
    return [
        (r"^/-/palmyra(\.(?P<format>json))?$", read_only(dashboard)),
        (r"^/-/palmyra/(?P<database>[^/]+)/articles/(?P<article_id>[^/]+?)(\.(?P<format>json))?$",
         read_only(article_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/facts/(?P<fact_id>[^/]+?)(\.(?P<format>json))?$", read_only(fact_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/flags/(?P<flag_id>[^/]+?)(\.(?P<format>json))?$", read_only(flag_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/flags/(?P<flag_id>[^/]+?)/review$", review_post),
        (r"^/-/palmyra-static/(?P<name>[A-Za-z0-9_.-]+)$", read_only(static_view)),
    ]


# -- table pages -------------------------------------------------------------------------------------------


@hookimpl
def extra_css_urls(datasette):
    return [static_url(datasette, "palmyra.css")]


# the only (table, column) cells render_cell touches; a set test on the column name is the first line, because
# datasette calls the hook for every cell of every table and query page (~2,200 on a claims page)
MARKED_COLUMNS = frozenset({"text", "claim_ids", "article_ids", "fact", "label"})
MARKED_TABLES = frozenset({"claims", "flags", "facts"})


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Flag markers in ``claims``; links in ``flags`` and ``facts``. No query per cell: the flagged claims
    of a database are read once and cached until its file changes, and whether this request's actor may see
    the flags (a marker shows a flag's message) is asked once per request. A plain function, not a
    coroutine: every other cell returns None before anything else runs, and datasette need not await it."""
    if column not in MARKED_COLUMNS or table not in MARKED_TABLES:
        return None
    try:
        if table == "claims" and column == "text":
            visible = flags_visible_cached(database)
            if visible is False:
                return None
            flagged = views.cached_flags(datasette, database)
            if visible and flagged is not None:
                return claim_marker(datasette, database, row, value, flagged)

            async def load_then_mark():
                try:
                    if not await flags_visible(datasette, database):
                        return None
                    flags = views.cached_flags(datasette, database)
                    if flags is None:
                        flags = await views.load_flags(datasette, database)
                    return claim_marker(datasette, database, row, value, flags)
                except Exception:
                    log.exception("datasette-palmyra: render_cell failed")
                    return None

            return load_then_mark
        if table == "flags" and column in ("claim_ids", "article_ids", "fact"):
            return flags_cell(datasette, database, column, value)
        if table == "facts" and column == "label" and "id" in row.keys():
            return Markup('<a href="{}">{}</a>').format(views.fact_url(datasette, database, row["id"]),
                                                       value if value is not None else row["id"])
    except Exception:
        log.exception("datasette-palmyra: render_cell failed")
    return None


def claim_marker(datasette, database, row, value, flagged) -> Markup | None:
    try:
        flags = flagged.get(row["id"]) if "id" in row.keys() else None
    except (KeyError, IndexError, TypeError):
        return None
    if not flags:
        return None
    return views.claim_cell(datasette, database, value, flags)


def flags_cell(datasette, database: str, column: str, value: Any) -> Markup | None:
    if value is None:
        return None
    if column == "fact":
        return Markup('<a href="{}">{}</a>').format(views.fact_url(datasette, database, value), value)
    items = [str(v) for v in views.json_list(value)]
    if not items:
        return None
    if column == "claim_ids":
        links = [(views.article_url(datasette, database, views.claim_article_id(c), c), c, "claim in its article")
                 for c in items]
    else:
        links = [(views.article_url(datasette, database, a), a, "annotated article") for a in items]
    return views.links_cell(links)


# -- menus and canned queries ------------------------------------------------------------------------------


@hookimpl
def menu_links(datasette, actor):
    async def inner():
        try:
            if await views.can_view_instance(datasette, actor):
                return [{"href": views.dashboard_url(datasette), "label": "Palmyra: consistency flags"}]
        except Exception:
            log.exception("datasette-palmyra: menu_links failed")
        return []

    return inner


DASHBOARD_LABEL = "Palmyra dashboard: flags, facts, sources"


async def visible_palmyra(datasette, actor, only: str | None = None) -> list[str]:
    """The palmyra databases (or just ``only``) whose flags and articles this actor may see."""
    names = await views.palmyra_databases(datasette)
    return [n for n in names if (only is None or n == only)
            and await views.can_view(datasette, actor, n, ("flags", "articles"))]


@hookimpl
def database_actions(datasette, actor, database):
    async def inner():
        try:
            if await visible_palmyra(datasette, actor, database):
                return [{"href": views.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
        except Exception:
            log.exception("datasette-palmyra: database_actions failed")
        return []

    return inner


@hookimpl
def homepage_actions(datasette, actor):
    """1.0: the dashboard in the index page's actions menu."""
    async def inner():
        try:
            if await visible_palmyra(datasette, actor):
                return [{"href": views.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
        except Exception:
            log.exception("datasette-palmyra: homepage_actions failed")
        return []

    return inner


async def top_banner(datasette, request, only: str | None = None) -> str:
    """One line above the index or database page: the flags there, by severity, and the dashboard's link."""
    parts = []
    for name in await visible_palmyra(datasette, request.actor, only):
        counts = {r["severity"]: r["n"] for r in await store_queries.flags_by_severity(datasette.get_database(name))}
        total = sum(counts.values())
        detail = ", ".join(f"{counts[s]:,} {s}" for s in ("error", "warning", "info") if counts.get(s))
        parts.append(Markup("{n}: {total:,} flag{s}{detail}").format(
            n=name, total=total, s="" if total == 1 else "s", detail=f" ({detail})" if detail else ""))
    if not parts:
        return ""
    return str(Markup('<p class="pm-top-banner">Consistency flags — {parts} — <a href="{url}">open the '
                      'dashboard</a></p>').format(parts=Markup("; ").join(parts), url=views.dashboard_url(datasette)))


@hookimpl
def top_homepage(datasette, request):
    """1.0: the index page says there are flags to look at, and where."""
    async def inner():
        try:
            return await top_banner(datasette, request)
        except Exception:
            log.exception("datasette-palmyra: top_homepage failed")
            return ""

    return inner


@hookimpl
def top_database(datasette, request, database):
    async def inner():
        try:
            return await top_banner(datasette, request, database)
        except Exception:
            log.exception("datasette-palmyra: top_database failed")
            return ""

    return inner


@hookimpl
def table_actions(datasette, actor, database, table):
    if table not in TABLE_ACTION_TABLES:
        return []
    try:
        return [{"href": views.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
    except Exception:
        return []


@hookimpl
def canned_queries(datasette, database):
    """0.65: the canned queries for any database that holds the palmyra tables (who may run each one is
    decided per actor by ``permission_allowed`` below)."""
    async def inner():
        try:
            if database in await views.palmyra_databases(datasette):
                return await views.queries_for(datasette.get_database(database))
        except Exception:
            log.exception("datasette-palmyra: canned_queries failed")
        return {}

    return inner


# A canned query's SQL is not subject to the allow blocks of the tables it reads: each palmyra query is
# denied to an actor who may not view every one of its tables, wherever the query was defined (the
# plugin, metadata or datasette.yaml). Denials come last, so no allow block of the query can undo them.

@hookimpl
def register_actions(datasette):
    """1.0: the action of recording a verdict on a flag, per database (0.65 asks permission_allowed)."""
    from datasette.permissions import Action
    from datasette.resources import DatabaseResource

    return [Action(name=views.REVIEW_ACTION, description="Record a verdict on a datasette-palmyra flag",
                   resource_class=DatabaseResource)]


@hookimpl(trylast=True)
def permission_allowed(datasette, actor, action, resource):
    """0.65: the ``reviewers`` option grants palmyra-review; deny ``view-query`` of a palmyra query past a
    table the actor may not view."""
    if action == views.REVIEW_ACTION:
        return views.reviewer_allowed(datasette, actor, resource if isinstance(resource, str) else None)
    if action != "view-query" or not isinstance(resource, (tuple, list)) or len(resource) != 2:
        return None
    database, query = resource
    tables = views.CANNED_QUERY_TABLES.get(query)
    if not tables:
        return None

    async def inner():
        try:
            if database in await views.palmyra_databases(datasette) and not await views.can_view(
                    datasette, actor, database, tables):
                return False
        except Exception:
            log.exception("datasette-palmyra: permission_allowed failed")
            return False  # when in doubt, the query stays closed
        return None

    return inner


@hookimpl
def permission_resources_sql(datasette, actor, action):
    """1.0: the ``reviewers`` option as allow rows for palmyra-review; the same denial of palmyra queries
    as rows (database, query) of the permission query."""
    if action == views.REVIEW_ACTION:
        from datasette.permissions import PermissionSQL

        allowed = [name for name in datasette.databases if views.reviewer_allowed(datasette, actor, name)]
        if not allowed:
            return None
        return PermissionSQL(
            sql="SELECT value AS parent, NULL AS child, 1 AS allow, "
                "'datasette-palmyra: named by the reviewers option' AS reason FROM json_each(:palmyra_reviewed_dbs)",
            params={"palmyra_reviewed_dbs": json.dumps(allowed)})
    if action != "view-query":
        return None

    async def inner():
        from datasette.permissions import PermissionSQL

        denied = []
        for database in await views.palmyra_databases(datasette):
            for query, tables in views.CANNED_QUERY_TABLES.items():
                if not await views.can_view(datasette, actor, database, tables):
                    denied.append([database, query])
        if not denied:
            return None
        return PermissionSQL(
            sql="SELECT json_extract(value, '$[0]') AS parent, json_extract(value, '$[1]') AS child, 0 AS allow, "
                "'datasette-palmyra: the query reads a table this actor may not view' AS reason "
                "FROM json_each(:palmyra_denied_queries)",
            params={"palmyra_denied_queries": json.dumps(denied)},
        )

    return inner


async def apply_table_config(datasette, names: list[str]) -> None:
    """1.0: facets and sort go into the instance's config, descriptions into its metadata tables, for each
    palmyra database, never over what datasette.yaml or metadata already says."""
    config = datasette.config if isinstance(getattr(datasette, "config", None), dict) else {}
    datasette.config = config
    for name in names:
        tables = config.setdefault("databases", {}).setdefault(name, {}).setdefault("tables", {})
        for table, conf in views.table_config().items():
            mine = tables.setdefault(table, {})
            for key in ("facets", "size"):
                if key in conf:
                    mine.setdefault(key, copy.deepcopy(conf[key]))
            if "sort" not in mine and "sort_desc" not in mine:  # one sort only: the configured one wins
                mine.update({k: conf[k] for k in ("sort", "sort_desc") if k in conf})
            if conf.get("description") and "description" not in await datasette.get_resource_metadata(name, table):
                await datasette.set_resource_metadata(name, table, "description", conf["description"])
            for column, text in (conf.get("columns") or {}).items():
                if "description" not in await datasette.get_column_metadata(name, table, column):
                    await datasette.set_column_metadata(name, table, column, "description", text)


@hookimpl
def get_metadata(datasette, key, database, table):
    """0.65: the plugin's table configuration for each palmyra database (metadata.yml is merged over it)."""
    try:
        names = views.known_palmyra_databases(datasette)
        if not names:
            return None
        local = getattr(datasette, "_metadata_local", None) or {}
        out = {}
        for name in names:
            theirs = ((local.get("databases") or {}).get(name) or {}).get("tables") or {}
            tables = {}
            for table, conf in views.table_config().items():
                said = theirs.get(table) or {}
                if "sort" in said or "sort_desc" in said:  # one sort only: metadata.yml's wins
                    conf = {k: v for k, v in conf.items() if k not in ("sort", "sort_desc")}
                tables[table] = copy.deepcopy(conf)  # datasette merges metadata.yml into what we return
            out[name] = {"tables": tables}
        return {"databases": out}
    except Exception:
        log.exception("datasette-palmyra: get_metadata failed")
        return None


@hookimpl
def startup(datasette):
    """1.0 dropped the canned_queries hook: store the same queries for each palmyra database instead.

    Who may run them is decided per actor by ``permission_resources_sql``. First of all, a bad option
    stops the server at startup, named, rather than making pages fail."""
    views.check_settings(datasette)
    views.table_config()  # a broken table_config.yml stops the server here, named

    async def inner():
        names = await views.palmyra_databases(datasette)  # 0.65: also fills the cache get_metadata reads
        if not hasattr(datasette, "add_query"):
            return
        try:
            await apply_table_config(datasette, names)
        except Exception:
            log.exception("datasette-palmyra: could not apply the table configuration")
        try:
            for name in names:
                for qname, q in (await views.queries_for(datasette.get_database(name))).items():
                    try:
                        await datasette.add_query(
                            name, qname, q["sql"], title=q.get("title"), description=q.get("description"),
                            source="plugin", is_trusted=True, replace=False,
                        )
                    except Exception:
                        pass  # already defined (e.g. by datasette.yaml): the configured one wins
        except Exception:
            log.exception("datasette-palmyra: could not store canned queries")

    return inner
