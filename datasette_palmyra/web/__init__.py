"""The Datasette plugin: flags next to the data, annotated articles, fact comparisons, a dashboard.

A package, so Datasette finds its ``templates/`` and ``static/`` itself. This module holds only the hooks,
each a few lines that hand over to the module owning the work:

- ``routes``: the plugin's pages (dashboard, article, fact, flag, the review form) and its stylesheet;
- ``pages``: the data behind them and the banner; ``charts``: the strip and the as-of chart, as SVG;
- ``cells``: markers and links in Datasette's own table pages;
- ``access``: who may see what (the policy is its docstring), the review action, canned-query denials;
- ``databases``: which attached databases are palmyra's, and their flagged claims, cached;
- ``options``: the plugin's options; ``tables``: how Datasette shows the palmyra tables;
- ``urls`` and ``formats``: links, and numbers and dates in words.

Every read is a named function of ``datasette_palmyra.store.queries``; the one write (a review) is
``store.add_review``. Only hook arguments that datasette 0.65 and the 1.0 alphas share are declared
(``render_cell`` without ``request``/``pks``), every hook is guarded so a surprise in the data cannot turn a
datasette page into a 500, and the pages never write (they answer 405 to anything but GET and HEAD). The
one write is the review form's POST, for an actor with the palmyra-review action on a mutable database
only.
"""

from __future__ import annotations

import logging

from datasette import hookimpl

from ..store import queries
from . import access, cells, databases, options, pages, routes, tables, urls
from .cells import MARKED_COLUMNS, MARKED_TABLES

log = logging.getLogger(__name__)
TABLE_ACTION_TABLES = {"articles", "claims", "facts", "fact_claims", "fact_reasons", "flags", "flag_claims", "runs", "rule_results"}
DASHBOARD_LABEL = "Palmyra dashboard: flags, facts, sources"


# -- requests and routes -----------------------------------------------------------------------------------


@hookimpl
def asgi_wrapper(datasette):
    """A fresh holder per request, for render_cell's permission answer (see ``access``)."""
    return access.asgi_wrapper(datasette)


@hookimpl
def actor_from_request(datasette, request):
    """Never names an actor: only remembers the request, whose ``actor`` datasette fills in next."""
    return access.actor_from_request(datasette, request)


@hookimpl
def register_routes():
    return routes.all_routes()


# -- table pages -------------------------------------------------------------------------------------------


@hookimpl
def extra_css_urls(datasette):
    return [urls.static_url(datasette, "palmyra.css")]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Flag markers in ``claims``; links in ``flags`` and ``facts`` (``cells``). Datasette calls this for every
    cell of every table and query page, so the set test comes first and every other cell returns None."""
    if column not in MARKED_COLUMNS or table not in MARKED_TABLES:
        return None
    return cells.render_cell(row, value, column, table, database, datasette)


# -- menus, actions, banners -------------------------------------------------------------------------------


@hookimpl
def menu_links(datasette, actor):
    async def inner():
        try:
            if await access.can_view_instance(datasette, actor):
                return [{"href": urls.dashboard_url(datasette), "label": "Palmyra: consistency flags"}]
        except Exception:
            log.exception("datasette-palmyra: menu_links failed")
        return []

    return inner


@hookimpl
def database_actions(datasette, actor, database):
    async def inner():
        try:
            if await access.visible_palmyra(datasette, actor, database):
                return [{"href": urls.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
        except Exception:
            log.exception("datasette-palmyra: database_actions failed")
        return []

    return inner


@hookimpl
def homepage_actions(datasette, actor):
    """1.0: the dashboard in the index page's actions menu."""
    async def inner():
        try:
            if await access.visible_palmyra(datasette, actor):
                return [{"href": urls.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
        except Exception:
            log.exception("datasette-palmyra: homepage_actions failed")
        return []

    return inner


@hookimpl
def top_homepage(datasette, request):
    """1.0: the index page says there are flags to look at, and where."""
    async def inner():
        try:
            return await pages.top_banner(datasette, request)
        except Exception:
            log.exception("datasette-palmyra: top_homepage failed")
            return ""

    return inner


@hookimpl
def top_database(datasette, request, database):
    async def inner():
        try:
            return await pages.top_banner(datasette, request, database)
        except Exception:
            log.exception("datasette-palmyra: top_database failed")
            return ""

    return inner


@hookimpl
def table_actions(datasette, actor, database, table):
    if table not in TABLE_ACTION_TABLES:
        return []
    try:
        return [{"href": urls.dashboard_url(datasette), "label": DASHBOARD_LABEL}]
    except Exception:
        return []


# -- canned queries and permissions ------------------------------------------------------------------------


@hookimpl
def canned_queries(datasette, database):
    """0.65: the canned queries for any database that holds the palmyra tables (who may run each one is
    decided per actor by ``permission_allowed`` below)."""
    async def inner():
        try:
            if database in await databases.palmyra_databases(datasette):
                return await queries.queries_for(datasette.get_database(database))
        except Exception:
            log.exception("datasette-palmyra: canned_queries failed")
        return {}

    return inner


@hookimpl
def register_actions(datasette):
    """1.0: the action of recording a verdict on a flag, per database (0.65 asks permission_allowed)."""
    return access.register_actions(datasette)


@hookimpl(trylast=True)
def permission_allowed(datasette, actor, action, resource):
    """0.65: the ``reviewers`` option grants palmyra-review; deny ``view-query`` of a palmyra query past a
    table the actor may not view. Last, so no allow block of the query can undo the denial."""
    return access.permission_allowed(datasette, actor, action, resource)


@hookimpl
def permission_resources_sql(datasette, actor, action):
    """1.0: the ``reviewers`` option as allow rows for palmyra-review; the same denial of palmyra queries
    as rows (database, query) of the permission query."""
    return access.permission_resources_sql(datasette, actor, action)


# -- table configuration and startup -----------------------------------------------------------------------


@hookimpl
def get_metadata(datasette, key, database, table):
    """0.65: the plugin's table configuration for each palmyra database (metadata.yml is merged over it)."""
    try:
        return tables.metadata_for(datasette)
    except Exception:
        log.exception("datasette-palmyra: get_metadata failed")
        return None


@hookimpl
def startup(datasette):
    """1.0 dropped the canned_queries hook: store the same queries for each palmyra database instead.

    Who may run them is decided per actor by ``permission_resources_sql``. First of all, a bad option
    stops the server at startup, named, rather than making pages fail."""
    options.check_settings(datasette)
    tables.table_config()  # a broken table_config.yml stops the server here, named

    async def inner():
        names = await databases.palmyra_databases(datasette)  # 0.65: also fills the cache get_metadata reads
        if not hasattr(datasette, "add_query"):
            return
        try:
            await tables.apply_table_config(datasette, names)
        except Exception:
            log.exception("datasette-palmyra: could not apply the table configuration")
        try:
            for name in names:
                for qname, q in (await queries.queries_for(datasette.get_database(name))).items():
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
