"""Places found, not listed (issue 12): a capitalised name the gazetteer lacks that stands right after a
place preposition in two or more articles is a place of the corpus, and a name several places share
resolves in the corpus' country. Stories of our own writing about invented places, through the real
loader and checker on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from helpers import checksum

from datasette_palmyra.load import load_paths
from datasette_palmyra.ruleset import load_ruleset
from datasette_palmyra.run import run_check
from datasette_palmyra.store import open_db

Article = tuple[str, str, str, str, str]  # id, source, published, language, text


def _load(tmp_path: Path, articles: list[Article], folder: str = "arts") -> Path:
    """Articles through the real loader (a manifest gives outlet, date and language); the database."""
    d = tmp_path / folder
    d.mkdir()
    for a, _s, _p, _lang, text in articles:
        (d / f"{a}.txt").write_text(text, encoding="utf-8")
    manifest = [{"path": f"{a}.txt", "id": a, "source": s, "published": p, "language": lang}
                for a, s, p, lang, _t in articles]
    (d / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    load_paths(tmp_path / "c.db", [d], manifest=d / "manifest.yml", strict=True)
    return tmp_path / "c.db"


def _found(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {pid: n for key, pid, n in conn.execute("SELECT key, id, articles FROM corpus_places") if key}
    finally:
        conn.close()


def _country(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT country FROM corpus_places WHERE key = ''").fetchone()
        return row[0] if row else ""
    finally:
        conn.close()


def _places_of(db: Path, claim_text: str) -> list[str]:
    """The place ids in the stored signature of the (first) claim written ``claim_text``."""
    conn = sqlite3.connect(db)
    try:
        (sig,) = conn.execute("SELECT signature FROM claims WHERE text = ? ORDER BY id LIMIT 1", [claim_text]).fetchone()
    finally:
        conn.close()
    return [p[0] for p in json.loads(sig or "{}").get("places", [])]


MINE = [  # a flooded mine at an invented village, in three languages
    ("nw", "Nordic Wire", "2024-02-06", "en",
     "Mine flood in Norway\n\nSeven miners were trapped in Kvartsdal, Norway on Monday."),
    ("fp", "Fjordposten", "2024-02-07", "nb",
     "Gruveulykke\n\nSju gruvearbeidere satt fast i Kvartsdal mandag, opplyser politiet i Norge."),
    ("nd", "North Daily", "2024-02-07", "en",
     "Rescue in Norway\n\nRescuers near Kvartsdal said seven miners were trapped on Monday."),
]

TUNGURKA = [  # the same in Russian case forms: "в Малой Тунгурке", "под Малой Тунгуркой"
    ("ri", "Сибирь-Информ", "2024-03-04", "ru",
     "Обвал в России\n\nВ Малой Тунгурке под завалом оказались 12 горняков, сообщили в России."),
    ("rn", "Новости Урала", "2024-03-05", "ru",
     "Спасение\n\nПод Малой Тунгуркой спасатели достали 12 горняков. Россия ждёт новостей."),
]

NOT_PLACES = [  # capitalised common words, months and a name after a preposition in one article only
    ("p1", "Capital Post", "2024-04-02", "en",
     "Budget\n\nIn Parliament, 40 members voted in March. The vote in Parliament came from Osterby's mayor."),
    ("p2", "City Times", "2024-04-03", "en",
     "Vote\n\nA debate in Parliament drew 40 members in March."),
    ("p3", "Tinget", "2024-04-03", "nb",
     "Budsjett\n\nI går stemte 40 representanter i Stortinget i mars."),
    ("p4", "Tinget i dag", "2024-04-04", "nb",
     "Avstemning\n\nDebatten i Stortinget samlet 40 representanter."),
]


@pytest.mark.parametrize("story, found, claim, place", [
    (MINE, {"kvartsdal": 3}, "Seven", "kvartsdal"),
    (MINE, {"kvartsdal": 3}, "Sju", "kvartsdal"),
    (TUNGURKA, {"малый-тунгурка": 2}, "12", "малый-тунгурка"),
    (NOT_PLACES, {}, "40", None),
])
def test_a_name_after_a_place_preposition_in_two_articles_is_a_place(tmp_path, story, found, claim, place):
    db = _load(tmp_path, story)
    assert _found(db) == found
    assert (place in _places_of(db, claim)) if place else not _places_of(db, claim)


@pytest.mark.parametrize("first, second, before, after", [
    # one article naming the village is not enough; a second one makes it a place of both
    (MINE[:1], MINE[1:2], {}, {"kvartsdal": 2}),
    # an article about something else adds nothing
    (MINE[:2], NOT_PLACES[:1], {"kvartsdal": 2}, {"kvartsdal": 2}),
])
def test_later_loads_settle_the_places_of_earlier_articles(tmp_path, first, second, before, after):
    db = _load(tmp_path, first, "one")
    assert _found(db) == before
    assert ("kvartsdal" in _places_of(db, "Seven")) == bool(before)
    _load(tmp_path, second, "two")
    assert _found(db) == after
    assert ("kvartsdal" in _places_of(db, "Seven")) == bool(after)


def test_a_reload_changes_nothing_and_the_reason_says_how_the_place_was_found(tmp_path):
    db = _load(tmp_path, MINE)
    run_check(open_db(db), load_ruleset(None))
    digest = checksum(db)
    load_paths(db, [tmp_path / "arts"], manifest=tmp_path / "arts" / "manifest.yml", strict=True)
    assert checksum(db) == digest
    conn = sqlite3.connect(db)
    reasons = [r for (r,) in conn.execute(
        "SELECT r.reason FROM fact_claims fc JOIN claims c ON c.id = fc.claim_id "
        "JOIN fact_reasons r ON r.id = fc.reason_id WHERE c.text = 'Monday'")]
    conn.close()
    assert any("Kvartsdal (place: named after a place preposition in 3 articles)" in r for r in reasons), reasons


VALENCIA_ALONE = ("va", "River Wire", "2024-05-06", "en", "Floods\n\nAbout 300 homes were flooded in Valencia on Sunday.")
SPAIN = ("sp", "Iberia Daily", "2024-05-06", "en", "Storm\n\nThe storm hit Spain and closed 40 schools in Madrid.")
VENEZUELA = ("ve", "Caribe Post", "2024-05-06", "en", "Rain\n\nRain in Venezuela closed 40 schools in Caracas.")


@pytest.mark.parametrize("story, country, place", [
    ([VALENCIA_ALONE], "", "valencia-ve"),  # no country in the corpus: the largest place of the name
    ([VALENCIA_ALONE, SPAIN], "ES", "valencia-es"),  # the corpus is about Spain
    ([VALENCIA_ALONE, VENEZUELA], "VE", "valencia-ve"),
])
def test_a_shared_name_resolves_in_the_corpus_country(tmp_path, story, country, place):
    db = _load(tmp_path, story)
    assert _country(db) == country
    assert _places_of(db, "About 300") == [place]
