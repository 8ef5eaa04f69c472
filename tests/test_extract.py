"""What extract_claims adds over the finders: sentences, pairs, and the date each figure refers to."""

from __future__ import annotations

import os

import pytest

from datasette_palmyra.extract import extract_claims, sentences

PUB = "2023-02-09"  # a Thursday

# (language, sentence, figure, as_of_low, as_of_high, cue, qualifier)
FRAMING = [
    ("en", "The death toll rose to 2,300 as of Tuesday, officials said.", "2,300", "2023-02-07", "2023-02-07", "rising: rose to", "exact"),
    ("en", "By Sunday night, 300 people had died.", "300", "2023-02-05", "2023-02-05", None, "exact"),
    ("en", "So far 1,200 buildings have collapsed.", "1,200", PUB, PUB, "as_of_now: so far", "exact"),
    ("en", "The toll was revised down to 1,800.", "1,800", PUB, PUB, "correction: revised down to", "exact"),
    ("en", "The toll rose to 2,300, up from 1,500.", "1,500", None, PUB, "previous: up from", "exact"),
    ("en", "The toll stood at 150 on Monday.", "150", "2023-02-06", "2023-02-06", "rising: stood at", "exact"),
    ("en", "The toll rose to more than 2,300.", "more than 2,300", PUB, PUB, "rising: rose to", "more_than"),
    ("nb", "Dødstallet steg til 5000 per mandag.", "5000", "2023-02-06", "2023-02-06", "rising: steg til", "exact"),
    ("nb", "Hittil er 40 drept.", "40", PUB, PUB, "as_of_now: hittil", "exact"),
    ("nb", "Tallet ble nedjustert til 1800.", "1800", PUB, PUB, "correction: nedjustert til", "exact"),
    # "до" after "возросло" belongs to "rose to": an exact figure, not "up to"
    ("ru", "Число погибших возросло до 2300.", "2300", PUB, PUB, "rising: возросло до", "exact"),
    ("ru", "На данный момент погибли 120 человек.", "120", PUB, PUB, "as_of_now: на данный момент", "exact"),
    ("ru", "К утру вторника число погибших достигло 900.", "900", "2023-02-07", "2023-02-07", "rising: достигло", "exact"),
    # a correction word heading the clause frames the figures after its colon
    ("en", "Correction: 2,050 people died in the quake.", "2,050", PUB, PUB, "correction: correction", "exact"),
    ("ru", "Данные уточнили: погибли 2050 человек.", "2050", PUB, PUB, "correction: уточнили", "exact"),
    ("nb", "Rettelse: 2050 mennesker omkom.", "2050", PUB, PUB, "correction: rettelse", "exact"),
    ("en", "Officials said: 2,050 people died.", "2,050", PUB, PUB, None, "exact"),
    # a duration then "later" dates the figure next to it from the day written before: issue 12
    ("en", "The toll stood at 150 on Monday and had reached 900 two days later.", "900", "2023-02-08",
     "2023-02-08", "rising: reached", "exact"),
    ("en", "The toll stood at 150 on Monday and had reached 900 two days later.", "150", "2023-02-06",
     "2023-02-06", "rising: stood at", "exact"),
    ("en", "On Monday the toll was 150; two days later it was 900.", "900", "2023-02-08", "2023-02-08", None,
     "exact"),
    ("en", "On Monday 150 had died. One day later the count was 300.", "300", "2023-02-07", "2023-02-07", None,
     "exact"),
    # "on Tuesday, a day later" restates the day: the figure keeps the day beside it
    ("en", "The toll reached 300 on Tuesday, one day later.", "300", "2023-02-07", "2023-02-07",
     "rising: reached", "exact"),
    # a perfect right before the figure is a total so far (a rising cue); "has been" is none
    ("en", "The fire has now burned 21,000 hectares.", "21,000 hectares", PUB, PUB, "rising: has now burned",
     "exact"),
    ("en", "The quake has killed 2,300 people.", "2,300", PUB, PUB, "rising: has killed", "exact"),
    ("nb", "Brannen har drept 40 mennesker.", "40", PUB, PUB, "rising: har drept", "exact"),
    ("en", "The camp has been 5 km from the front.", "5 km", PUB, PUB, None, "exact"),
    ("nb", "Tallet var 150 mandag, og to dager senere var det 900.", "900", "2023-02-08", "2023-02-08", None,
     "exact"),
    ("ru", "В понедельник погибли 150 человек, а спустя два дня число жертв достигло 900.", "900", "2023-02-08",
     "2023-02-08", "rising: достигло", "exact"),
    # a sentence opening with "then" and naming no day is as of the day the sentence before named
    ("en", "The fire reached the town on Monday. Then 40 homes burned.", "40", "2023-02-06", "2023-02-06", None,
     "exact"),
    ("nb", "Brannen nådde byen mandag. Da ble det målt 38 grader.", "38 grader", "2023-02-06", "2023-02-06", None,
     "exact"),
    ("ru", "Пожар дошёл до города в понедельник. Тогда сгорели 40 домов.", "40", "2023-02-06", "2023-02-06", None,
     "exact"),
    # without the word it is as of publication; a day after publication (a forecast) is not the one
    ("en", "The fire reached the town on Monday. 40 homes burned.", "40", PUB, PUB, None, "exact"),
    ("en", "Rain is forecast for 11 February 2023. Then 40 homes may be safe.", "40", PUB, PUB, None, "exact"),
]


