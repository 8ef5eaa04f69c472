"""A real browser (Debian's chromium, driven by Playwright) against ``datasette -i`` in a subprocess."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, *extra: str):
    """``datasette serve -i DB`` on a free loopback port; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(db), *extra,
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"datasette did not start: {out[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def served_palmyra(palmyra_db):
    """``datasette serve -i palmyra.db -m metadata.yml`` on a free loopback port."""
    yield from serve(palmyra_db, "-m", str(ROOT / "metadata.yml"))


@pytest.fixture(scope="module")
def served_toll(toll_db):
    yield from serve(toll_db)


@pytest.fixture(scope="module")
def served_crowd(crowd_db):
    yield from serve(crowd_db)


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def test_dashboard_article_and_fact_in_chromium(served_palmyra, browser_page, palmyra_db):
    import sqlite3

    conn = sqlite3.connect(palmyra_db)
    fact_id, article_id = conn.execute(
        "select fact_claims.fact_id, claims.article_id from fact_claims"
        " join claims on claims.id = fact_claims.claim_id join flag_claims on flag_claims.claim_id = claims.id"
        " where fact_claims.fact_id not like 'fixture-xss%'"
        " and (select count(*) from fact_claims f2 where f2.fact_id = fact_claims.fact_id) >= 2"
        " order by fact_claims.fact_id limit 1").fetchone()
    conn.close()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(served_palmyra + "/-/palmyra")
    assert page.locator("h1").inner_text() == "Consistency flags"
    assert page.locator(".pm-card .pm-badge").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    from datasette_palmyra.web.urls import encode

    page.goto(f"{served_palmyra}/-/palmyra/palmyra/articles/{encode(article_id)}")
    highlights = page.locator(".pm-body .pm-claim")
    assert highlights.count() > 0
    flagged = page.locator(".pm-body .pm-claim.pm-flagged").first
    assert flagged.is_visible()
    # flagged claims really are drawn in the severity colour, unflagged ones not
    outline = flagged.evaluate("e => getComputedStyle(e).outlineColor")
    assert outline in ("rgb(198, 40, 40)", "rgb(224, 138, 0)", "rgb(30, 111, 184)"), outline
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)

    page.goto(f"{served_palmyra}/-/palmyra/palmyra/facts/{encode(fact_id)}")
    bars = page.locator("svg.pm-strip rect.pm-bar")
    assert bars.count() >= 2
    box = bars.first.bounding_box()
    assert box and box["width"] >= 4 and box["height"] > 10
    page.screenshot(path=str(ARTIFACTS / "fact.png"), full_page=True)

    page.goto(f"{served_palmyra}/palmyra/claims?_size=100")
    marker = page.locator("a.pm-marker").first
    marker.scroll_into_view_if_needed()
    assert marker.is_visible()
    page.mouse.wheel(0, 120)
    page.screenshot(path=str(ARTIFACTS / "claims-table.png"), full_page=False)
    # a marker leads to its flag's page: every claim of the flag in its sentence, one strip bar each
    marker.click()
    page.wait_for_selector(".pm-compare")
    assert "/-/palmyra/palmyra/flags/" in page.url
    cards = page.locator(".pm-compare .pm-source-card").count()
    assert cards >= 2 and page.locator("svg.pm-strip rect.pm-bar").count() == cards
    page.screenshot(path=str(ARTIFACTS / "flag.png"), full_page=True)
    # on a phone the strip keeps its drawn size (the figure scrolls): tick labels stay readable
    page.set_viewport_size({"width": 430, "height": 900})
    page.reload()
    tick = page.locator("svg.pm-strip text.pm-tick").first.bounding_box()
    assert tick and tick["height"] >= 9, tick
    page.screenshot(path=str(ARTIFACTS / "flag-430.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    from conftest import XSS_ARTICLE_ID, XSS_FACT_ID

    for path in (f"/-/palmyra/palmyra/articles/{encode(XSS_ARTICLE_ID)}",
                 f"/-/palmyra/palmyra/facts/{encode(XSS_FACT_ID)}", "/-/palmyra", "/palmyra/flags"):
        page.goto(served_palmyra + path)
        page.mouse.move(10, 10)
        for el in page.locator(".pm-claim, .pm-flag, .pm-marker, td").all()[:60]:
            el.hover(timeout=2000)
    page.screenshot(path=str(ARTIFACTS / "xss-flags.png"), full_page=False)
    assert dialogs == [], f"injected script ran: {dialogs}"


def test_toll_step_chart_in_chromium(served_toll, browser_page, toll_db):
    """The toll's fact page: a bar per dated figure, the step line, the outlier in the warning colour."""
    import sqlite3

    from datasette_palmyra.web.urls import encode

    conn = sqlite3.connect(toll_db)
    (fact,) = conn.execute("select fact_id from fact_claims join claims on claims.id = fact_claims.claim_id"
                           " where claims.article_id = 'hp-thu' and claims.kind = 'count'").fetchone()
    (outlier,) = conn.execute("select id from claims where article_id = 'hp-thu' and kind = 'count'").fetchone()
    conn.close()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    page.goto(f"{served_toll}/-/palmyra/toll/facts/{encode(fact)}")
    chart = page.locator("svg.pm-chart")
    assert chart.is_visible()
    bars = chart.locator("rect.pm-cbar-rect")
    assert bars.count() >= 7
    step = chart.locator("path.pm-step")
    box = step.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 100  # it climbs across the week
    rect = chart.locator(f'g[data-claim="{outlier}"] rect.pm-cbar-rect')
    assert rect.evaluate("e => getComputedStyle(e).fill") == "rgb(224, 138, 0)"  # warning
    outlier_box = rect.bounding_box()
    # the outlier sits below the line: lower on the screen than the line's level at the day before
    wed = chart.locator("g.pm-role-earlier rect.pm-cbar-rect").bounding_box()
    assert outlier_box and wed and outlier_box["y"] > wed["y"] and outlier_box["x"] > wed["x"]
    page.locator("figure.pm-chart-figure").screenshot(path=str(ARTIFACTS / "toll-chart.png"))
    page.screenshot(path=str(ARTIFACTS / "toll-fact.png"), full_page=True)
    page.goto(f"{served_toll}/-/palmyra")
    assert page.locator("#lower-than-earlier").is_visible()
    assert page.locator(".pm-flag-correction .pm-badge").first.inner_text() == "correction"
    page.screenshot(path=str(ARTIFACTS / "toll-dashboard.png"), full_page=True)


TEXT_BOXES = """svg => {
  const vb = svg.viewBox.baseVal;
  return {view: [vb.x, vb.y, vb.width, vb.height], drawn: svg.getBoundingClientRect().width,
          texts: [...svg.querySelectorAll("text")].map(t => {
            const b = t.getBBox();
            return {text: t.textContent, cls: t.getAttribute("class"), x: b.x, y: b.y, w: b.width, h: b.height};
          })};
}"""


def assert_texts_apart(chart, where: str, tol: float = 0.5) -> list[dict]:
    """The chart's text boxes as Chromium lays them out: none overlaps another by more than ``tol`` px and
    all lie inside the viewBox."""
    got = chart.evaluate(TEXT_BOXES)
    vx, vy, vw, vh = got["view"]
    texts = got["texts"]
    for t in texts:
        assert vx - tol <= t["x"] and t["x"] + t["w"] <= vx + vw + tol, (where, t)
        assert vy - tol <= t["y"] and t["y"] + t["h"] <= vy + vh + tol, (where, t)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] + tol or b["x"] + b["w"] <= a["x"] + tol
                     or a["y"] + a["h"] <= b["y"] + tol or b["y"] + b["h"] <= a["y"] + tol)
            assert apart, (where, a, b)
    return texts


