"""Places from the gazetteer and each claim's signature: what its clause says it is about.

Tables of cases, one row each, in the three languages; the sentences are of our own writing about
stories the project does not ship (floods, mines, ferries), so no row can pass by a story's word list.
"""

from __future__ import annotations

import pytest
import yaml

from datasette_palmyra.extract import extract_claims
from datasette_palmyra.places import gazetteer
from datasette_palmyra.ruleset import shipped_dir
from datasette_palmyra.signature import compute, sign_claims

# (text, language, the place ids found in order)
PLACES = [
    # a name several cities share: the country the text names decides (the largest Valencia is Venezuela's)
    ("Floods hit Valencia in Spain on Tuesday.", "en", ["valencia-es", "spain"]),
    ("Flommen rammet Valencia i Spania tirsdag.", "nb", ["valencia-es", "spain"]),
    ("Наводнение в Валенсии, в Испании.", "ru", ["valencia-es", "spain"]),
    ("Floods hit Valencia on Tuesday.", "en", ["valencia-ve"]),
    ("Rescuers reached Chiang Rai.", "en", ["chiang-rai"]),
    ("Thailands statsminister kom.", "nb", ["thailand"]),  # a Norwegian genitive
    ("В Дамаске и в Москве.", "ru", ["damascus-sy", "moscow-ru"]),  # Russian case forms
    ("Split the bill, they said.", "en", []),  # a common word at the start of a sentence
    ("The ferry sailed to Split on Monday.", "en", ["split"]),  # ... is a place after a place preposition
    ("Five Thai navy divers went in.", "en", []),  # "Thai" is an alternate name of a city: needs "in"
    ("Rain slows search in Thai cave.", "en", []),  # ... and is no name before a noun even then
    ("They met in Split yesterday.", "en", ["split"]),  # a day word after it is no noun
    ("The ship left New York for Rotterdam.", "en", ["new-york-city", "rotterdam-nl"]),
]


@pytest.mark.parametrize("text,lang,ids", PLACES)
def test_places_found_from_the_gazetteer(text, lang, ids):
    assert [p.id for p in gazetteer().places(text, lang)] == ids


def test_mentions_give_the_name_as_written():
    (m,) = gazetteer().mentions("They flew to Damascus.", "en")
    assert (m.text, m.place.country) == ("Damascus", "SY")


def test_a_city_is_the_main_place_over_its_own_country():
    text = "Floods in Valencia. Valencia's mayor said Spain would help. Spain's army came."
    assert gazetteer().main_place(text, "en").id == "valencia-es"


def test_rule_file_entities_take_the_gazetteer_names_of_their_place():
    g = gazetteer().with_entities({"ruins": ["the Ruins", "Palmyra"]})
    assert [p.id for p in g.places("Tadmur, or Palmyra, which Russians call Пальмира.", "en")] == ["ruins"]


