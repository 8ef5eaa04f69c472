"""The extractor's fast paths find exactly what the plain ones find.

Speed work (issues 2 and 5) must not change a single claim: word alternations are written as tries
(language.alternation), find_dates skips a pattern when a piece every match of it holds is missing from the
text ("needs", the gate plan) and skips the searches of its merges when their words are absent. Each is
checked here against the plain form it replaces: the flat alternation, and the reference scan
(dates._PLAIN_SCAN, every pattern its gate lets through over the whole text) on short texts, where the
windowed-scan tests in test_dates.py do not reach. The accuracy harness is checked to time the extraction
call alone (on a counting clock, not a real one).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_palmyra.extract import dates, extract_claims
from datasette_palmyra.extract.dates import find_dates, parse_published
from datasette_palmyra.language import _SPACE_RUN, alternation, load_language

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


# -- trie alternation == flat alternation ----------------------------------------------------------------

def _flat(words, dash_or_space: bool = False) -> str:
    """The alternation as it was written before tries: every word, longest first."""
    items = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w).replace(r"\ ", _SPACE_RUN) for w in items)
    return body.replace(r"\-", r"[\s\u00a0-]") if dash_or_space else body


# letters IGNORECASE folds (K and the Kelvin sign, s and long s, i and dotless i), spaces and hyphens
_LETTERS = st.sampled_from(list("abcmaykKsſiıμµ -.") + ["\u212a", "\u00a0"])
_WORDS = st.lists(st.text(_LETTERS, min_size=1, max_size=6), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.text(_LETTERS, max_size=40), st.booleans(), st.booleans(), st.sampled_from([
    r"(?![^\W\d_])", r"(?P<tail>[a-z]*)b", r"[\s\u00a0]+c", r"\.?(?:\s*-\s*k)?", r"",
]))
def test_trie_matches_what_the_flat_alternation_matches(words, text, ignorecase, dash, after):
    """Same spans and groups for every text, whatever follows the alternation in the pattern."""
    flags = re.IGNORECASE if ignorecase else 0
    trie = re.compile(rf"(?<!\w)(?P<w>{alternation(words, dash_or_space=dash)}){after}", flags)
    flat = re.compile(rf"(?<!\w)(?P<w>{_flat(words, dash)}){after}", flags)
    for probe in (text, " ".join(words) + " " + text, "".join(words)):
        assert [(m.span(), m.groupdict()) for m in trie.finditer(probe)] == \
            [(m.span(), m.groupdict()) for m in flat.finditer(probe)]


def test_the_shipped_vocabularies_become_tries():
    """The point of it: month names and units read one branch per letter."""
    months = alternation(load_language("en").months)
    assert months.startswith("(?:") and "|" in months and months.count("j") < 6
    assert alternation(["more than", "more"]) == r"more(?:[\s\u00a0]+than)?"
    assert alternation(["M", "m"]) == "M|m"  # case variants: the flat list (see language._trie)


# -- short texts: the fast path == the reference scan ----------------------------------------------------

_FRAGMENTS = st.sampled_from([
    "March", "Mar.", "27 March 2016", "March 27", "May", "mayor", "Friday", "last Friday", "Tue", "next", "this",
    "ago", "two days ago", "3 weeks", "in two weeks", "the 15th day of next month", "Christmas", "now", "2016",
    "27", "1990s", "'90s", "12/12/30", "5/12/2016", "22/04", "2016-03-27", "20161016", "2016 10 16",
    "(2005-2011)", "2005-2011", "2020/Sep/23", "Sep-23", "nineteen eighty six", "twenty-first", "18 and 19 June",
    "i fjor", "i går", "27. mars", "fredag", "марта", "в 2015 году", "Auguſt", "since", "before", "after",
    "or later", "about", "between", "and", "to", "of", "the", "on", "from", "week of", "two weeks after",
    "this year", "March this year", "will", "said", "5,000", "80%", "km", ",", ".", "-", "/", "(", ")", " ",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=12), st.sampled_from(["en", "nb", "ru"]),
       st.sampled_from(["2016-12-12", "2017-03", None]))
def test_short_texts_give_the_claims_of_the_reference_scan(fragments, code, published):
    text = " ".join(fragments)
    lang, pub = load_language(code), parse_published(published) if published else None
    fast = [c.to_dict() for c in find_dates(text, lang, pub)]
    saved = dates._PLAIN_SCAN
    dates._PLAIN_SCAN = True
    try:
        plain = [c.to_dict() for c in find_dates(text, lang, pub)]
    finally:
        dates._PLAIN_SCAN = saved
    assert fast == plain, text


def test_every_need_is_held_by_every_match():
    """A need is a piece of its pattern: wherever the pattern matches, its need (and the need's need) is found."""
    texts = ["On 2016-03-27, 5/12/2016 and 12/12/30, 20161016 (2005-2011) 2005-2011 the 1990s 22/04 the 3rd",
             "On 2016 10 16, 18 and 19 June, March this year, 2014 through 2016, in 2015 году and the '90s"]
    for code in ("en", "nb", "ru"):
        p = dates._patterns(code)
        for name, rx, _gate, need, parent in p.steps:
            for text in texts:
                if need is None or next(iter(rx.finditer(text)), None) is None:
                    continue
                assert need.search(text), (code, name)
                assert parent is None or parent.search(text), (code, name)


def test_a_sentence_without_figures_has_no_claims_and_keeps_its_fields():
    assert extract_claims("The observatory said the situation was calm.", "en", "2016-12-12") == []
    claims = extract_claims("Over 2,000 people fled after the attack, as of Tuesday.", "en", "2016-12-12")
    assert [c.kind for c in claims] == ["count", "date"]
    assert claims[0].as_of_low == claims[1].low and claims[0].sentence == claims[1].sentence


# -- the accuracy harness times the extraction call alone -------------------------------------------------

def test_run_suite_times_the_extraction_call_and_nothing_else(monkeypatch):
    from bench import accuracy

    clock = [0.0]

    def extract(text: str) -> list[str]:
        clock[0] += 1.0  # one tick per extraction call
        return [text]

    def convert(case, out):
        clock[0] += 1000.0  # conversion and scoring must not count
        return [accuracy.Item(0, len(out[0]), "count", [(1, 1)], out[0], points=(1,))]

    monkeypatch.setattr(accuracy, "CLOCK", lambda: clock[0])
    tool = accuracy.Tool(lambda case: (case.text,), extract, convert)
    cases = [accuracy.Case("s", t, [accuracy.Item(0, 1, "count", [(1, 1)], t[:1])]) for t in ("a", "bb", "ccc")]
    score = accuracy.run_suite(accuracy.Suite("s", cases, ("ours",)), tool, repeat=3)
    assert score.seconds == 3.0  # the best of three passes, each three calls of one tick
    assert (score.tp, score.n_pred, score.n_gold, score.errors) == (3, 3, 3, 0)
    assert tool(cases[0])[0].text == "a"  # a tool is still callable as one step