@pytest.mark.parametrize("lang,sentence,figure,low,high,cue,qualifier", FRAMING)
def test_figures_are_framed_in_time(lang, sentence, figure, low, high, cue, qualifier):
    claims = {c.text: c for c in extract_claims(sentence, lang, PUB)}
    c = claims[figure]
    assert (c.as_of_low, c.as_of_high) == (low, high), c.as_of_basis
    assert c.cue == cue
    assert c.qualifier == qualifier
    assert c.as_of_basis


def test_as_of_defaults_to_a_month_long_publication():
    (c,) = extract_claims("Over 4 000 IS-krigere angrep.", "nb", "2017-03")
    assert (c.as_of_low, c.as_of_high, c.as_of_basis) == ("2017-03-01", "2017-03-31", "published")


def test_sentences_split_on_ends_and_lines_and_keep_offsets():
    text = 'He said "Go." Then 5 left.\nNew line here. Dr. Who'
    spans = list(sentences(text))
    assert [text[s:e] for s, e in spans][:3] == ['He said "Go."', "Then 5 left.", "New line here."]
    (c,) = [c for c in extract_claims(text, "en") if c.text == "5"]
    assert c.sentence == "Then 5 left."


def test_pairs_are_indexes_into_the_merged_list():
    text = "On 27 March 2016 the army retook Palmyra, 240 kilometers (150 miles) from Damascus."
    claims = extract_claims(text, "en", "2016-03-28")
    assert [c.kind for c in claims] == ["date", "length", "length"]
    assert (claims[1].pair, claims[2].pair) == (2, 1)


@pytest.mark.parametrize("text, code", [
    ("В прошлую пятницу боевики атаковали Пальмиру, и город был освобожден в марте.", "ru"),
    ("Byen ligger 240 kilometer fra Damaskus, og den ble gjenerobret i mars.", "nb"),
    ("The city lies 240 km from Damascus and it was retaken in March.", "en"),
])
def test_guess_language_by_stop_words_of_any_script(text, code):
    from datasette_palmyra.load import guess_language

    assert guess_language(text) == code


@pytest.mark.parametrize("body, source", [
    ("MOSCOW, December 12. /TASS/. The Islamic State", "TASS"),
    ("МОСКВА, 12 декабря. /ТАСС/. Боевики", None),  # a lower-case month: no date line
    ("МОСКВА, 12 Декабря. /ТАСС/. Боевики", "ТАСС"),
    ("Moscow, December 12. /TASS/.", None),  # the place is not in capitals
])
def test_dateline_source_in_any_script(body, source):
    from datasette_palmyra.load import _dateline_source

    assert _dateline_source(body) == source


def test_publication_known_as_an_interval():
    """'2016-03-27/2016-04': written after 27 March, in late March or April; one reading for '27 March'."""
    import datetime as dt

    from datasette_palmyra.extract.dates import parse_published

    pub = parse_published("2016-03-27/2016-04")
    assert (pub.low, pub.high, pub.granularity) == (dt.date(2016, 3, 27), dt.date(2016, 4, 30), "range")
    (c,) = extract_claims("On 27 March the army liberated Palmyra.", "en", "2016-03-27/2016-04")
    assert (c.low, c.high) == ("2016-03-27", "2016-03-27")
    (c,) = extract_claims("On 27 March the army liberated Palmyra.", "en", "2016")
    assert (c.low, c.high) == ("2015-03-27", "2016-03-27")  # a year alone leaves both readings
    for bad in ("2016-04/2016-03", "2016-02-30/2016-03", "2016/x"):
        with pytest.raises(ValueError):
            parse_published(bad)


