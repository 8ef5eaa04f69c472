"""Fuzzing with hypothesis: the extractor on arbitrary and on news-like text, the rule loader on arbitrary YAML.

Properties: extraction never raises, every claim's offsets slice to its text, low <= high, dates are ISO;
the rule loader either returns a ruleset or raises RuleFileError whose every line is ``file:line:col: message``.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasette_palmyra.claims import Claim
from datasette_palmyra.extract import extract_claims
from datasette_palmyra.ruleset import RuleFileError, Ruleset, load_ruleset

FAST = settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.function_scoped_fixture])
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def assert_claims_sound(text: str, claims: list[Claim]) -> None:
    for c in claims:
        assert isinstance(c, Claim)
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.text, (c.start, c.end, c.text)
        if c.kind == "date":
            for v in (c.low, c.high):
                assert v is None or (isinstance(v, str) and ISO.fullmatch(v) and dt.date.fromisoformat(v)), c
            if c.low is not None and c.high is not None:
                assert c.low <= c.high, c
        else:
            for v in (c.low, c.high, c.value):
                if isinstance(v, float):
                    assert not math.isnan(v), c
            if isinstance(c.low, (int, float)) and isinstance(c.high, (int, float)):
                assert c.low <= c.high, c


# -- the extractor on arbitrary text ----------------------------------------------------------------------

NEWSY_CHARS = st.sampled_from(list("0123456789 ,.-–—%$€£/()°'\"\n\u00a0\u202f") + list("kmilesdaysoprtn")
                              + list("абвгдкмнопрстуяжшх") + list("æøåÆØÅ"))
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
                      st.integers(1990, 2030).map(str))


@FAST
@given(text=st.text(max_size=300), language=st.sampled_from(["en", "nb", "ru"]), published=PUBLISHED)
def test_extractor_on_arbitrary_text(text, language, published):
    assert_claims_sound(text, extract_claims(text, language, published))


@FAST
@given(text=st.text(NEWSY_CHARS, max_size=200), language=st.sampled_from(["en", "nb", "ru"]), published=PUBLISHED)
def test_extractor_on_digit_heavy_text(text, language, published):
    assert_claims_sound(text, extract_claims(text, language, published))


# -- the extractor on news-like sentences -----------------------------------------------------------------

PLACES = ["Palmyra", "Damascus", "Homs", "Raqqa", "Tadmur", "Deir ez-Zor"]
EN_UNITS = ["km", "kilometers", "miles", "metres", "hectares", "%", "percent", "years old", "days", "months", "tonnes"]
NB_UNITS = ["km", "kilometer", "mil", "meter", "prosent", "%", "år gammel", "dager", "måneder", "tonn"]
EN_QUAL = ["", "about ", "more than ", "at least ", "nearly ", "up to ", "some ", "over ", "fewer than "]
NB_QUAL = ["", "rundt ", "mer enn ", "minst ", "nesten ", "opptil ", "over ", "cirka "]
EN_MONTHS = ["January", "March", "May", "December", "Dec.", "Sept."]
NB_MONTHS = ["januar", "mars", "mai", "desember"]


def _number(lang: str):
    sep = "," if lang == "en" else "\u00a0"
    return st.one_of(
        st.integers(0, 10**7).map(str),
        st.integers(1000, 10**9).map(lambda n: f"{n:,}".replace(",", sep)),
        st.floats(0, 10**6, allow_nan=False).map(lambda x: f"{x:.1f}".replace(".", "." if lang == "en" else ",")),
        st.sampled_from(["1e308", "999 999 999 999", "0", "-40", "1/2", "10^6", "9" * 40, "2,5", "3.7 million",
                         "two", "tre", "a dozen", "hundreds of", "tusenvis av"]),
    )


def _date(lang: str):
    months = EN_MONTHS if lang == "en" else NB_MONTHS
    return st.one_of(
        st.builds(lambda d, m, y: f"{d} {m} {y}" if lang == "nb" else f"{m} {d}, {y}",
                  st.integers(0, 40), st.sampled_from(months), st.integers(1, 3000)),
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat),
        st.sampled_from(["last Friday", "on Monday", "yesterday", "in March", "i fjor", "onsdag kveld",
                         "i desember i fjor", "2016-02-30", "31 February 2016", "the 29th", "mid-2016"]),
    )


def _sentence(lang: str):
    qual = st.sampled_from(EN_QUAL if lang == "en" else NB_QUAL)
    unit = st.sampled_from(EN_UNITS if lang == "en" else NB_UNITS)
    place = st.sampled_from(PLACES)
    en = ["{q}{n} {u} from {p} {d}.", "{p} was captured {d}, with {q}{n} {u} lost.",
          "Between {n} and {n2} {u} ({n2} {u}) were reported near {p}.", "{q}{n}-{n2} {u} {d}, {p} said."]
    nb = ["{q}{n} {u} fra {p} {d}.", "{p} ble erobret {d}, og {q}{n} {u} gikk tapt.",
          "Mellom {n} og {n2} {u} ({n2} {u}) ved {p}.", "{q}{n}–{n2} {u} {d}, sier {p}."]
    return st.builds(lambda t, q, n, n2, u, p, d: t.format(q=q, n=n, n2=n2, u=u, p=p, d=d),
                     st.sampled_from(en if lang == "en" else nb), qual, _number(lang), _number(lang), unit, place,
                     _date(lang))


NEWS = st.sampled_from(["en", "nb"]).flatmap(
    lambda lang: st.tuples(st.just(lang), st.lists(_sentence(lang), min_size=1, max_size=4).map(" ".join)))


@FAST
@given(news=NEWS, published=PUBLISHED)
def test_extractor_on_news_like_sentences(news, published):
    lang, text = news
    claims = extract_claims(text, lang, published)
    assert_claims_sound(text, claims)


@pytest.mark.parametrize("text", ["about -40 tonnes", "nearly -5 km", "roughly -3%", "temperatures of about -15°C"])
def test_extractor_negative_approximate_figures_have_low_below_high(text):
    """Found by test_extractor_on_news_like_sentences: approx bounds of a negative figure were high < low."""
    claims = extract_claims(text, "en")
    assert claims
    assert_claims_sound(text, claims)


# -- long repeats: extraction stays linear --------------------------------------------------------------

def _repeat_unit(lang: str):
    """One phrase to repeat thousands of times: a date, a figure with its unit, a number in words."""
    qual = st.sampled_from(EN_QUAL if lang == "en" else NB_QUAL)
    unit = st.sampled_from(EN_UNITS if lang == "en" else NB_UNITS)
    figure = st.builds(lambda q, n, u: f"{q}{n} {u}", qual, _number(lang), unit)
    words = st.sampled_from(["between 4 and 5 ", "tjue tusen ", "it was 40 km, they said. ", "nesten 300 "])
    return st.one_of(_date(lang), figure, words).map(lambda phrase: phrase if phrase.endswith(" ") else phrase + ", ")


REPEATS = st.sampled_from(["en", "nb"]).flatmap(lambda lang: st.tuples(st.just(lang), _repeat_unit(lang)))


def _best_time(text: str, lang: str) -> float:
    import time

    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        extract_claims(text, lang, "2016-03-27")
        best = min(best, time.perf_counter() - t0)
    return best


def _assert_linear(lang: str, phrase: str) -> None:
    small = phrase * max(1, 5000 // len(phrase))
    large = small * 4
    extract_claims(small[:200], lang, "2016-03-27")  # warm-up: patterns compiled once
    t_small, t_large = _best_time(small, lang), _best_time(large, lang)
    assert t_large < 8 * max(t_small, 0.005), (phrase, t_small, t_large)


# the shapes that were once quadratic, each through another scan of the whole text per claim
LONG_REPEATS = [("nb", "i fjor "), ("en", "on Monday, "), ("en", "27 March "), ("en", "one hundred and "),
                ("en", "€5 "), ("en", "it will come on Monday, he said. "), ("en", "5 km (3 miles) "),
                ("en", "150 on Monday and 900 two days later, "), ("en", "in the third quarter of 2009 and "),
                ("en", "in April and ")]


@pytest.mark.parametrize("lang, phrase", LONG_REPEATS)
def test_extraction_of_known_long_repeats_grows_linearly(lang, phrase):
    """A phrase repeated to 5 KB and to 20 KB: four times the text may take about four times as long, never
    the sixteen times of a scan per claim over the whole text (which once made 90 KB of "27 March " take
    31 s). A ratio, so that it holds on a slow machine too; speed itself is measured in bench/ (scale)."""
    _assert_linear(lang, phrase)


@settings(FAST, max_examples=6)
@given(repeat=REPEATS)
def test_extraction_of_generated_long_repeats_grows_linearly(repeat):
    _assert_linear(*repeat)


# -- the rule loader on arbitrary YAML --------------------------------------------------------------------

KEYS = ["id", "kind", "rules", "facts", "grouping", "vocabulary", "severity", "tolerance", "fact", "facts",
        "unit", "entities", "words", "window", "near", "min", "max", "dates", "published", "from", "to",
        "claim_kind", "sequence", "rounding", "varies", "counted", "event", "label", "default", "date_gap",
        "possible_severity", "relative", "description", "kinds", "noun_near", "as_of_window"]
VALUES = ["agree", "within_article", "conversion", "bounds", "order", "relative_date", "error", "warning", "info",
          "length", "count", "date", "percent", "km", "5%", "1 day", "14 days", "Palmyra", "Damascus", "capture",
          "militants", "2016-02-30", "2016-03-27", "-1", "1e308", ".inf", "~", "(a+)+$", "", "yes", "kg"]
SCALARS = st.one_of(st.sampled_from(VALUES), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.booleans(), st.none(), st.text(max_size=15), st.dates())
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers()),
                                            inner, max_size=5)),
    max_leaves=25,
)
TOP = st.fixed_dictionaries({}, optional={"rules": st.lists(DOCS, max_size=3), "facts": st.lists(DOCS, max_size=3),
                                          "grouping": DOCS, "vocabulary": DOCS}) | DOCS
RULES = settings(FAST, max_examples=50)
LOCATED = re.compile(r"^.+:\d+:\d+: \S.*$")


def _assert_loads_or_located(path) -> None:
    try:
        ruleset = load_ruleset([path])
    except RuleFileError as e:
        assert e.errors, "an error with no message"
        for line in e.errors:
            # the rule file or one it names (a vocabulary file next to it)
            assert LOCATED.match(line) and line.startswith(str(path.parent)), line
    else:
        assert isinstance(ruleset, Ruleset)


@RULES
@given(doc=TOP)
def test_rule_loader_on_arbitrary_yaml_documents(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("rules") / "fuzz.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _assert_loads_or_located(path)


@RULES
@given(text=st.text(st.sampled_from(list("rules:facts- id kind agree{}[],'\"&*!|>#%@`\n\t ") + ["é"]),
                    max_size=120))
def test_rule_loader_on_arbitrary_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rules") / "fuzz.yml"
    path.write_text(text, encoding="utf-8")
    _assert_loads_or_located(path)


@pytest.mark.parametrize("text", ["rules:\n  - id: a\x00\n", "rules: [\x07]\n"])
def test_rule_loader_control_characters_one_located_line(tmp_path, text):
    path = tmp_path / "ctrl.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as e:
        load_ruleset([path])
    assert len(e.value.errors) == 1 and "\n" not in e.value.errors[0]
    assert e.value.errors[0].startswith(f"{path}:2:") or e.value.errors[0].startswith(f"{path}:1:9:")


@pytest.mark.parametrize("text", ["vocabulary: ['']\n", "vocabulary: ['.']\n"])
def test_rule_loader_vocabulary_entry_that_is_a_folder(tmp_path, text):
    """Found by test_rule_loader_on_arbitrary_yaml_documents: the error should name the rule file's line 1."""
    path = tmp_path / "voc.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as e:
        load_ruleset([path])
    assert all(line.startswith(f"{path}:1:") for line in e.value.errors), e.value.errors


@pytest.mark.parametrize("text", [
    "rules:\n  - id: a\n    kind: agree\n    tolerance: .inf\n",
    "rules:\n  - id: a\n    kind: bounds\n    claim_kind: percent\n    min: .nan\n",
    "rules:\n  - id: a\n    kind: agree\n    tolerance: 1e308%\n",
    "grouping: {window: 1e400 days}\n",
    "a: &x [*x]\n",
    "rules: !!python/object:os.system {}\n",
])
def test_rule_loader_edge_cases(tmp_path, text):
    path = tmp_path / "edge.yml"
    path.write_text(text, encoding="utf-8")
    _assert_loads_or_located(path)
