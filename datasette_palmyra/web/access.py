"""Who may see what: the plugin's permission policy, on Datasette 0.65 and the 1.0 alphas alike.

Datasette does not check plugin routes, so each page needs view permission on the tables it is about and
shows the rest only when allowed. Article page: articles and claims, or 403; flags only with flags and
flag_claims, fact links only with facts and fact_claims. Fact page: facts, fact_claims, claims and articles,
or 403; its flags only with flags and flag_claims. Dashboard: a database is listed with flags and articles;
its facts table only with facts. Claims-table markers: only when this request's actor may see flags and
flag_claims. Flag page: flags, flag_claims, claims and articles, or 403; the fact's link only with facts,
its reviews only with reviews. JSON says what was left out under ``hidden``.

A canned query's SQL is not subject to the allow blocks of the tables it reads: each palmyra query is denied
to an actor who may not view every one of its tables, wherever the query was defined (the plugin, metadata
or datasette.yaml). Denials come last, so no allow block of the query can undo them. The one write, the
flag page's review form, needs the palmyra-review action (granted by the ``reviewers`` option or, on 1.0, a
permissions block).
"""

from __future__ import annotations

import contextvars
import json
import logging
from typing import Any

from ..store import queries
from . import databases
from .options import REVIEW_ACTION, settings

log = logging.getLogger(__name__)

# what an actor must be allowed to view before a page shows flags, or facts
FLAG_TABLES = ("flags", "flag_claims")
FACT_TABLES = ("facts", "fact_claims", "fact_reasons")


async def can_view(datasette, actor: dict | None, database: str, tables: tuple[str, ...] = ()) -> bool:
    """Whether the actor may see these tables, with datasette's own rules (allow blocks included)."""
    if hasattr(datasette, "allowed"):  # 1.0 alphas
        from datasette.resources import DatabaseResource, TableResource

        if not await datasette.allowed(action="view-instance", actor=actor):
            return False
        if not await datasette.allowed(action="view-database", resource=DatabaseResource(database), actor=actor):
            return False
        for table in tables:
            if not await datasette.allowed(
                action="view-table", resource=TableResource(database, table), actor=actor
            ):
                return False
        return True
    from datasette.utils.asgi import Forbidden

    try:
        for table in tables or (None,):
            checks: list[Any] = [("view-database", database), "view-instance"]
            if table:
                checks.insert(0, ("view-table", (database, table)))
            await datasette.ensure_permissions(actor, checks)
    except Forbidden:
        return False
    return True


def reviewer_allowed(datasette, actor: dict | None, database: str | None) -> bool | None:
    """What the ``reviewers`` option says of this actor: True when it matches, None when it says nothing
    (no option, or an actor it does not name), so that other rules still decide."""
    from datasette.utils import actor_matches_allow

    allow = settings(datasette, database).get("reviewers")
    if allow is None or allow is False or actor is None:
        return None
    return True if actor_matches_allow(actor, allow) else None


async def can_review(datasette, actor: dict | None, database: str) -> bool:
    """May this actor record a verdict on this database's flags (the palmyra-review action)?"""
    if actor is None:
        return False
    if hasattr(datasette, "allowed"):  # 1.0 alphas: the action is registered (web.register_actions)
        from datasette.resources import DatabaseResource

        return bool(await datasette.allowed(action=REVIEW_ACTION, resource=DatabaseResource(database), actor=actor))
    return bool(await datasette.permission_allowed(actor, REVIEW_ACTION, resource=database, default=False))


async def can_view_instance(datasette, actor: dict | None) -> bool:
    if hasattr(datasette, "allowed"):
        return await datasette.allowed(action="view-instance", actor=actor)
    return await datasette.permission_allowed(actor, "view-instance", default=True)


async def visible_palmyra(datasette, actor, only: str | None = None) -> list[str]:
    """The palmyra databases (or just ``only``) whose flags and articles this actor may see."""
    names = await databases.palmyra_databases(datasette)
    return [n for n in names if (only is None or n == only)
            and await can_view(datasette, actor, n, ("flags", "articles"))]


# -- the request behind a render_cell call ----------------------------------------------------------------

# render_cell gets no request on 0.65 (and declaring it breaks 0.65), yet a flag marker may only be drawn for
# an actor who may see the flags table. Every request gets a fresh holder here (asgi_wrapper); datasette hands
# the request to actor_from_request and then sets the resolved actor on that same object, so render_cell can
# read ``holder["request"].actor`` and keep its permission answer in the holder for the rest of the request.
_REQUEST: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("palmyra_request", default=None)


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
    ok = await can_view(datasette, current_actor(), database, FLAG_TABLES)
    if holder is not None:
        holder[key] = ok
    return ok


# -- the review action and canned-query denials -----------------------------------------------------------


def register_actions(datasette):
    """1.0: the action of recording a verdict on a flag, per database (0.65 asks permission_allowed)."""
    from datasette.permissions import Action
    from datasette.resources import DatabaseResource

    return [Action(name=REVIEW_ACTION, description="Record a verdict on a datasette-palmyra flag",
                   resource_class=DatabaseResource)]


def permission_allowed(datasette, actor, action, resource):
    """0.65: the ``reviewers`` option grants palmyra-review; deny ``view-query`` of a palmyra query past a
    table the actor may not view."""
    if action == REVIEW_ACTION:
        return reviewer_allowed(datasette, actor, resource if isinstance(resource, str) else None)
    if action != "view-query" or not isinstance(resource, (tuple, list)) or len(resource) != 2:
        return None
    database, query = resource
    tables = queries.CANNED_QUERY_TABLES.get(query)
    if not tables:
        return None

    async def inner():
        try:
            if database in await databases.palmyra_databases(datasette) and not await can_view(
                    datasette, actor, database, tables):
                return False
        except Exception:
            log.exception("datasette-palmyra: permission_allowed failed")
            return False  # when in doubt, the query stays closed
        return None

    return inner


def permission_resources_sql(datasette, actor, action):
    """1.0: the ``reviewers`` option as allow rows for palmyra-review; the same denial of palmyra queries
    as rows (database, query) of the permission query."""
    if action == REVIEW_ACTION:
        from datasette.permissions import PermissionSQL

        allowed = [name for name in datasette.databases if reviewer_allowed(datasette, actor, name)]
        if not allowed:
            return None
        return PermissionSQL(sql=queries.REVIEWERS_ALLOWED_SQL, params={"palmyra_reviewed_dbs": json.dumps(allowed)})
    if action != "view-query":
        return None

    async def inner():
        from datasette.permissions import PermissionSQL

        denied = []
        for database in await databases.palmyra_databases(datasette):
            for query, tables in queries.CANNED_QUERY_TABLES.items():
                if not await can_view(datasette, actor, database, tables):
                    denied.append([database, query])
        if not denied:
            return None
        return PermissionSQL(sql=queries.QUERIES_DENIED_SQL, params={"palmyra_denied_queries": json.dumps(denied)})

    return inner
