"""The plugin's options (``plugins: datasette-palmyra:``): defaults, validation at startup, the merged view a
page reads. A bad option stops the server, named; a page never sees one."""

from __future__ import annotations

import re
from typing import Any

from .formats import SEVERITY_RANK

PLUGIN = "datasette-palmyra"

DEFAULT_SETTINGS: dict[str, Any] = {
    "context_chars": 160,  # characters of article text shown around a claim on fact pages
    "dashboard_facts": 25,  # facts listed on the dashboard
    "strip_width": 960,  # pixel width of the SVG strip on fact pages
    "severity_colors": {"error": "#c62828", "warning": "#e08a00", "info": "#1e6fb8"},
    # who may record a verdict on a flag (the palmyra-review action), as a Datasette allow block:
    # {"id": ["ana", "ben"]}; none by default. On 1.0 a ``permissions: palmyra-review:`` block works too.
    "reviewers": None,
}

REVIEW_ACTION = "palmyra-review"

COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}")

# the whole numbers a setting may take: a page is built from them, so a typo must not reach it
SETTING_RANGES = {"context_chars": (0, 5000), "dashboard_facts": (1, 1000), "strip_width": (200, 4000)}


def settings_problems(config: Any, where: str = "plugins.datasette-palmyra") -> list[str]:
    """What is wrong with one scope of the plugin's configuration, a line per option; [] when good."""
    if config is None:
        return []
    if not isinstance(config, dict):
        return [f"{where}: must be a mapping of options, not {type(config).__name__}"]
    out = []
    for key, value in config.items():
        if key in SETTING_RANGES:
            lo, hi = SETTING_RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                out.append(f"{where}.{key}: {str(value)[:40]!r} is not a whole number from {lo} to {hi}")
        elif key == "severity_colors":
            if not isinstance(value, dict):
                out.append(f"{where}.severity_colors: must map severities to colours")
                continue
            for sev, color in value.items():
                if sev not in SEVERITY_RANK:
                    out.append(f"{where}.severity_colors.{sev}: unknown severity (known: {', '.join(SEVERITY_RANK)})")
                elif not isinstance(color, str) or not COLOR.fullmatch(color):
                    out.append(f"{where}.severity_colors.{sev}: {str(color)[:40]!r} is not a colour (#rgb, #rrggbb or a name)")
        elif key == "reviewers":
            if value is not None and not isinstance(value, (dict, bool)):
                out.append(f"{where}.reviewers: must be an allow block such as {{id: [ana, ben]}}, not "
                           f"{str(value)[:40]!r}")
        else:
            out.append(f"{where}.{key}: unknown option (known: {', '.join(sorted(DEFAULT_SETTINGS))})")
    return out


def check_settings(datasette) -> None:
    """Raise ValueError naming every bad option, global or per database, before a page is served."""
    top = datasette.plugin_config(PLUGIN)
    problems = settings_problems(top)
    for name in datasette.databases:
        scoped = datasette.plugin_config(PLUGIN, database=name)
        if scoped != top:  # 0.65 answers a database's scope with the global one when it has none
            problems += settings_problems(scoped, f"databases.{name}.plugins.{PLUGIN}")
    if problems:
        raise ValueError("datasette-palmyra configuration: " + "; ".join(problems))


def settings(datasette, database: str | None = None) -> dict[str, Any]:
    """Plugin settings with defaults; the database-scoped config may be None on 1.0, so merge by hand."""
    merged = dict(DEFAULT_SETTINGS)
    for scope in (datasette.plugin_config(PLUGIN),
                  datasette.plugin_config(PLUGIN, database=database) if database else None):
        if isinstance(scope, dict):
            merged.update(scope)
    colors = dict(DEFAULT_SETTINGS["severity_colors"])
    if isinstance(merged.get("severity_colors"), dict):
        colors.update(merged["severity_colors"])
    merged["severity_colors"] = colors
    return merged