@pytest.mark.parametrize("text", ["You can only leave on 1/1/2016 and later, with 3 bags.",
                                  "We will come back after the 15th day of June with 40 trucks."])
def test_open_ended_dates_do_not_frame_figures(text):
    claims = extract_claims(text, "en", "2016-11-07")
    figures = [c for c in claims if c.kind != "date"]
    assert figures and all(c.as_of_low == "2016-11-07" for c in figures)
    assert any(c.kind == "date" and (c.low is None or c.high is None) for c in claims)


def test_spans_overlap_table():
    """The taken-spans index answers as the linear scan it replaced, on overlapping and added spans."""
    import random

    from datasette_palmyra.extract.spans import Spans

    rng = random.Random(7)
    held = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 500) for _ in range(60))]
    index = Spans(held)
    for start in range(0, 560, 3):
        for width in (1, 5, 40):
            want = any(s < start + width and start < e for s, e in held)
            assert index.overlaps(start, start + width) == want, (start, width)
    chosen = Spans()
    kept: list[tuple[int, int]] = []
    for s, e in sorted(held, key=lambda x: (x[0] - x[1], x[0])):  # longest first, as dates are chosen
        if any(a < e and s < b for a, b in kept):
            assert chosen.overlaps(s, e)
            continue
        assert not chosen.overlaps(s, e)
        chosen.add(s, e)
        kept.append((s, e))
    assert sorted(kept) == list(chosen)


ONE_SENTENCE = "the convoy moved 12 km north and 300 people left while 45 trucks waited near 7 bridges and "


@pytest.mark.parametrize("text, whole", [
    ("About 300 people left Homs, 40 km away, on 27 March 2016.", True),  # a sentence is kept whole
    (ONE_SENTENCE * 12, True),  # about 1,100 characters: still under the bound
    (ONE_SENTENCE * 200, False),  # 18 KB with no full stop: each claim gets a window of it
])
def test_long_sentences_are_stored_as_bounded_windows(text, whole):
    """A claim keeps its sentence, or for a "sentence" longer than any prose one a window around it: what
    is stored grows with the text, not with claims times sentence length (a 300 KB one-sentence article
    once made a 3 GB database)."""
    from datasette_palmyra.extract import SENTENCE_MAX, WINDOW_STEP

    claims = extract_claims(text, "en", "2016-03-28")
    assert claims
    for c in claims:
        assert c.text in c.sentence
        if whole:
            assert c.sentence == text.strip()
        else:
            assert len(c.sentence) <= 3 * WINDOW_STEP + len(c.text) + 1 < SENTENCE_MAX
            at = text.find(c.sentence, max(0, c.end - len(c.sentence)))
            assert 0 <= at <= c.start and c.end <= at + len(c.sentence)  # a piece of the text around the claim
            assert c.start - at >= min(WINDOW_STEP - 40, c.start)  # with context before it
            assert at == 0 or text[at - 1] == " "  # cut at a space, not in a word
    if not whole:
        assert len({c.sentence for c in claims}) < len(claims)  # nearby claims share a window