@pytest.mark.parametrize("width", [1400, 430])
def test_chart_labels_apart_in_chromium(served_toll, served_crowd, browser_page, toll_db, crowd_db, width):
    """The toll and a crowded chart (ten outlets over three days) as drawn by Chromium: no text over another
    or outside the SVG, at desktop width and on a phone, where the chart keeps its drawn size and scrolls."""
    import sqlite3

    from datasette_palmyra.web.urls import encode

    facts = []
    for db in (toll_db, crowd_db):
        conn = sqlite3.connect(db)
        facts.append(conn.execute("select id from facts where varies = 'cumulative' and kind = 'count'"
                                  " order by claim_count desc limit 1").fetchone()[0])
        conn.close()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for base, fact, name in ((served_toll, facts[0], "step-chart"), (served_crowd, facts[1], "step-chart-crowd")):
            page.goto(f"{base}/-/palmyra/{'toll' if base == served_toll else 'crowd'}/facts/{encode(fact)}")
            chart = page.locator("svg.pm-chart")
            texts = assert_texts_apart(chart, f"{name} at {width}")
            values = [t for t in texts if t["cls"] == "pm-cbar-value"]
            assert len(values) >= (7 if name == "step-chart" else 5), texts
            assert any(t["cls"] == "pm-cbar-note" for t in texts)  # "lower than earlier", "disagrees"
            strip_texts = page.locator("details.pm-strip-details")
            strip_texts.locator("summary").click()
            assert_texts_apart(page.locator("svg.pm-strip"), f"strip of {name} at {width}")
            figure = page.locator("figure.pm-chart-figure")
            drawn = chart.evaluate("e => e.getBoundingClientRect().width")
            assert drawn == pytest.approx(int(chart.get_attribute("width")) + 2, abs=0.5)  # never shrunk (+ border)
            if width == 430:  # the figure scrolls sideways instead
                assert figure.evaluate("e => e.scrollWidth > e.clientWidth")
            figure.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
            if name == "step-chart":
                page.screenshot(path=str(ARTIFACTS / f"fact-{width}.png"), full_page=True)
        page.goto(f"{served_toll}/-/palmyra")
        assert page.locator("#lower-than-earlier").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{width}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
