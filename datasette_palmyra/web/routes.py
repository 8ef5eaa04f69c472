"""The plugin's own pages as Datasette routes: permission checks, HTML or JSON, and the one write (the review
form's POST). The pages only read: anything but GET and HEAD is refused before any work is done."""

from __future__ import annotations

import functools
import json
import mimetypes
from pathlib import Path
from typing import Any

from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup

from ..store import queries
from . import access, charts, databases, formats, options, pages, urls

HERE = Path(__file__).parent
STATIC = HERE / "static"


# Datasette finds the web package's static/ and templates/ itself (templates by name; static files also at
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


def wants_json(request) -> bool:
    return request.url_vars.get("format") == "json" or request.args.get("_format") == "json"


def json_response(data: Any) -> Response:
    return Response(json.dumps(data, default=str, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8")


def resolve_database(datasette, route: str) -> str:
    route = urls.decode(route)
    try:
        return datasette.get_database(route=route).name
    except (KeyError, AttributeError, TypeError):
        if route in datasette.databases:
            return route
    raise NotFound(f"Database not found: {route}")


def severity_style(colors: dict[str, str]) -> Markup:
    """Configured severity colours as CSS variables; only plain colour values get through."""
    decls = "".join(f"--pm-{k}:{v};" for k, v in colors.items()
                    if k in formats.SEVERITY_RANK and options.COLOR.fullmatch(str(v)))
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
        "dashboard_url": urls.dashboard_url(datasette),
        "home_url": datasette.urls.instance(),
        "palmyra_style": severity_style(options.settings(datasette, context.get("database"))["severity_colors"]),
    }
    return Response.html(await datasette.render_template(template, context, request=request))


async def dashboard(request, datasette):
    """About flags: a database is listed only to an actor who may see its flags and articles; its facts
    table only to one who may see facts too."""
    if not await access.can_view_instance(datasette, request.actor):
        raise Forbidden("view-instance")
    sections = []
    for name in await databases.palmyra_databases(datasette):
        if await access.can_view(datasette, request.actor, name, ("flags", "articles")):
            with_facts = await access.can_view(datasette, request.actor, name, ("facts",))
            sections.append(await pages.dashboard_data(datasette, name, with_facts=with_facts))
    if wants_json(request):
        return json_response({"databases": sections})
    conf = options.settings(datasette)
    return await render(datasette, request, "palmyra_dashboard.html", {
        "sections": sections, "colors": conf["severity_colors"],
        "json_url": urls.dashboard_url(datasette, "json"),
    })


async def article_page(request, datasette):
    """About an article: 403 without articles and claims; flags and facts the actor may not see are left out
    (the text is still annotated by claim kind), and ``hidden`` says which."""
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await access.can_view(datasette, actor, database, ("articles", "claims")):
        raise Forbidden("view-table")
    article_id = urls.decode(request.url_vars["article_id"])
    data = await pages.article_data(
        datasette, database, article_id,
        with_flags=await access.can_view(datasette, actor, database, access.FLAG_TABLES),
        with_facts=await access.can_view(datasette, actor, database, access.FACT_TABLES))
    if data is None:
        raise NotFound(f"Article not found: {article_id}")
    if wants_json(request):
        return json_response({k: v for k, v in data.items() if k != "annotated"})
    conf = options.settings(datasette, database)
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
    if not await access.can_view(datasette, actor, database, (*access.FACT_TABLES, "claims", "articles")):
        raise Forbidden("view-table")
    fact_id = urls.decode(request.url_vars["fact_id"])
    data = await pages.fact_data(datasette, database, fact_id,
                                 with_flags=await access.can_view(datasette, actor, database, access.FLAG_TABLES))
    if data is None:
        raise NotFound(f"Fact not found: {fact_id}")
    if wants_json(request):
        return json_response(data)
    conf = options.settings(datasette, database)
    return await render(datasette, request, "palmyra_fact.html", {
        **data, "colors": conf["severity_colors"],
        "svg": charts.strip_svg(data["strip"], conf["severity_colors"]),
        "chart_svg": charts.chart_svg(data["chart"], conf["severity_colors"]) if data["chart"] else None,
        "database_url": datasette.urls.database(database),
        "json_url": request.path + ".json",
    })


async def flag_page(request, datasette):
    """About a flag: 403 without flags, flag_claims, claims and articles; the fact's label and link only for
    an actor who may see the facts tables."""
    database = resolve_database(datasette, request.url_vars["database"])
    actor = request.actor
    if not await access.can_view(datasette, actor, database, (*access.FLAG_TABLES, "claims", "articles")):
        raise Forbidden("view-table")
    flag_id = urls.decode(request.url_vars["flag_id"])
    data = await pages.flag_data(datasette, database, flag_id,
                                 with_facts=await access.can_view(datasette, actor, database, access.FACT_TABLES))
    if data is None:
        raise NotFound(f"Flag not found: {flag_id}")
    if not await access.can_view(datasette, actor, database, ("reviews",)):
        data["reviews"] = []
        data["hidden"].append("reviews")
    may_review = await access.can_review(datasette, actor, database)
    writable = bool(getattr(datasette.get_database(database), "is_mutable", False))
    data["review"] = {"allowed": may_review and writable,
                      "why_not": None if may_review and writable else
                      ("the database is served read-only" if may_review else None)}
    if wants_json(request):
        return json_response(data)
    conf = options.settings(datasette, database)
    return await render(datasette, request, "palmyra_flag.html", {
        **data, "colors": conf["severity_colors"],
        "svg": charts.strip_svg(data["strip"], conf["severity_colors"]),
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
    if not await access.can_view(datasette, actor, database, (*access.FLAG_TABLES, "reviews")):
        raise Forbidden("view-table")
    if not await access.can_review(datasette, actor, database):
        raise Forbidden(options.REVIEW_ACTION)
    db = datasette.get_database(database)
    if not getattr(db, "is_mutable", False):
        return Response.text("403: this database is served read-only (immutable); reviews cannot be written",
                             status=403)
    flag_id = urls.decode(request.url_vars["flag_id"])
    form = await request.post_vars()
    verdict, note = str(form.get("verdict") or ""), str(form.get("note") or "")
    import sqlite_utils

    from .. import store

    def write(conn):
        return store.add_review(sqlite_utils.Database(conn), flag_id, verdict, note=note,
                                reviewer=str(actor.get("id") or "") if isinstance(actor, dict) else None)

    try:
        if not await queries.flag_exists(db, flag_id):
            raise NotFound(f"Flag not found: {flag_id}")
        await db.execute_write_fn(write, block=True)
    except store.ReviewError as e:
        return Response.text(f"400: {e}", status=400)
    return Response.redirect(urls.flag_url(datasette, database, flag_id) + "?reviewed=1#review")


def all_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/palmyra(\.(?P<format>json))?$", read_only(dashboard)),
        (r"^/-/palmyra/(?P<database>[^/]+)/articles/(?P<article_id>[^/]+?)(\.(?P<format>json))?$",
         read_only(article_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/facts/(?P<fact_id>[^/]+?)(\.(?P<format>json))?$", read_only(fact_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/flags/(?P<flag_id>[^/]+?)(\.(?P<format>json))?$", read_only(flag_page)),
        (r"^/-/palmyra/(?P<database>[^/]+)/flags/(?P<flag_id>[^/]+?)/review$", review_post),
        (r"^/-/palmyra-static/(?P<name>[A-Za-z0-9_.-]+)$", read_only(static_view)),
    ]
