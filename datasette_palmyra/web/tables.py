"""How Datasette shows the palmyra tables: descriptions, facets, sort and column descriptions from
``table_config.yml`` (next to this file), validated once, and handed to Datasette the way each line takes
them (0.65: the get_metadata hook; 1.0: the instance's config and metadata tables), never over what
metadata.yml or datasette.yaml already says."""

from __future__ import annotations

import copy
import os
from typing import Any

from ..store import ARTICLE_COLUMNS, CLAIM_COLUMNS, FLAG_COLUMNS, REVIEW_COLUMNS
from . import databases

TABLE_CONFIG_KEYS = {"description": str, "facets": list, "sort": str, "sort_desc": str, "columns": dict,
                     "size": int}
_TABLE_CONFIG: dict[str, dict[str, Any]] | None = None


def table_config() -> dict[str, dict[str, Any]]:
    """The plugin's own table configuration (``table_config.yml``), validated once: every table a palmyra
    table, every key one Datasette knows with a value of the right type."""
    global _TABLE_CONFIG
    if _TABLE_CONFIG is None:
        import yaml

        path = os.path.join(os.path.dirname(__file__), "table_config.yml")
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        problems = table_config_problems(data)
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        _TABLE_CONFIG = data
    return _TABLE_CONFIG


def table_config_problems(data: Any) -> list[str]:
    known_columns = {"articles": ARTICLE_COLUMNS, "claims": CLAIM_COLUMNS, "flags": FLAG_COLUMNS,
                     "reviews": REVIEW_COLUMNS}
    if not isinstance(data, dict):
        return ["must map table names to their configuration"]
    out = []
    for table, conf in data.items():
        if not isinstance(conf, dict):
            out.append(f"{table}: must be a mapping")
            continue
        for key, value in conf.items():
            if key not in TABLE_CONFIG_KEYS:
                out.append(f"{table}.{key}: unknown key (known: {', '.join(TABLE_CONFIG_KEYS)})")
            elif not isinstance(value, TABLE_CONFIG_KEYS[key]):
                out.append(f"{table}.{key}: must be a {TABLE_CONFIG_KEYS[key].__name__}")
        columns = known_columns.get(table)
        for name in (conf.get("columns") or {}) if columns else ():
            if name not in columns:
                out.append(f"{table}.columns.{name}: no such column")
        for key in ("sort", "sort_desc"):
            if columns and conf.get(key) and conf[key] not in columns:
                out.append(f"{table}.{key}: no such column {conf[key]!r}")
    return out


async def apply_table_config(datasette, names: list[str]) -> None:
    """1.0: facets and sort go into the instance's config, descriptions into its metadata tables, for each
    palmyra database, never over what datasette.yaml or metadata already says."""
    config = datasette.config if isinstance(getattr(datasette, "config", None), dict) else {}
    datasette.config = config
    for name in names:
        tables = config.setdefault("databases", {}).setdefault(name, {}).setdefault("tables", {})
        for table, conf in table_config().items():
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


def metadata_for(datasette) -> dict[str, Any] | None:
    """0.65: the plugin's table configuration for each palmyra database, as get_metadata answers it
    (metadata.yml is merged over it)."""
    names = databases.known_palmyra_databases(datasette)
    if not names:
        return None
    local = getattr(datasette, "_metadata_local", None) or {}
    out = {}
    for name in names:
        theirs = ((local.get("databases") or {}).get(name) or {}).get("tables") or {}
        tables = {}
        for table, conf in table_config().items():
            said = theirs.get(table) or {}
            if "sort" in said or "sort_desc" in said:  # one sort only: metadata.yml's wins
                conf = {k: v for k, v in conf.items() if k not in ("sort", "sort_desc")}
            tables[table] = copy.deepcopy(conf)  # datasette merges metadata.yml into what we return
        out[name] = {"tables": tables}
    return {"databases": out}