# (kind, claim text, sentence, language, fields the signature must hold)
SIGNATURES = [
    ("count", "13", "When 13 foreign cave divers entered the mine, two more waited.", "en",
     {"head": "diver", "mods": "foreign cave"}),
    ("count", "12", "12 boys trapped in the mine were found.", "en", {"head": "boy"}),
    ("count", "tolv", "De tolv guttene ble funnet i gruven.", "nb", {"head": "gutt"}),
    ("count", "двенадцать", "Все двенадцать мальчиков вышли.", "ru", {"head": "мальчик"}),
    ("age", "25-летний", "Их 25-летний тренер вышел последним.", "ru", {"head": "тренер"}),
    ("age", "27 år gammel", "Treneren, som er 27 år gammel, kom ut.", "nb", {"head": "trener"}),
    ("count", "six", "Rescuers found six more bodies in Greece on Tuesday.", "en", {"increment": True}),
    ("count", "fire", "Fire nye gutter ble hentet ut i dag, og dermed er åtte reddet.", "nb", {"increment": True}),
    ("count", "200", "Спасатели нашли ещё 200 человек.", "ru", {"increment": True}),
    ("count", "four", "The first four were freed on Sunday.", "en", {"part": True}),
    ("count", "rundt 300", "Blokkeringen holdt til sammen rundt 300 skip tilbake.", "nb", {"total": True}),
    ("count", "300", "A total of 300 ships were held up.", "en", {"total": True}),
    ("count", "åtte", "Nå er åtte av de tolv guttene ute.", "nb", {"part": True}),
    ("count", "roughly 4,000", "About 9,000 are under orders, including the roughly 4,000 residents of Oliver.", "en",
     {"part": "within", "refers_back": True}),
    ("count", "ni", "Fjorten vogner sporet av, blant dem ni tankvogner.", "nb", {"part": "within"}),
    ("count", "14", "В Кемерове эвакуировали 300 человек, в том числе 14 детей.", "ru", {"part": "within"}),
    ("count", "sju", "Mannskapene løftet de sju tankvognene tilbake.", "nb", {"refers_back": True}),
    ("count", "53", "Insurers will assess the 53 destroyed houses.", "en", {"refers_back": True}),
    ("count", "15", "Все 15 шахтёров доставлены в больницу.", "ru", {"refers_back": True}),
    ("money", "€58 million", "The €58 million damage bill was far beyond the region's means.", "en", {"refers_back": True}),
    ("count", "50", "Some 50 ships pass through the canal a day.", "en", {"rate": "day"}),
    ("count", "over 50", "I snitt passerte over 50 skip i døgnet.", "nb", {"rate": "day"}),
    ("count", "50", "В день через канал проходят 50 судов в сутки.", "ru", {"rate": "day"}),
    ("length", "193-km", "The 193-km canal was shut.", "en", {"size": True, "head": "canal"}),
    ("count", "400", "The 1960 flood killed 400 people in the valley.", "en", {"years": [1960]}),
    ("duration", "11 days", "READ MORE: How a rescue in the Alps took 11 days", "en", {"teaser": True}),
    ("count", "12", "LES OGSÅ: 12 skip sank i stormen", "nb", {"teaser": True}),
    ("count", "2000", "Minst 2000 sivile ble evakuert fra byen i 2016.", "nb", {"years": [2016]}),
    ("length", "60 km", "The mine lies 60 km north of Valencia, in Spain.", "en",
     {"places": [["valencia-es", "ES", 10, 1], ["spain", "ES", 23, 1]]}),
    ("money", "$960 million", "The authority originally demanded $960 million.", "en", {"verb": "demand"}),
    ("length", "193-kilometre", "Ships sail through the 193-kilometre (120-mile) canal.", "en",
     {"size": True, "head": "canal"}),
    ("length", "1,312-foot", "The 1,312-foot container ship ran aground.", "en", {"size": True, "head": "ship"}),
    ("length", "59 metres", "The ship is 400 metres long and 59 metres wide.", "en", {"size": "width", "head": "ship"}),
    ("length", "rundt 19 mil", "Kanalen er rundt 19 mil lang og forbinder to hav.", "nb",
     {"size": "length", "head": "kanal"}),
    ("length", "300 meter", "Den 300 meter lange brua ble åpnet.", "nb", {"size": "length", "head": "bru"}),
    ("length", "163 км", "Суэцкий канал длиной 163 км соединяет два моря.", "ru", {"size": "length", "head": "канал"}),
    ("money", "8 milliarder dollar", "Utvidelsen kostet 8 milliarder dollar.", "nb", {"verb": "koste"}),
    # what a weight or a volume is of: the word after its unit, past a partitive
    ("mass", "110 tonnes", "About 110 tonnes of styrene escaped.", "en", {"substance": "styrene"}),
    ("mass", "110 tonn", "Rundt 110 tonn styren lekket ut.", "nb", {"substance": "styren"}),
    ("mass", "110 тонн", "Вытекло около 110 тонн стирола.", "ru", {"substance": "стирол"}),
    ("volume", "2 million litres", "Some 2 million litres of water were pumped out.", "en", {"substance": "water"}),
]


@pytest.mark.parametrize("kind,text,sentence,lang,expected", SIGNATURES)
def test_signature_reads_the_clause(kind, text, sentence, lang, expected):
    sig = compute(kind, text, sentence, lang)
    assert {k: sig.get(k) for k in expected} == expected, sig


