"""Where the plugin's pages are: every URL it links, honouring base_url and database routes."""

from __future__ import annotations

import urllib.parse

STATIC_ROUTE = "/-/palmyra-static/"


def static_url(datasette, name: str) -> str:
    return datasette.urls.path(STATIC_ROUTE + name)


def encode(value: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(str(value))


def decode(value: str) -> str:
    from datasette.utils import tilde_decode

    return tilde_decode(value)


def dashboard_url(datasette, fmt: str | None = None) -> str:
    return datasette.urls.path("/-/palmyra" + (".json" if fmt == "json" else ""))


def db_route(datasette, database: str) -> str:
    db = datasette.get_database(database)
    return getattr(db, "route", None) or database


def article_url(datasette, database: str, article_id: str, claim_id: str | None = None) -> str:
    url = datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/articles/{encode(article_id)}")
    return url + (f"#claim-{urllib.parse.quote(claim_id, safe='')}" if claim_id else "")


def fact_url(datasette, database: str, fact_id: str) -> str:
    return datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/facts/{encode(fact_id)}")


def flag_url(datasette, database: str, flag_id: str) -> str:
    return datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/flags/{encode(flag_id)}")


def claim_article_id(claim_id: str) -> str:
    """Claim ids are ``<article>:<start>-<end>``; the article id is everything before the last colon."""
    return claim_id.rsplit(":", 1)[0]
