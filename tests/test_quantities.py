"""Case tables for quantity extraction, English, Norwegian and Russian: each row is one feature."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_palmyra.extract import extract_claims

MILE = 1609.344
INF = None  # an open bound

# (language, sentence, span, kind, qualifier, low, high)
CASES = [
    # numbers: separators, decimals, words, scales
    ("en", "More than 5,000 militants launched an offensive.", "More than 5,000", "count", "more_than", 5000, INF),
    ("en", "The army lost 1.5 million dollars.", "1.5 million dollars", "money", "exact", 1_500_000, 1_500_000),
    ("en", "Three soldiers were wounded.", "Three", "count", "exact", 3, 3),
    ("en", "Twenty-five people were evacuated.", "Twenty-five", "count", "exact", 25, 25),
    ("en", "The convoy carried 5\u00a0000 refugees.", "5\u00a0000", "count", "exact", 5000, 5000),
    ("en", "It had 2.5 million inhabitants.", "2.5 million", "count", "exact", 2_500_000, 2_500_000),
    ("nb", "Over 4 000 IS-krigere deltok.", "Over 4 000", "count", "more_than", 4000, INF),
    ("nb", "Hæren hadde 5.000 soldater.", "5.000", "count", "exact", 5000, 5000),
    ("nb", "Byen har 1,5 millioner innbyggere.", "1,5 millioner", "count", "exact", 1_500_000, 1_500_000),
    ("nb", "Fem tusen mennesker flyktet.", "Fem tusen", "count", "exact", 5000, 5000),
    ("nb", "Det kostet to millioner kroner.", "to millioner kroner", "money", "exact", 2_000_000, 2_000_000),
    ("nb", "Tre soldater ble drept.", "Tre", "count", "exact", 3, 3),
    # qualifiers
    ("en", "About 300 militants were killed.", "About 300", "count", "approx", 270, 330),
    ("en", "Around 40 tanks took part.", "Around 40", "count", "approx", 36, 44),
    ("en", "At least 11 tanks were destroyed.", "At least 11", "count", "at_least", 11, INF),
    ("en", "Nearly 100 vehicles were hit.", "Nearly 100", "count", "nearly", 90, 100),
    ("en", "Almost 80% of residents left.", "Almost 80%", "percent", "nearly", 72, 80),
    ("en", "Up to 200 fighters remain.", "Up to 200", "count", "up_to", INF, 200),
    ("en", "Some 60 aircraft flew sorties.", "Some 60", "count", "approx", 54, 66),
    ("en", "Fewer than 50 civilians stayed.", "Fewer than 50", "count", "less_than", INF, 50),
    ("nb", "Mer enn 5000 krigere angrep.", "Mer enn 5000", "count", "more_than", 5000, INF),
    ("nb", "Minst 11 stridsvogner ble ødelagt.", "Minst 11", "count", "at_least", 11, INF),
    ("nb", "Rundt 300 krigere ble drept.", "Rundt 300", "count", "approx", 270, 330),
    ("nb", "Omtrent 40 fly deltok.", "Omtrent 40", "count", "approx", 36, 44),
    ("nb", "Nesten 100 kjøretøy ble truffet.", "Nesten 100", "count", "nearly", 90, 100),
    ("nb", "Opptil 200 krigere er igjen.", "Opptil 200", "count", "up_to", INF, 200),
    ("nb", "Cirka 60 fly fløy tokt.", "Cirka 60", "count", "approx", 54, 66),
    # ranges
    ("en", "Between 4,000 and 5,000 militants attacked.", "Between 4,000 and 5,000", "count", "range", 4000, 5000),
    ("en", "Some 4,000-5,000 militants attacked.", "Some 4,000-5,000", "count", "approx", 4000, 5000),
    ("en", "4,000 to 5,000 militants attacked.", "4,000 to 5,000", "count", "range", 4000, 5000),
    ("nb", "4 000–5 000 krigere angrep.", "4 000–5 000", "count", "range", 4000, 5000),
    ("nb", "Mellom 4000 og 5000 krigere angrep.", "Mellom 4000 og 5000", "count", "range", 4000, 5000),
    # units
    ("en", "Palmyra lies 215 km from Damascus.", "215 km", "length", "exact", 215_000, 215_000),
    ("en", "The road is 150 miles long.", "150 miles", "length", "exact", 150 * MILE, 150 * MILE),
    ("en", "The wall is 30 feet high.", "30 feet", "length", "exact", 30 * 0.3048, 30 * 0.3048),
    ("en", "A 500 metres wide strip.", "500 metres", "length", "exact", 500, 500),
    ("nb", "Palmyra ligger 240 kilometer fra Damaskus.", "240 kilometer", "length", "exact", 240_000, 240_000),
    ("nb", "Byen ligger 21 mil fra Damaskus.", "21 mil", "length", "exact", 210_000, 210_000),
    # percentages, ages, durations
    ("en", "They evacuated 80 per cent of residents.", "80 per cent", "percent", "exact", 80, 80),
    ("nb", "De evakuerte 80 prosent av innbyggerne.", "80 prosent", "percent", "exact", 80, 80),
    ("en", "The governor, aged 81, spoke.", "81", "age", "exact", 81, 81),
    ("en", "An 81-year-old man died.", "81-year-old", "age", "exact", 81, 81),
    ("en", "The 1,800-year-old arch was destroyed.", "1,800-year-old", "age", "exact", 1800, 1800),
    ("nb", "En 81 år gammel mann døde.", "81 år gammel", "age", "exact", 81, 81),
    ("en", "Over the past two days militants attacked.", "two days", "duration", "exact", 172_800, 172_800),
    ("nb", "Kampene varte i tre dager.", "tre dager", "duration", "exact", 259_200, 259_200),
    # Russian
    ("ru", "Более 5 тысяч боевиков начали наступление.", "Более 5 тысяч", "count", "more_than", 5000, INF),
    ("ru", "В атаке участвовали 5 тыс. боевиков.", "5 тыс.", "count", "exact", 5000, 5000),
    ("ru", "Пальмира находится в 240 километрах от Дамаска.", "240 километрах", "length", "exact", 240_000, 240_000),
    ("ru", "Свыше 4 000 боевиков отступили.", "Свыше 4 000", "count", "more_than", 4000, INF),
    ("ru", "Около 300 боевиков уничтожены.", "Около 300", "count", "approx", 270, 330),
]


@pytest.mark.parametrize("lang,sentence,span,kind,qualifier,low,high", CASES)
def test_quantity_case(lang, sentence, span, kind, qualifier, low, high):
    claims = [c for c in extract_claims(sentence, lang, "2016-12-12") if c.kind != "date"]
    assert [c.text for c in claims] == [span], claims
    c = claims[0]
    assert sentence[c.start:c.end] == c.text
    assert (c.kind, c.qualifier) == (kind, qualifier)
    assert c.low == pytest.approx(low) if low is not None else c.low is None
    assert c.high == pytest.approx(high) if high is not None else c.high is None


NOT_QUANTITIES = [
    ("en", "based on the UN Security Council Resolution 2254 and talks"),
    ("en", "Two Su-24 bombers flew over"),  # "Two" is a count, "24" is not
    ("en", "It was the second time the city fell"),
    ("en", "One of the soldiers was wounded"),
    ("en", "The meeting starts at 10:30 tomorrow"),
    ("en", "Call +7 495 123-45-67 for details"),
    ("en", "He was the 3rd speaker"),
    ("nb", "Det er fortsatt en del selvmordsbombere igjen"),
    ("nb", "FNs resolusjon 2254 ble vedtatt"),
]


@pytest.mark.parametrize("lang,sentence", NOT_QUANTITIES)
def test_not_a_quantity(lang, sentence):
    claims = [c for c in extract_claims(sentence, lang, "2016-12-12") if c.kind not in ("date",)]
    texts = [c.text for c in claims]
    if "Two Su-24" in sentence:
        assert texts == ["Two"]
    else:
        assert texts == [], claims


def test_parenthetical_conversion_is_a_linked_pair():
    text = "Palmyra, located 240 kilometers (150 miles) from Damascus, fell."
    claims = extract_claims(text, "en", "2016-12-12")
    km, mi = claims
    assert (km.text, mi.text) == ("240 kilometers", "150 miles")
    assert km.pair == 1 and mi.pair == 0
    assert (km.pair_role, mi.pair_role) == ("stated", "conversion")
    assert km.subject == "from Damascus" == mi.subject
    # rounding-aware: "150" stands for 145..155 miles, and 240 km is 149.1 miles
    assert abs(mi.low - km.low) <= mi.precision + km.precision


def test_precision_is_half_a_unit_of_the_last_written_digit():
    c, = extract_claims("The convoy covered 12.5 km.", "en")
    assert c.precision == pytest.approx(50)  # 0.05 km in metres
    c, = extract_claims("More than 5,000 militants", "en")
    assert c.precision == 500


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-–()%kmilesovrthanbuyäåø\n")) | st.characters(), max_size=120))
def test_extractor_never_raises_and_offsets_slice(text):
    for lang in ("en", "nb", "ru"):
        for c in extract_claims(text, lang, "2016-12"):
            assert text[c.start:c.end] == c.text
            if c.low is not None and c.high is not None:
                assert c.low <= c.high