def test_a_one_sentence_article_grows_the_database_linearly(tmp_path):
    from datasette_palmyra.load import load_paths

    sizes = {}
    for n in (20, 80):
        src = tmp_path / f"one-{n}.txt"
        src.write_text(ONE_SENTENCE * (n * 1000 // len(ONE_SENTENCE)), encoding="utf-8")
        db = tmp_path / f"one-{n}.db"
        load_paths(db, [src])
        sizes[n] = db.stat().st_size / src.stat().st_size
    assert sizes[80] < 1.3 * sizes[20], sizes  # bytes stored per byte of text: flat, not growing
    assert sizes[80] < 100, sizes


def _asdict_reference(claim) -> dict:
    """What Claim.to_dict returned before it built its dict directly (issue 13): dataclasses.asdict."""
    import dataclasses

    d = dataclasses.asdict(claim)
    if not d["extra"]:
        d.pop("extra")
    return d


# (language, published, text): realistic news, with claims whose extra is set ("readings", a weekday
# that does not match, a temperature scale not written) and conversion pairs
TO_DICT = [
    ("en", "2016-12-17", "They attacked last Friday. On Monday, March 3, 2016 they met. It was 40 degrees. "
                         "More than 5,000 militants came 240 km (150 miles) from Damascus on 27 March 2016; "
                         "80% of $2 million was spent in early 2014, and dozens of families left last June."),
    ("nb", "2016-11-07", "Mer enn 5 000 krigere kom 240 kilometer 27. mars 2016; forrige fredag var det 40 grader."),
    ("ru", "2016-11-07", "Это случилось в прошлую пятницу: погибли 2050 человек, в 240 км от Дамаска."),
]


@pytest.mark.parametrize("code, published, text", TO_DICT)
def test_to_dict_is_what_asdict_gave(code, published, text):
    claims = extract_claims(text, code, published)
    assert any(c.extra for c in claims) or code != "en"
    for c in claims:
        new, old = c.to_dict(), _asdict_reference(c)
        assert list(new) == list(old) and new == old
        if c.extra:  # a copy: changing it leaves the claim as it was
            new["extra"]["changed"] = True
            assert "changed" not in c.extra


def _language_fields(lang) -> tuple:
    return lang.data, lang.months, lang.weekdays, lang.group_symbols, lang.decimal_symbol


@pytest.mark.parametrize("code", ["en", "nb", "ru"])
def test_a_language_from_the_cache_is_the_language_read_from_its_files(code, tmp_path, monkeypatch):
    """Issue 13, cold start: data files and Babel's names are cached on disk; what comes back is the same."""
    from datasette_palmyra import language

    monkeypatch.setenv("PALMYRA_CACHE_DIR", str(tmp_path))
    built = language.load_language.__wrapped__(code)  # from the files, and written to the cache
    read = language._sources(code)
    assert language._cache_path(code).exists()
    monkeypatch.setattr(language, "_read_language_data", lambda code: pytest.fail("read the files again"))
    monkeypatch.setattr(language, "_babel_names", lambda code: pytest.fail("asked Babel again"))
    assert language._sources(code) == read
    assert _language_fields(language.load_language.__wrapped__(code)) == _language_fields(built)


# (what happens to the cache or the files, what the next load sees)
CACHE_CASES = [
    ("a data file changes", "numbers.yml", "stopwords: [zzz]\n", ["zzz"]),
    ("a data file is added", "extra.yml", "stopwords: [yyy]\n", ["yyy", "the"]),  # merged, in file order
    ("the cache is garbage", None, None, ["the"]),
]


@pytest.mark.parametrize("case, name, content, stopwords", CACHE_CASES, ids=[c[0] for c in CACHE_CASES])
def test_the_language_cache_follows_its_files(case, name, content, stopwords, tmp_path, monkeypatch):
    from datasette_palmyra import language

    user = tmp_path / "langs" / "xx"
    user.mkdir(parents=True)
    (user / "numbers.yml").write_text("stopwords: [the]\n", encoding="utf-8")
    monkeypatch.setenv("PALMYRA_LANGUAGES", str(tmp_path / "langs"))
    monkeypatch.setenv("PALMYRA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(language, "_babel_names", lambda code: ({}, {}, [","], "."))  # "xx" has no CLDR data
    assert language._sources("xx")[0]["stopwords"] == ["the"]
    if name:
        path = user / name
        os.utime(user / "numbers.yml", ns=(1, 1))  # a different mtime even on a coarse clock
        path.write_text(content, encoding="utf-8")
    else:
        language._cache_path("xx").write_bytes(b"not marshal data")
    assert language._sources("xx")[0]["stopwords"] == stopwords


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    from datasette_palmyra import language

    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("PALMYRA_CACHE_DIR", str(blocker))  # a file where the folder would be
    data, names = language._sources("en")
    assert data["stopwords"] and names[0]["march"] == 3


@pytest.mark.parametrize("text", ["27 March " * 60, "i fjor " * 80, "on Monday, " * 50,
                                  "In the " + "very " * 60 + "long run up to 27 March 2016, it rained."])
def test_date_subjects_read_near_first_are_those_read_far(text, monkeypatch):
    """A date's subject words read from a short stretch first (extract.SUBJECT_NEAR) are those the
    whole SUBJECT_BEFORE stretch gives."""
    from datasette_palmyra import extract

    lang = "nb" if "fjor" in text else "en"
    near = [c.subject for c in extract_claims(text, lang, PUB)]
    monkeypatch.setattr(extract, "SUBJECT_NEAR", extract.SUBJECT_BEFORE)
    assert [c.subject for c in extract_claims(text, lang, PUB)] == near