# (kind, claim text, sentence, language, fields the signature must not hold)
NOT_IN_SIGNATURE = [
    ("count", "four", "The first four were freed on Sunday.", "en", ["refers_back"]),
    ("count", "35", "The flood destroyed 35 homes on Monday.", "en", ["refers_back", "part"]),
    ("count", "2000", "Minst 2000 sivile ble evakuert.", "nb", ["years"]),  # the count itself is no year
    ("count", "12", "12 boys and their coach are safe, and 2014 was another year.", "en", ["years"]),  # another clause
    ("count", "400", "The flood killed 400 people.", "en", ["increment", "part", "rate", "years"]),
    ("count", "50", "The quake killed 50 people a day after the storm.", "en", ["rate"]),
    ("count", "40", "Last Friday, and the first convoys", "en", ["stage"]),
    ("mass", "110 tonnes", "The 110 tonnes were taken away.", "en", ["substance"]),  # a function word follows
]


@pytest.mark.parametrize("kind,text,sentence,lang,absent", NOT_IN_SIGNATURE)
def test_signature_leaves_out_what_the_clause_does_not_say(kind, text, sentence, lang, absent):
    sig = compute(kind, text, sentence, lang)
    assert not [k for k in absent if k in sig], sig


def test_a_shared_name_is_the_one_in_the_country_the_article_names():
    body = "Floods in Valencia, Spain. The mine lies 60 km north of Valencia."
    claims = [c.to_dict() for c in extract_claims(body, "en", "2025-03-03")]
    sign_claims(body, claims, "en")
    km = next(c for c in claims if c["kind"] == "length")
    assert [p[0] for p in yaml.safe_load(km["signature"])["places"]] == ["valencia-es"]


def test_dates_of_stages_and_years_of_dated_clauses():
    text = ("The first four were freed on Sunday. I fjor passerte nesten 19 000 skip. The last four boys and "
            "their coach were brought out of the flooded mine in the north of the country on Tuesday. The first "
            "team arrived on Friday and the boys left on Monday. Four were brought out on Sunday, the first success. "
            "They left on Thursday, with the first convoys.")
    claims = [c.to_dict() for c in extract_claims(text, "en", "2021-03-29")]
    sign_claims(text, claims, "en")
    stages = {c["text"]: yaml.safe_load(c["signature"] or "{}").get("stage") for c in claims if c["kind"] == "date"}
    # a stage word anywhere earlier in the clause, but not one before another date of it
    # ... or in an apposition right after the date ("Sunday, the first success"), not in any phrase after it
    assert stages == {"Sunday": "1", "Tuesday": "last", "Friday": "1", "Monday": None, "Thursday": None}, stages
    nb = "I fjor passerte nesten 19 000 skip gjennom kanalen."
    claims = [c.to_dict() for c in extract_claims(nb, "nb", "2021-03-25")]
    sign_claims(nb, claims, "nb")
    ships = next(c for c in claims if c["kind"] == "count")
    assert yaml.safe_load(ships["signature"])["years"] == [2020]  # "i fjor" in an article of 2021


# -- defaults that carry no story ---------------------------------------------------------------------

def _shipped_words() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted((shipped_dir() / "vocabulary").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for table, concepts in data.items():
            for concept, by_lang in (concepts or {}).items():
                words = by_lang.items() if isinstance(by_lang, dict) else [("", by_lang)]
                for lang, ws in words:
                    if isinstance(ws, list):
                        out.extend((path.name, f"{table}.{concept}.{lang}", str(w)) for w in ws)
    return out


# reviewed: capitalised words in the shipped vocabulary that name no place, person or organisation
GENERAL_CAPITALISED = {"Richter scale"}
# reviewed: general words that are also the name of a large place
GENERAL_PLACE_NAMES = {"queens"}


def test_shipped_vocabulary_names_no_place_person_or_organisation():
    """The defaults hold general words only: a story's places come from the gazetteer and its own
    rule files (rules/palmyra.yml for the seeds), never from the shipped vocabulary."""
    for path in sorted((shipped_dir() / "vocabulary").glob("*.yml")):
        assert "entities" not in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}), path.name
    g = gazetteer()
    big = {p.name.lower() for p in g.names.values() if p.is_country or p.population >= 1_000_000}
    bad = []
    for file, where, word in _shipped_words():
        proper = word[:1].isupper() and not word[:2].isupper()  # "Palmyra"; "APCs" and "БМП" are acronyms
        if (proper and word not in GENERAL_CAPITALISED) or (word.lower() in big and word.lower() not in g.common | GENERAL_PLACE_NAMES):
            bad.append((file, where, word))
    assert not bad, bad
