"""The date extractor: spans, intervals and resolution against the publication date, in en, nb and ru.

Each row is (text, published, expected span, low, high, granularity); published None means no
publication date. The seed sentences come from the TASS, RT and NRK articles in seeds/.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasette_palmyra.extract.dates import Published, find_dates, parse_published
from datasette_palmyra.language import load_language

TASS = "2016-12-12"  # a Monday
NRK = "2017-03"
RT = "2016-03"


def _dates(text: str, code: str, published: str | None):
    return find_dates(text, load_language(code), parse_published(published) if published else None)


def _one(text: str, code: str, published: str | None, span: str):
    claims = [c for c in _dates(text, code, published) if c.text == span]
    found = [c.text for c in _dates(text, code, published)]
    assert len(claims) == 1, f"{span!r} not found in {text!r}: found {found}"
    return claims[0]


# -- parse_published ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "s, low, high, granularity, text",
    [
        ("2016-12-12", "2016-12-12", "2016-12-12", "day", "2016-12-12"),
        ("2017-03", "2017-03-01", "2017-03-31", "month", "2017-03"),
        ("2016-02", "2016-02-01", "2016-02-29", "month", "2016-02"),
        ("2015", "2015-01-01", "2015-12-31", "year", "2015"),
        ("2016-12-12T10:30:00+03:00", "2016-12-12", "2016-12-12", "day", "2016-12-12"),
        ("2016-12-12T10:30:00Z", "2016-12-12", "2016-12-12", "day", "2016-12-12"),
        (" 2016-3-7 ", "2016-03-07", "2016-03-07", "day", "2016-03-07"),
    ],
)
def test_parse_published(s, low, high, granularity, text):
    p = parse_published(s)
    assert isinstance(p, Published)
    assert (p.low.isoformat(), p.high.isoformat(), p.granularity, p.text) == (low, high, granularity, text)


@pytest.mark.parametrize("s", ["2016-02-30", "2015-13", "12/12/2016", "yesterday", "", "2016-12-12Tnoon", "16-12-12"])
def test_parse_published_rejects(s):
    with pytest.raises(ValueError, match="published date"):
        parse_published(s)


# -- seed sentences ----------------------------------------------------------------------------

SEEDS = [
    # TASS, Monday 2016-12-12
    ("Konashenkov told reporters on Monday.", "en", TASS, "Monday", "2016-12-12", "2016-12-12", "day"),
    ("The Islamic State terrorist group attacked Palmyra, located 240 kilometers (150 miles) from Damascus, "
     "last Friday.", "en", TASS, "last Friday", "2016-12-09", "2016-12-09", "day"),
    ("there had not been a group that large near Palmyra until last Thursday.", "en", TASS, "last Thursday",
     "2016-12-08", "2016-12-08", "day"),
    ("forced to retreat from the central districts of Palmyra by Sunday night.", "en", TASS, "Sunday night",
     "2016-12-11", "2016-12-11", "day"),
    ("Syrian troops liberated Palmyra from the IS the previous time on March 27 with assistance", "en", TASS,
     "March 27", "2016-03-27", "2016-03-27", "day"),
    ("MOSCOW, December 12. /TASS/. The Islamic State", "en", TASS, "December 12", "2016-12-12", "2016-12-12", "day"),
    # NRK, published only as March 2017
    ("Ekstremistene mistet kontrollen over byen i mars 2016, men gjenerobret den i desember i fjor.", "nb", NRK,
     "desember i fjor", "2016-12-01", "2016-12-31", "month"),
    ("Ekstremistene mistet kontrollen over byen i mars 2016, men gjenerobret den i desember i fjor.", "nb", NRK,
     "mars 2016", "2016-03-01", "2016-03-31", "month"),
    # every Wednesday-on-or-before reading across March 2017 (March 1 was itself a Wednesday)
    ("De russiskstøttende styrkene tok seg inn i de vestlige delene av byen onsdag kveld.", "nb", NRK,
     "onsdag kveld", "2017-03-01", "2017-03-29", "day"),
    ("Torsdag morgen hadde IS-krigerne trukket seg tilbake.", "nb", NRK, "Torsdag morgen", "2017-02-23",
     "2017-03-30", "day"),
    ("Russiske luftangrep mot IS-mål pågikk i og utenfor Palmyra torsdag.", "nb", NRK, "torsdag", "2017-02-23",
     "2017-03-30", "day"),
    ("Første gang IS erobret Palmyra, i mai 2015, begynte ekstremistgruppa", "nb", NRK, "mai 2015", "2015-05-01",
     "2015-05-31", "month"),
    ("Tidligere denne uken ba Russland om at terror skal settes opp på agendaen", "nb", NRK,
     "Tidligere denne uken", "2017-02-27", "2017-03-31", "week"),
    # RT, published only as March 2016: "27 March" is the latest on or before the (unknown) day of
    # publication, 2015-03-27 if before the 27th, so the claim covers both readings
    ("On 27 March the Syrian Army backed by the Russian Air Force liberated Palmyra", "en", RT, "27 March",
     "2015-03-27", "2016-03-27", "day"),
    ("the Geneva Communiqué of 30 June, 2012 and decisions", "en", RT, "30 June, 2012", "2012-06-30", "2012-06-30",
     "day"),
    ("Deputy foreign minister (2005-2011). Follow him", "en", RT, "2005-2011", "2005-01-01", "2011-12-31", "year"),
    ("Palmyra fell under control of IS back in 2015.Terrorists destroyed", "en", "2017-03", "2015", "2015-01-01",
     "2015-12-31", "year"),
    ("strikes in Syria on September 30, 2015, on a request", "en", "2016-02-11", "September 30, 2015", "2015-09-30",
     "2015-09-30", "day"),
    ("has killed over 220,000 people and displaced millions since its start in 2011.", "en", "2016-02-11", "2011",
     "2011-01-01", "2011-12-31", "year"),
]


@pytest.mark.parametrize("text, code, published, span, low, high, granularity", SEEDS)
def test_seed_sentences(text, code, published, span, low, high, granularity):
    c = _one(text, code, published, span)
    assert (c.low, c.high, c.granularity) == (low, high, granularity)
    assert c.kind == "date" and c.unit is None and c.norm_unit == "day"
    assert text[c.start:c.end] == c.text


# -- absolute, partial, relative: every feature in every language -----------------------------

CASES = [
    # English absolute
    ("It happened on 27 March 2016.", "en", None, "27 March 2016", "2016-03-27", "2016-03-27", "day"),
    ("It happened on March 27, 2016.", "en", None, "March 27, 2016", "2016-03-27", "2016-03-27", "day"),
    ("It happened on 27th March 2016.", "en", None, "27th March 2016", "2016-03-27", "2016-03-27", "day"),
    ("It happened on the 4th of July of 1995.", "en", None, "4th of July of 1995", "1995-07-04", "1995-07-04", "day"),
    ("Eli Lilly sold IVAC on Dec. 31 , 1994", "en", None, "Dec. 31 , 1994", "1994-12-31", "1994-12-31", "day"),
    ("The file is report-2016-03-27.pdf", "en", None, "2016-03-27", "2016-03-27", "2016-03-27", "day"),
    ("Published 2016-03-27T10:30:00Z by", "en", None, "2016-03-27", "2016-03-27", "2016-03-27", "day"),
    ("Deadline 12/25/2016 for all", "en", None, "12/25/2016", "2016-12-25", "2016-12-25", "day"),
    ("Deadline 25/12/2016 for all", "en", None, "25/12/2016", "2016-12-25", "2016-12-25", "day"),
    ("Tuesday, March 27, 2018 was", "en", None, "Tuesday, March 27, 2018", "2018-03-27", "2018-03-27", "day"),
    # English partial
    ("We met on March 27.", "en", TASS, "March 27", "2016-03-27", "2016-03-27", "day"),
    ("We met on December 20.", "en", TASS, "December 20", "2015-12-20", "2015-12-20", "day"),
    ("The offensive began in May 2015.", "en", TASS, "May 2015", "2015-05-01", "2015-05-31", "month"),
    ("It was taken back in March 2016 by the army", "en", TASS, "March 2016", "2016-03-01", "2016-03-31", "month"),
    ("It was taken in May, the army said", "en", TASS, "May", "2016-05-01", "2016-05-31", "month"),
    ("It was taken in December, the army said", "en", "2017-03", "December", "2016-12-01", "2016-12-31", "month"),
    ("in December last year", "en", TASS, "December last year", "2015-12-01", "2015-12-31", "month"),
    ("in December last year", "en", NRK, "December last year", "2016-12-01", "2016-12-31", "month"),
    ("in early March the army", "en", TASS, "early March", "2016-03-01", "2016-03-10", "month"),
    ("by the end of May 2016", "en", TASS, "the end of May 2016", "2016-05-21", "2016-05-31", "month"),
    ("The war began in 2011.", "en", TASS, "2011", "2011-01-01", "2011-12-31", "year"),
    ("from 2005 to 2011 he served", "en", TASS, "2005 to 2011", "2005-01-01", "2011-12-31", "year"),
    ("They went there on Sunday the 11th.", "en", TASS, "Sunday the 11th", "2016-12-11", "2016-12-11", "day"),
    # future tense ("let's", "will"): dates without a year look forward from publication
    ("Let's go on Sunday the 11th.", "en", TASS, "Sunday the 11th", "2017-06-11", "2017-06-11", "day"),
    ("It was signed on the 8th, officials said", "en", TASS, "8th", "2016-12-08", "2016-12-08", "day"),
    # English relative
    ("He said yesterday that", "en", TASS, "yesterday", "2016-12-11", "2016-12-11", "day"),
    ("He said today that", "en", TASS, "today", "2016-12-12", "2016-12-12", "day"),
    ("The city fell last year.", "en", TASS, "last year", "2015-01-01", "2015-12-31", "year"),
    ("The talks this week failed.", "en", TASS, "this week", "2016-12-12", "2016-12-18", "week"),
    ("Earlier this week the army", "en", "2016-12-14", "Earlier this week", "2016-12-12", "2016-12-14", "week"),
    ("The army advanced last week", "en", TASS, "last week", "2016-12-05", "2016-12-11", "week"),
    ("It happened two days ago.", "en", TASS, "two days ago", "2016-12-10", "2016-12-10", "day"),
    ("It happened 3 days ago.", "en", TASS, "3 days ago", "2016-12-09", "2016-12-09", "day"),
    ("It happened a year ago.", "en", TASS, "a year ago", "2015-01-01", "2015-12-31", "year"),
    ("They met on Thursday.", "en", TASS, "Thursday", "2016-12-08", "2016-12-08", "day"),
    ("They will meet next Friday.", "en", TASS, "next Friday", "2016-12-16", "2016-12-16", "day"),
    ("They will meet next Monday.", "en", TASS, "next Monday", "2016-12-19", "2016-12-19", "day"),
    ("They met last Monday.", "en", TASS, "last Monday", "2016-12-05", "2016-12-05", "day"),
    # "last <weekday>" has two readings (most recent strictly before, or that day of the week before): written
    # on Thursday, "last Wednesday" is 1 or 8 days back, and the claim covers both
    ("They met last Wednesday.", "en", "2016-12-15", "last Wednesday", "2016-12-07", "2016-12-14", "day"),
    ("They met previous Wednesday.", "en", "2016-12-15", "previous Wednesday", "2016-12-07", "2016-12-14", "day"),
    ("They met on Tuesday of last week.", "en", TASS, "Tuesday of last week", "2016-12-06", "2016-12-06", "day"),
    ("two days after March 27 the army", "en", TASS, "two days after March 27", "2016-03-29", "2016-03-29", "day"),
    ("yesterday", "en", "2016-12", "yesterday", "2016-11-30", "2016-12-30", "day"),
    ("last year", "en", "2016", "last year", "2015-01-01", "2015-12-31", "year"),
    # future tense: a marker ("will", "'ll", "let's") before the date, no past marker ("said") between
    ("They will meet on March 27.", "en", TASS, "March 27", "2017-03-27", "2017-03-27", "day"),
    ("The talks will resume on Tuesday, officials said.", "en", TASS, "Tuesday", "2016-12-13", "2016-12-13", "day"),
    ("The army will retake the city, he said on Tuesday.", "en", TASS, "Tuesday", "2016-12-06", "2016-12-06", "day"),
    ("They will return in 2 weeks.", "en", TASS, "in 2 weeks", "2016-12-26", "2016-12-26", "day"),
    ("They return in a fortnight's time.", "en", TASS, "in a fortnight's time", "2016-12-26", "2016-12-26", "day"),
    ("Are you available three weeks from tmrw?", "en", TASS, "three weeks from tmrw", "2017-01-03", "2017-01-03",
     "day"),
    ("I'll go back Monday two weeks from now.", "en", TASS, "Monday two weeks from now", "2016-12-26", "2016-12-26",
     "day"),
    ("I'll go back in 3 days on Friday.", "en", TASS, "in 3 days on Friday", "2016-12-16", "2016-12-16", "day"),
    ("in two weeks since the year 2011", "en", TASS, "two weeks since the year 2011", "2011-01-15", "2011-01-15",
     "day"),
    # numeric forms
    ("It happened on 22/04.", "en", TASS, "22/04", "2016-04-22", "2016-04-22", "day"),
    ("I'll go back on 22/04", "en", TASS, "22/04", "2017-04-22", "2017-04-22", "day"),
    ("It was done on 5.12", "en", TASS, "5.12", "2016-05-12", "2016-05-12", "day"),
    ("Born on 12/12/30.", "en", TASS, "12/12/30", "1930-12-12", "1930-12-12", "day"),
    ("Born on 12/12/15.", "en", TASS, "12/12/15", "2015-12-12", "2015-12-12", "day"),
    ("www.example.com/report-20170302.html", "en", TASS, "20170302", "2017-03-02", "2017-03-02", "day"),
    ("On 2016 10 16, the conference started.", "en", TASS, "2016 10 16", "2016-10-16", "2016-10-16", "day"),
    ("i'll go back 2020/Sep/23", "en", TASS, "2020/Sep/23", "2020-09-23", "2020-09-23", "day"),
    ("I'll go back September-2020-23.", "en", TASS, "September-2020-23", "2020-09-23", "2020-09-23", "day"),
    ("This task should be done this 5/12", "en", TASS, "this 5/12", "2016-05-12", "2016-05-12", "day"),
    ("This task should be done next 6th of April", "en", TASS, "next 6th of April", "2017-04-06", "2017-04-06", "day"),
    ("a call on this Friday 7.6 with Jim", "en", TASS, "this Friday 7.6", "2016-07-06", "2016-07-06", "day"),
    # spelled out
    ("She was born on January twenty five nineteen eighty six", "en", TASS,
     "January twenty five nineteen eighty six", "1986-01-25", "1986-01-25", "day"),
    ("On fifteen August nineteen hundred ninety three, the plant opened.", "en", TASS,
     "fifteen August nineteen hundred ninety three", "1993-08-15", "1993-08-15", "day"),
    ("Let's meet on january first two thousand and thirty two", "en", TASS,
     "january first two thousand and thirty two", "2032-01-01", "2032-01-01", "day"),
    ("I was born on 15 April of 87", "en", TASS, "15 April of 87", "1987-04-15", "1987-04-15", "day"),
    ("It ended May twenty nine.", "en", TASS, "May twenty nine", "2016-05-29", "2016-05-29", "day"),
    ("We met on the twenty third day of September", "en", TASS, "the twenty third day of September", "2016-09-23",
     "2016-09-23", "day"),
    # holidays (Easter from dateutil)
    ("It happened on Christmas.", "en", TASS, "Christmas", "2015-12-25", "2015-12-25", "day"),
    ("I'll go back on easter 2018", "en", TASS, "easter 2018", "2018-04-01", "2018-04-01", "day"),
    ("When was the last easter?", "en", TASS, "last easter", "2016-03-27", "2016-03-27", "day"),
    ("When is the next Easter?", "en", TASS, "next Easter", "2017-04-16", "2017-04-16", "day"),
    ("on black friday 2010", "en", TASS, "black friday 2010", "2010-11-26", "2010-11-26", "day"),
    ("an event on independence day of this year", "en", TASS, "independence day of this year", "2016-07-04",
     "2016-07-04", "day"),
    ("We will meet 5 days before New Year.", "en", TASS, "5 days before New Year", "2016-12-27", "2016-12-27", "day"),
    # days of relative months, day lists, abbreviated weekdays
    ("We will come back on the 15th day of next month", "en", TASS, "the 15th day of next month", "2017-01-15",
     "2017-01-15", "day"),
    ("I am looking at 18 and 19 June.", "en", TASS, "18", "2016-06-18", "2016-06-18", "day"),
    ("I am looking at 18 and 19 June.", "en", TASS, "19 June", "2016-06-19", "2016-06-19", "day"),
    ("schedule me a meeting next week Mon or Tue", "en", TASS, "next week Mon", "2016-12-19", "2016-12-19", "day"),
    ("schedule me a meeting next week Mon or Tue", "en", TASS, "Tue", "2016-12-06", "2016-12-06", "day"),
    # ranges: the side without a year takes the other side's
    ("sales in Jan-Feb 2017", "en", TASS, "Jan-Feb 2017", "2017-01-01", "2017-02-28", "month"),
    ("from Nov 18-Dec 19, 2015", "en", TASS, "Nov 18-Dec 19, 2015", "2015-11-18", "2015-12-19", "day"),
    ("between 3 and 12 of Sept", "en", TASS, "3 and 12 of Sept", "2016-09-03", "2016-09-12", "day"),
    ("on 27-28 March", "en", TASS, "27-28 March", "2016-03-27", "2016-03-28", "day"),
    ("from May to Oct 2020", "en", TASS, "May to Oct 2020", "2020-05-01", "2020-10-31", "month"),
    ("from January 12, 2016 - 01/22/2016", "en", TASS, "January 12, 2016 - 01/22/2016", "2016-01-12", "2016-01-22",
     "day"),
    ("the years 2014~2018", "en", TASS, "2014~2018", "2014-01-01", "2018-12-31", "year"),
    # open ranges: the open side is None
    ("It must be done before 2018.", "en", TASS, "before 2018", None, "2017-12-31", "year"),
    ("It happened after 2016.", "en", TASS, "after 2016", "2017-01-01", None, "year"),
    ("valid from 1/1/2016 and later", "en", TASS, "1/1/2016 and later", "2016-01-01", None, "day"),
    ("I can leave on 1/1/2016 and after my work is done", "en", TASS, "1/1/2016", "2016-01-01", "2016-01-01", "day"),
    # weeks (a week belongs to the period holding four of its days), decades
    ("in the last week of July", "en", TASS, "the last week of July", "2016-07-25", "2016-07-31", "week"),
    ("the first week of 2015", "en", TASS, "the first week of 2015", "2014-12-29", "2015-01-04", "week"),
    ("in the 3rd week of 2018", "en", TASS, "the 3rd week of 2018", "2018-01-15", "2018-01-21", "week"),
    ("during the week of April 10th", "en", TASS, "the week of April 10th", "2016-04-04", "2016-04-10", "week"),
    ("1st week of Oct. on Friday.", "en", TASS, "1st week of Oct. on Friday", "2016-10-07", "2016-10-07", "day"),
    ("music of the 1990s", "en", TASS, "1990s", "1990-01-01", "1999-12-31", "year"),
    ("music of the '90s", "en", TASS, "'90s", "1990-01-01", "1999-12-31", "year"),
    # Norwegian
    ("Det skjedde 27. mars 2016.", "nb", None, "27. mars 2016", "2016-03-27", "2016-03-27", "day"),
    ("Det skjedde 27.03.2016.", "nb", None, "27.03.2016", "2016-03-27", "2016-03-27", "day"),
    ("Byen falt i mars 2016.", "nb", TASS, "mars 2016", "2016-03-01", "2016-03-31", "month"),
    ("Byen falt 27. mars.", "nb", TASS, "27. mars", "2016-03-27", "2016-03-27", "day"),
    ("Han sa i går at", "nb", TASS, "i går", "2016-12-11", "2016-12-11", "day"),
    ("Han sa i dag at", "nb", TASS, "i dag", "2016-12-12", "2016-12-12", "day"),
    ("Byen falt i fjor.", "nb", TASS, "i fjor", "2015-01-01", "2015-12-31", "year"),
    # a year between a determiner and a noun dates the noun, and is no count
    ("It was the biggest effort since the 2004 tsunami.", "en", TASS, "2004", "2004-01-01", "2004-12-31", "year"),
    ("Her 2012 campaign failed.", "en", TASS, "2012", "2012-01-01", "2012-12-31", "year"),
    # a day and month with "i fjor" / "i år" keep the day
    ("Det skjedde 14. februar i fjor.", "nb", TASS, "14. februar i fjor", "2015-02-14", "2015-02-14", "day"),
    ("Gruppen gikk inn 23. juli i år.", "nb", TASS, "23. juli i år", "2016-07-23", "2016-07-23", "day"),
    ("Byen falt forrige uke.", "nb", TASS, "forrige uke", "2016-12-05", "2016-12-11", "week"),
    ("Det skjedde for tre dager siden.", "nb", TASS, "for tre dager siden", "2016-12-09", "2016-12-09", "day"),
    ("Det skjedde for 3 dager siden.", "nb", TASS, "for 3 dager siden", "2016-12-09", "2016-12-09", "day"),
    ("Angrepet kom onsdag kveld.", "nb", TASS, "onsdag kveld", "2016-12-07", "2016-12-07", "day"),
    ("Angrepet kom forrige mandag.", "nb", TASS, "forrige mandag", "2016-12-05", "2016-12-05", "day"),
    ("i begynnelsen av mars", "nb", TASS, "i begynnelsen av mars", "2016-03-01", "2016-03-10", "month"),
    ("Krigen har pågått siden 2011.", "nb", TASS, "2011", "2011-01-01", "2011-12-31", "year"),
    ("Han var minister fra 2005 til 2011.", "nb", TASS, "2005 til 2011", "2005-01-01", "2011-12-31", "year"),
    # Russian
    ("27 марта 2016 года армия освободила Пальмиру.", "ru", None, "27 марта 2016 года", "2016-03-27", "2016-03-27",
     "day"),
    ("Это произошло 27 марта 2016 г. при поддержке", "ru", None, "27 марта 2016 г.", "2016-03-27", "2016-03-27", "day"),
    ("Это произошло 27.03.2016.", "ru", None, "27.03.2016", "2016-03-27", "2016-03-27", "day"),
    ("Это произошло 27 марта.", "ru", TASS, "27 марта", "2016-03-27", "2016-03-27", "day"),
    ("в марте 2016 года город был освобожден", "ru", TASS, "марте 2016 года", "2016-03-01", "2016-03-31", "month"),
    ("в декабре прошлого года", "ru", TASS, "декабре прошлого года", "2015-12-01", "2015-12-31", "month"),
    ("Вчера боевики атаковали город.", "ru", TASS, "Вчера", "2016-12-11", "2016-12-11", "day"),
    ("В прошлую пятницу боевики атаковали Пальмиру.", "ru", TASS, "прошлую пятницу", "2016-12-09", "2016-12-09",
     "day"),
    ("В понедельник Конашенков заявил.", "ru", TASS, "понедельник", "2016-12-12", "2016-12-12", "day"),
    ("В среду вечером", "ru", TASS, "среду вечером", "2016-12-07", "2016-12-07", "day"),
    ("в 2015 году", "ru", TASS, "2015 году", "2015-01-01", "2015-12-31", "year"),
    ("три дня назад", "ru", TASS, "три дня назад", "2016-12-09", "2016-12-09", "day"),
    ("на прошлой неделе", "ru", TASS, "на прошлой неделе", "2016-12-05", "2016-12-11", "week"),
    ("в начале марта", "ru", TASS, "в начале марта", "2016-03-01", "2016-03-10", "month"),
    # a day part, then the weekday in the genitive: "by Tuesday morning"; future after "должны"
    ("Армия освободила город к утру вторника.", "ru", TASS, "утру вторника", "2016-12-06", "2016-12-06", "day"),
    ("Боевики должны покинуть город к утру вторника.", "ru", TASS, "утру вторника", "2016-12-13", "2016-12-13", "day"),
    ("Боевики должны были покинуть город к утру вторника.", "ru", TASS, "утру вторника", "2016-12-06", "2016-12-06",
     "day"),
    ("Переговоры состоятся в пятницу.", "ru", TASS, "пятницу", "2016-12-16", "2016-12-16", "day"),
    # published on a Saturday: the day before, or the Friday of the week before
    ("в прошлую пятницу", "ru", "2016-12-10", "прошлую пятницу", "2016-12-02", "2016-12-09", "day"),
    ("вчера", "ru", "2016-03", "вчера", "2016-02-29", "2016-03-30", "day"),
    # dates named from the date before them: a day within a paragraph or two, a year or a period in the
    # sentence; "for the day" with no day before it is the publication day
    ("Police arrested him on Monday and released him the next day.", "en", "2016-12-14", "the next day",
     "2016-12-13", "2016-12-13", "day"),
    ("Stocks fell on Tuesday; a report released the same day showed job losses.", "en", "2016-12-14",
     "the same day", "2016-12-13", "2016-12-13", "day"),
    ("The index ended the day at 8,017.", "en", TASS, "the day", "2016-12-12", "2016-12-12", "day"),
    ("The Dow rebounded late in the day after falling 250 points.", "en", TASS, "late in the day", "2016-12-12",
     "2016-12-12", "day"),
    ("Sales rose 43% in February compared to the same period last year.", "en", "2010-03-03",
     "the same period last year", "2009-02-01", "2009-02-28", "month"),
    ("Costs fell to $118 billion last year, $19.8 billion less than the year previous.", "en", "2010-01-28",
     "the year previous", "2008-01-01", "2008-12-31", "year"),
    ("In 2005 sales fell, and they rose the following year.", "en", TASS, "the following year", "2006-01-01",
     "2006-12-31", "year"),
    ("Politiet pågrep ham mandag og løslot ham dagen etter.", "nb", "2016-12-14", "dagen etter", "2016-12-13",
     "2016-12-13", "day"),
    ("Oslo Børs endte dagen med en oppgang.", "nb", TASS, "dagen", "2016-12-12", "2016-12-12", "day"),
    ("Salget steg 43 prosent i februar sammenlignet med samme periode i fjor.", "nb", "2010-03-03",
     "samme periode i fjor", "2009-02-01", "2009-02-28", "month"),
    ("Salget falt i 2005, men steg året etter.", "nb", TASS, "året etter", "2006-01-01", "2006-12-31", "year"),
    ("Полиция задержала его в понедельник, а на следующий день отпустила.", "ru", "2016-12-14",
     "на следующий день", "2016-12-13", "2016-12-13", "day"),
    ("Продажи в феврале выросли на 43% по сравнению с аналогичным периодом прошлого года.", "ru", "2010-03-03",
     "аналогичным периодом прошлого года", "2009-02-01", "2009-02-28", "month"),
    ("В 2005 году продажи упали, а годом позже выросли.", "ru", TASS, "годом позже", "2006-01-01", "2006-12-31",
     "year"),
    # the tense of a date's clause places a date without a year: present, the nearest reading; after "until",
    # forward unless the sentence is in the past; after "since", before publication; a passive or perfect
    # ("will be announced", "has announced") is no past tense
    ("A June 3 hearing has been scheduled in the bankruptcy court.", "en", "2009-05-14", "June 3", "2009-06-03",
     "2009-06-03", "day"),
    ("The deadline is June 1, officials said.", "en", "2009-05-28", "June 1", "2009-06-01", "2009-06-01", "day"),
    ("He is in hospital after police arrested him on December 20.", "en", TASS, "December 20", "2015-12-20",
     "2015-12-20", "day"),
    ("Troops liberated Palmyra, which is 240 km from Damascus, on March 27.", "en", TASS, "March 27", "2016-03-27",
     "2016-03-27", "day"),
    ("The toll has risen to 30 since December 20.", "en", TASS, "December 20", "2015-12-20", "2015-12-20", "day"),
    ("Russian markets to remain closed until Friday", "en", "2008-09-18", "Friday", "2008-09-19", "2008-09-19",
     "day"),
    ("The strike lasted until Friday.", "en", "2008-09-18", "Friday", "2008-09-12", "2008-09-12", "day"),
    ("The results will be announced on Friday.", "en", TASS, "Friday", "2016-12-16", "2016-12-16", "day"),
    ("Fristen er 1. juni.", "nb", "2009-05-28", "1. juni", "2009-06-01", "2009-06-01", "day"),
    ("Vi møttes 20. desember.", "nb", TASS, "20. desember", "2015-12-20", "2015-12-20", "day"),
    ("Børsene holdes stengt til fredag.", "nb", "2008-09-18", "fredag", "2008-09-19", "2008-09-19", "day"),
    ("Streiken varte til fredag.", "nb", "2008-09-18", "fredag", "2008-09-12", "2008-09-12", "day"),
    ("Слушание назначено на 3 июня.", "ru", "2009-05-14", "3 июня", "2009-06-03", "2009-06-03", "day"),
    ("Биржи будут закрыты до пятницы.", "ru", "2008-09-18", "пятницы", "2008-09-19", "2008-09-19", "day"),
    ("The amount could rise before it is officially reported to the commission in March.", "en", "2006-01-27",
     "March", "2006-03-01", "2006-03-31", "month"),
    ("The road is closed until March.", "en", TASS, "March", "2017-03-01", "2017-03-31", "month"),
    ("The road was closed until March.", "en", TASS, "March", "2016-03-01", "2016-03-31", "month"),
    ("The plant, which is the largest in Europe, opened in March.", "en", TASS, "March", "2016-03-01",
     "2016-03-31", "month"),
    ("Avgjørelsen er ventet i mars.", "nb", TASS, "mars", "2017-03-01", "2017-03-31", "month"),
    ("Avgjørelsen kom i mars.", "nb", TASS, "mars", "2016-03-01", "2016-03-31", "month"),
    # an all-numeric date of two readings with publication between them: the one the tense allows
    ("The date, written the American way, was 7/8/07.", "en", "2007-07-09", "7/8/07", "2007-07-08", "2007-07-08",
     "day"),
    ("The vote will be held on 7/8/07.", "en", "2007-07-20", "7/8/07", "2007-08-07", "2007-08-07", "day"),
    # "at the time", "by that time": the date of the sentence or the one before, as written
    ("The deal will be final by June 10. If no price is agreed by that time, Fiat will pay the average.", "en",
     "2011-05-29", "by that time", "2011-06-10", "2011-06-10", "day"),
    ("IS took Palmyra in May 2015. At the time, 70,000 people lived there.", "en", TASS, "At the time",
     "2015-05-01", "2015-05-31", "month"),
    ("IS tok Palmyra i mai 2015. På det tidspunktet bodde 70 000 mennesker der.", "nb", TASS,
     "På det tidspunktet", "2015-05-01", "2015-05-31", "month"),
    ("ИГ захватило Пальмиру в мае 2015 года. В то время там жили 70 тысяч человек.", "ru", TASS, "В то время",
     "2015-05-01", "2015-05-31", "month"),
    # "for the entire year": the year of the sentence's date before it
    ("GM lost $10.6 billion in the fourth quarter of 2005 and $8.6 billion for the entire year.", "en", TASS,
     "the entire year", "2005-01-01", "2005-12-31", "year"),
    ("Salget falt i 2005, og overskuddet for hele året var lite.", "nb", TASS, "hele året", "2005-01-01",
     "2005-12-31", "year"),
    ("В 2005 году компания потеряла 8 млрд долларов за весь год.", "ru", TASS, "за весь год", "2005-01-01",
     "2005-12-31", "year"),
    # "later this year": from publication to the end of the period
    ("The delivery, originally due later this year, was delayed.", "en", "2006-10-05", "later this year",
     "2006-10-05", "2006-12-31", "year"),
    ("Leveransen kommer senere i år.", "nb", "2006-10-05", "senere i år", "2006-10-05", "2006-12-31", "year"),
    ("Поставка ожидается позднее в этом году.", "ru", "2006-10-05", "позднее в этом году", "2006-10-05",
     "2006-12-31", "year"),
    # a two-digit year after a date preposition; "following the" is "after", no weekday modifier
    ("Nikkei at its lowest level since '82.", "en", "2008-10-27", "'82", "1982-01-01", "1982-12-31", "year"),
    ("Markets fell most since they reopened following the September 11th attacks.", "en", "2007-02-27",
     "September 11th", "2006-09-11", "2006-09-11", "day"),
    ("They met on Ash Wednesday.", "en", TASS, "Ash Wednesday", "2016-02-10", "2016-02-10", "day"),
    # a weekday written with a day and month decides the year: the year before or the coming one, the
    # nearer publication (2023-02-09 is a Thursday; 11 February 2023 a Saturday, 2 August 2021 a Monday)
    ("Rain is forecast for Saturday, February 11.", "en", "2023-02-09", "Saturday, February 11", "2023-02-11",
     "2023-02-11", "day"),
    ("They met on Monday, August 2.", "en", "2023-02-09", "Monday, August 2", "2021-08-02", "2021-08-02", "day"),
    ("Det blir regn lørdag 11. februar.", "nb", "2023-02-09", "lørdag 11. februar", "2023-02-11", "2023-02-11",
     "day"),
    # "30 hours after" is a duration's "after": the date stays the day it names, not everything after it
    ("The flames were out about 30 hours after Tuesday night's derailment.", "en", "2025-10-16", "Tuesday night",
     "2025-10-14", "2025-10-14", "day"),
    ("Brannen ble slukket 30 timer etter tirsdag kveld.", "nb", "2025-10-16", "tirsdag kveld", "2025-10-14",
     "2025-10-14", "day"),
    ("Пожар потушили через 30 часов после 14 октября.", "ru", "2025-10-16", "14 октября", "2025-10-14",
     "2025-10-14", "day"),
    ("The results came after Tuesday's vote.", "en", "2025-10-16", "after Tuesday", "2025-10-15", None, "day"),
    ("Дождь ожидается в субботу, 11 февраля.", "ru", "2023-02-09", "субботу, 11 февраля", "2023-02-11",
     "2023-02-11", "day"),
]


@pytest.mark.parametrize("text, code, published, span, low, high, granularity", CASES)
def test_cases(text, code, published, span, low, high, granularity):
    c = _one(text, code, published, span)
    assert (c.low, c.high, c.granularity) == (low, high, granularity), c.basis


# -- periods: quarters, halves, parts of years, weekends, months with a modifier, centuries ----------
# (text, code, published, span, low, high, qualifier); TASS is Monday 2016-12-12. A bare quarter is the
# publication year's when it has begun by publication (or the clause looks forward), else the year before's.
PERIODS = [
    ("Profits rose in the third quarter.", "en", TASS, "the third quarter", "2016-07-01", "2016-09-30", "exact"),
    ("Profits rose in the third quarter.", "en", "2016-03-02", "the third quarter", "2015-07-01", "2015-09-30",
     "exact"),
    ("The plant will close in the third quarter.", "en", "2016-03-02", "the third quarter", "2016-07-01",
     "2016-09-30", "exact"),
    ("Sales fell in Q3 2012.", "en", TASS, "Q3 2012", "2012-07-01", "2012-09-30", "exact"),
    ("Sales fell in Q4'09.", "en", TASS, "Q4'09", "2009-10-01", "2009-12-31", "exact"),
    ("It lost $6bn in the first quarter of 2009.", "en", TASS, "the first quarter of 2009", "2009-01-01",
     "2009-03-31", "exact"),
    ("In the first quarter of last year it lost money.", "en", TASS, "the first quarter of last year",
     "2015-01-01", "2015-03-31", "exact"),
    ("It made a profit in the final quarter of 2009.", "en", TASS, "the final quarter of 2009", "2009-10-01",
     "2009-12-31", "exact"),
    ("Profits rose during the last quarter.", "en", "2017-01-18", "the last quarter", "2016-10-01", "2016-12-31",
     "exact"),
    ("Our third-quarter results were strong.", "en", TASS, "third-quarter", "2016-07-01", "2016-09-30", "exact"),
    ("Revenue doubled in the first half of the year.", "en", TASS, "the first half of the year", "2016-01-01",
     "2016-06-30", "approx"),
    ("Work began in early 2014.", "en", TASS, "early 2014", "2014-01-01", "2014-04-30", "approx"),
    ("The plant closed in mid-2014.", "en", TASS, "mid-2014", "2014-05-01", "2014-08-31", "approx"),
    ("It will open by the end of next year.", "en", TASS, "the end of next year", "2017-09-01", "2017-12-31",
     "approx"),
    ("They met over the weekend.", "en", TASS, "the weekend", "2016-12-10", "2016-12-11", "exact"),
    ("He will travel this weekend.", "en", TASS, "this weekend", "2016-12-17", "2016-12-18", "exact"),
    ("Talks broke down last weekend.", "en", TASS, "last weekend", "2016-12-10", "2016-12-11", "exact"),
    ("Talks broke down last weekend.", "en", "2016-12-17", "last weekend", "2016-12-10", "2016-12-11", "exact"),
    ("The dam broke last June.", "en", TASS, "last June", "2016-06-01", "2016-06-30", "exact"),
    ("The dam broke late last July.", "en", TASS, "late last July", "2016-07-21", "2016-07-31", "approx"),
    ("The vote is next March.", "en", TASS, "next March", "2017-03-01", "2017-03-31", "exact"),
    ("Life changed in the 20th century.", "en", TASS, "the 20th century", "1900-01-01", "1999-12-31", "exact"),
    ("The city was destroyed in AD 79.", "en", TASS, "AD 79", "0079-01-01", "0079-12-31", "exact"),
    ("The temple dates from the second century BC.", "en", TASS, "the second century BC", None, None, "exact"),
    ("They reported their January sales.", "en", TASS, "January", "2016-01-01", "2016-01-31", "exact"),
    ("Sales fell 42% from the previous year.", "en", TASS, "the previous year", "2015-01-01", "2015-12-31",
     "exact"),
    ("The event is to be held on October 12.", "en", "2005-10-04", "October 12", "2005-10-12", "2005-10-12",
     "exact"),
    # in the present tense a bare quarter is the nearest one, before or after publication
    ("The company has plant closures during the fourth quarter.", "en", "2006-08-19", "the fourth quarter",
     "2006-10-01", "2006-12-31", "exact"),
    ("Profits are up in the fourth quarter.", "en", "2016-03-02", "the fourth quarter", "2015-10-01", "2015-12-31",
     "exact"),
    ("Fabrikken er stengt i fjerde kvartal.", "nb", "2006-08-19", "fjerde kvartal", "2006-10-01", "2006-12-31",
     "exact"),
    ("Resultatet falt i tredje kvartal i fjor.", "nb", TASS, "tredje kvartal i fjor", "2015-07-01", "2015-09-30",
     "exact"),
    ("Salget steg i første halvår.", "nb", TASS, "første halvår", "2016-01-01", "2016-06-30", "exact"),
    ("Overskuddet i første halvdel av 2014 var stort.", "nb", TASS, "første halvdel av 2014", "2014-01-01",
     "2014-06-30", "exact"),
    ("Det skjedde i begynnelsen av 2014.", "nb", TASS, "i begynnelsen av 2014", "2014-01-01", "2014-04-30",
     "approx"),
    ("Fabrikken stengte i slutten av fjoråret.", "nb", TASS, "i slutten av fjoråret", "2015-09-01", "2015-12-31",
     "approx"),
    ("Han kom hjem i helgen.", "nb", TASS, "i helgen", "2016-12-10", "2016-12-11", "exact"),
    ("Byen ble grunnlagt på 1800-tallet.", "nb", TASS, "1800-tallet", "1800-01-01", "1899-12-31", "exact"),
    ("På 1990-tallet var det rolig.", "nb", TASS, "1990-tallet", "1990-01-01", "1999-12-31", "exact"),
    ("Kirken er fra det 12. århundre.", "nb", TASS, "12. århundre", "1100-01-01", "1199-12-31", "exact"),
    ("Salget skal starte i juni.", "nb", TASS, "juni", "2017-06-01", "2017-06-30", "exact"),
    ("Прибыль выросла в третьем квартале прошлого года.", "ru", TASS, "третьем квартале прошлого года",
     "2015-07-01", "2015-09-30", "exact"),
    ("В первом полугодии продажи упали.", "ru", TASS, "первом полугодии", "2016-01-01", "2016-06-30", "exact"),
    ("Это случилось в начале 2014 года.", "ru", TASS, "в начале 2014 года", "2014-01-01", "2014-04-30", "approx"),
    ("Завод закрылся в конце прошлого года.", "ru", TASS, "в конце прошлого года", "2015-09-01", "2015-12-31",
     "approx"),
    ("В XX веке город рос.", "ru", TASS, "XX веке", "1900-01-01", "1999-12-31", "exact"),
    ("Храм построен в III веке до нашей эры.", "ru", TASS, "III веке до нашей эры", None, None, "exact"),
    ("На выходных прошли акции.", "ru", TASS, "На выходных", "2016-12-10", "2016-12-11", "exact"),
    # a vague count of units ago: from the unit the most units back to the unit the fewest back
    ("A few years ago the town flooded.", "en", TASS, "A few years ago", "2011-01-01", "2014-12-31", "range"),
    ("It closed a couple of weeks ago.", "en", TASS, "a couple of weeks ago", "2016-11-28", "2016-12-04", "range"),
    ("Han døde for noen år siden.", "nb", TASS, "for noen år siden", "2011-01-01", "2014-12-31", "range"),
    ("Несколько месяцев назад завод закрылся.", "ru", TASS, "Несколько месяцев назад", "2016-03-01",
     "2016-10-31", "range"),
    # years after "into" and "for" (the weak prepositions: never before a noun, "for 2000 people")
    ("The plan runs into 1997.", "en", TASS, "1997", "1997-01-01", "1997-12-31", "exact"),
    ("The budget for 1995 was cut.", "en", TASS, "1995", "1995-01-01", "1995-12-31", "exact"),
]


@pytest.mark.parametrize("text, code, published, span, low, high, qualifier", PERIODS)
def test_periods(text, code, published, span, low, high, qualifier):
    c = _one(text, code, published, span)
    assert (c.low, c.high, c.qualifier) == (low, high, qualifier), c.basis


# Two month names coordinated are two dates; only "between" or "from" makes them one range.
@pytest.mark.parametrize("text, code, spans", [
    ("They met in April and June.", "en", ["April", "June"]),
    ("They met in April, May or June.", "en", ["April", "May", "June"]),
    ("It shrank between April and June.", "en", ["April and June"]),
    ("De møttes i april og juni.", "nb", ["april", "juni"]),
    ("Они встретились в апреле и июне.", "ru", ["апреле", "июне"]),
    ("He said in May and may return.", "en", ["May"]),
])
def test_coordinated_months_are_dates_of_their_own(text, code, spans):
    assert [c.text for c in _dates(text, code, TASS)] == spans


# A date never runs across a sentence end or a blank line.
@pytest.mark.parametrize("text, spans", [
    ("Markets stay closed until Friday\n\nSeptember 18, 2008\n\nThe government said.",
     ["Friday", "September 18, 2008"]),
    ("He came on Wednesday. Yesterday he left.", ["Wednesday", "Yesterday"]),
    ("They met in June. Talks resumed.", ["June"]),
    ("He met them on Tue. May 9.", ["Tue. May 9"]),
])
def test_dates_stop_at_the_sentence_end(text, spans):
    assert [c.text for c in _dates(text, "en", TASS)] == spans


NOT_DATES = [
    ("Over 80% of residents were evacuated.", "en"),
    ("The 2022 World Cup opened.", "en"),  # a year in a name
    ("More than 5,000 militants attacked.", "en"),
    ("Over 2,000 targets were struck.", "en"),
    ("based on the UN Security Council Resolution 2254, the", "en"),
    ("The meeting starts at 10:30 sharp.", "en"),
    ("a column of 2015 militants advanced", "en"),
    ("The 1,800-year-old Monumental Arch", "en"),
    ("They covered 2016 km in 2 days.", "en"),
    ("in 2015 km of road", "en"),
    ("Prices rose 24/7 and 3.5 percent", "en"),
    ("They may 9 times fail.", "en"),
    ("He won't march 5 kilometres.", "en"),
    ("80 % av innbyggerne, 2015 soldater", "nb"),
    ("более 5000 боевиков, 80% жителей", "ru"),
    ("окружающая среда", "ru"),
    ("загрязнение окружающей среды", "ru"),
    ("It rose 1.5 to 2.3 and by 2.3.", "en"),
    ("the highest level in 3 years", "en"),
    ("He took 3/4 of the city.", "en"),
    ("Markets calmed in the new year.", "en"),
    ("between 1900-2000 fighters", "en"),
    ("version 1.2.10 was released", "en"),
    ("The attacks of 9/11 changed it.", "en"),
    ("They scored in the first half.", "en"),  # a half of a match, not of a year
    ("He lives in the French Quarter.", "en"),
    ("Laget scoret i første halvdel.", "nb"),
    ("a quarter of the town", "en"),
    ("Food for 2000 people arrived.", "en"),
    ("The vote is next spring.", "en"),  # a season: no calendar interval
    # a reference with nothing to count from, an idiom, "the day" as a noun
    ("He was released the next day.", "en"),
    ("At the end of the day, it is about trust.", "en"),
    ("He remembers the day he arrived.", "en"),
    ("Han ble løslatt dagen etter.", "nb"),
    ("Han husker dagen da han kom.", "nb"),
    ("Его отпустили на следующий день.", "ru"),
    # a weekday that a word makes the name of a day; a two-digit year after a weak word
    ("US stocks tumble on Black Monday anniversary", "en"),
    ("Super Tuesday results came in.", "en"),
    ("Det var en svarte mandag for børsen.", "nb"),
    ("Это был чёрный понедельник.", "ru"),
    ("The class of '82 met.", "en"),
    ("He was the mayor at the time.", "en"),  # nothing to count from
    ("He was the mayor at the time of the attack.", "en"),
]


@pytest.mark.parametrize("text, code", NOT_DATES)
def test_not_dates(text, code):
    assert _dates(text, code, TASS) == []


# The time of publication itself, before it or after it, with no date of its own (dates.yml deictic_words):
# "currently" is the publication day; "recently" runs up to it, "soon" from it, the other end open.
DEICTIC = [
    ("The store currently sells music.", "en", TASS, "currently", "2016-12-12", "2016-12-12", "exact"),
    ("It will stay closed for the time being.", "en", TASS, "for the time being", "2016-12-12", "2016-12-12",
     "exact"),
    ("The recently announced phone sold out.", "en", TASS, "recently", None, "2016-12-12", "up_to"),
    ("decisions of the past, he said", "en", TASS, "the past", None, "2016-12-12", "up_to"),
    ("It will reopen soon.", "en", TASS, "soon", "2016-12-12", None, "at_least"),
    ("They may sell it in the future.", "en", TASS, "in the future", "2016-12-12", None, "at_least"),
    ("It was published in 2017-03: the store currently sells music.", "en", NRK, "currently", "2017-03-01",
     "2017-03-31", "range"),
    ("Butikken selger for tiden musikk.", "nb", TASS, "for tiden", "2016-12-12", "2016-12-12", "exact"),
    ("Han er for øyeblikket sjef.", "nb", TASS, "for øyeblikket", "2016-12-12", "2016-12-12", "exact"),
    ("Telefonen ble nylig lansert.", "nb", TASS, "nylig", None, "2016-12-12", "up_to"),
    ("Den åpner snart igjen.", "nb", TASS, "snart", "2016-12-12", None, "at_least"),
    ("Магазин в настоящее время продаёт музыку.", "ru", TASS, "в настоящее время", "2016-12-12", "2016-12-12",
     "exact"),
    ("Телефон недавно представили.", "ru", TASS, "недавно", None, "2016-12-12", "up_to"),
    ("Магазин скоро откроется.", "ru", TASS, "скоро", "2016-12-12", None, "at_least"),
]


@pytest.mark.parametrize("text, code, published, span, low, high, qualifier", DEICTIC)
def test_deictic_words_are_the_time_of_publication(text, code, published, span, low, high, qualifier):
    c = _one(text, code, published, span)
    assert (c.low, c.high, c.qualifier, c.resolution) == (low, high, qualifier, "relative"), c.basis
    assert c.extra.get("deictic") in ("present", "past", "future")


# ... but not "now" (it dates a change as well as a state), nor inside a phrase that names no time, a
# compound adjective, or a period of its own
@pytest.mark.parametrize("text, code, spans", [
    ("Call me as soon as you land.", "en", []),
    ("The boys have now been found.", "en", []),  # "now" also dates an event that has just happened
    ("the now-defunct mine", "en", []),
    ("the soon-to-open terminal", "en", []),
    ("the most recent model", "en", []),
    ("in the past week", "en", []),  # a duration (no date claim), not "the past"
    ("Guttene er nå funnet.", "nb", []),
    ("Линия теперь закрыта.", "ru", []),
    ("Ring så snart du lander.", "nb", []),
    ("В прошлом году завод закрылся.", "ru", ["В прошлом году"]),
])
def test_deictic_words_that_name_no_time_of_publication(text, code, spans):
    assert [c.text for c in _dates(text, code, TASS)] == spans


# "since the start of the year": the day the period starts, from which a figure is counted
@pytest.mark.parametrize("text, code, span, low, high, granularity", [
    ("The Dow has fallen 15 percent since the start of this year.", "en", "the start of this year",
     "2016-01-01", "2016-01-01", "day"),
    ("Prices rose since the beginning of March.", "en", "the beginning of March", "2016-03-01", "2016-03-01",
     "day"),
    ("Prices rose at the beginning of March.", "en", "the beginning of March", "2016-03-01", "2016-03-10",
     "month"),
    ("Siden starten av året har 20 omkommet.", "nb", "starten av året", "2016-01-01", "2016-01-01", "day"),
    ("С начала года погибли 20 человек.", "ru", "начала года", "2016-01-01", "2016-01-01", "day"),
])
def test_since_the_start_of_a_period_is_its_first_day(text, code, span, low, high, granularity):
    c = _one(text, code, TASS, span)
    assert (c.low, c.high, c.granularity) == (low, high, granularity), c.basis


@pytest.mark.parametrize("text, spans", [
    ("Four boys were brought out on Sunday, the first success of the rescue.", ["Sunday"]),  # an ordinal of a noun
    ("It happened on Sunday, the first.", ["Sunday, the first"]),
    ("It happened on Sunday the first of July.", ["Sunday the first of July"]),
])
def test_a_spelled_ordinal_after_a_weekday_is_its_day_unless_a_noun_follows(text, spans):
    assert [c.text for c in _dates(text, "en", TASS)] == spans


@pytest.mark.parametrize("text, future", [
    ("The two leaders will meet on Thursday.", True),
    ("The two leaders met on Thursday.", False),
])
def test_future_tense_dates_say_so_in_their_cue(text, future):
    (c,) = _dates(text, "en", TASS)
    assert (c.cue == "future: future tense") is future


def test_weekday_followed_by_a_count_is_only_the_weekday():
    assert [c.text for c in _dates("On Sunday 31 people died.", "en", TASS)] == ["Sunday"]


@pytest.mark.parametrize("text, published, dates, low", [
    # a cardinal after a weekday is a count or a duration, never the day of the month
    ("At 10:30 on Tuesday, two Su-24 jets struck positions near the T-4 airbase.", TASS, ["Tuesday"], "2016-12-06"),
    ("The army retook the town last Friday, two days after it entered the outskirts on Wednesday.", TASS,
     ["last Friday", "Wednesday"], "2016-12-09"),
    ("Sunday, the twenty-first, was calm.", TASS, ["Sunday, the twenty-first"], "2016-08-21"),
])
def test_only_ordinal_words_follow_a_weekday_as_its_day(text, published, dates, low):
    from datasette_palmyra.extract import extract_claims

    claims = extract_claims(text, "en", published)
    assert [c.text for c in claims if c.kind == "date"] == dates
    assert [c for c in claims if c.kind == "date"][0].low == low
    if "two" in text:
        assert [c.text for c in claims if c.kind != "date"] in (["two"], ["two days"])


@pytest.mark.parametrize("text, code, published, span, low, high, readings", [
    # published on a Saturday: the day before, or the Friday of the week before
    ("They attacked last Friday.", "en", "2016-12-17", "last Friday", "2016-12-09", "2016-12-16",
     ["2016-12-16", "2016-12-09"]),
    ("De angrep sist fredag.", "nb", "2016-12-17", "sist fredag", "2016-12-09", "2016-12-16",
     ["2016-12-16", "2016-12-09"]),
    ("Angrepet kom forrige fredag.", "nb", "2016-12-17", "forrige fredag", "2016-12-09", "2016-12-16",
     ["2016-12-16", "2016-12-09"]),
    ("Это случилось в прошлую пятницу.", "ru", "2016-12-17", "прошлую пятницу", "2016-12-09", "2016-12-16",
     ["2016-12-16", "2016-12-09"]),
    # written on a Wednesday, "last Monday" is 2 or 9 days back
    ("They met last Monday.", "en", "2016-12-14", "last Monday", "2016-12-05", "2016-12-12",
     ["2016-12-12", "2016-12-05"]),
    # TASS, a Monday: both readings are the Friday before
    ("The group attacked Palmyra last Friday.", "en", TASS, "last Friday", "2016-12-09", "2016-12-09", None),
    ("Angrepet kom forrige fredag.", "nb", TASS, "forrige fredag", "2016-12-09", "2016-12-09", None),
    # "Friday of last week" has one reading
    ("They met on Friday of last week.", "en", "2016-12-17", "Friday of last week", "2016-12-09", "2016-12-09", None),
])
def test_last_weekday_covers_both_readings(text, code, published, span, low, high, readings):
    c = _one(text, code, published, span)
    assert (c.low, c.high) == (low, high), c.basis
    if readings:
        assert c.qualifier == "range" and c.extra["readings"] == readings
        assert "two readings" in c.basis and "published" in c.basis
    else:
        assert c.qualifier == "exact" and "readings" not in c.extra


@pytest.mark.parametrize("text, code, published, span, low, high, readings", [
    # a date without a year in a text dated only to a month or a year: every day of it is a reading
    ("which had lost the city in December, retook it.", "en", "2017", "December", "2016-12-01", "2017-12-31",
     ["2016-12", "2017-12"]),
    ("the city fell on March 2", "en", "2017-03", "March 2", "2016-03-02", "2017-03-02",
     ["2016-03-02", "2017-03-02"]),
    ("the city fell on March 2", "en", "2017-03-05", "March 2", "2017-03-02", "2017-03-02", None),
    ("Byen falt 27. mars.", "nb", "2016", "27. mars", "2015-03-27", "2016-03-27", ["2015-03-27", "2016-03-27"]),
    # every reading the same: one day
    ("the city fell on February 2", "en", "2017-03", "February 2", "2017-02-02", "2017-02-02", None),
])
def test_partial_dates_over_a_vague_publication(text, code, published, span, low, high, readings):
    c = _one(text, code, published, span)
    assert (c.low, c.high) == (low, high), c.basis
    if readings:
        assert c.qualifier == "range" and c.extra["readings"] == readings
        assert c.basis.startswith("year inferred: ") and "depending on the day of" in c.basis
    else:
        assert c.qualifier == "exact"


@pytest.mark.parametrize("text, code, published, span, basis", [
    ("gjenerobret den i desember i fjor.", "nb", NRK, "desember i fjor",
     "December of the year before it was published (2016)"),
    ("in December last year", "en", "2017-03-02", "December last year",
     "December of the year before it was published (2016)"),
    ("on March 27 the army", "en", TASS, "March 27",
     "year inferred: the most recent March 27 on or before 2016-12-12, the day it was published"),
    ("He came on the 18th.", "en", TASS, "18th",
     "month inferred: the most recent 18th of a month on or before 2016-12-12, the day it was published"),
])
def test_bases_read_as_plain_language(text, code, published, span, basis):
    assert _one(text, code, published, span).basis == basis


@pytest.mark.parametrize("text, code, published, span, resolution", [
    ("retaken on 27 March 2016 by", "en", TASS, "27 March 2016", "absolute"),
    ("in 2015 the city", "en", TASS, "2015", "absolute"),
    ("on March 27 the army", "en", TASS, "March 27", "partial"),
    ("He came on the 18th.", "en", TASS, "18th", "partial"),
    ("gjenerobret 11. desember", "nb", NRK, "11. desember", "partial"),
    ("attacked Palmyra last Friday, and", "en", TASS, "last Friday", "relative"),
    ("gjenerobret den i desember i fjor.", "nb", NRK, "desember i fjor", "relative"),
    ("gjenerobret den 11. desember i fjor.", "nb", NRK, "11. desember i fjor", "partial"),
    ("He said two days ago that", "en", TASS, "two days ago", "relative"),
    ("two days after March 27 the", "en", TASS, "two days after March 27", "partial"),
    ("two days after 27 March 2016 the", "en", TASS, "two days after 27 March 2016", "absolute"),
])
def test_resolution_says_how_the_date_was_placed(text, code, published, span, resolution):
    """The rules tell relative dates from written ones by this column, never by parsing the basis."""
    assert _one(text, code, published, span).resolution == resolution


def test_claim_fields_and_basis():
    text = "The Islamic State attacked Palmyra last Friday, and on March 27 before that."
    claims = _dates(text, "en", TASS)
    assert [c.text for c in claims] == ["last Friday", "March 27"]
    friday, march = claims
    assert friday.value == "last friday" and friday.basis == (
        "the most recent Friday before 2016-12-12 (the day it was published), also the Friday of the week before")
    assert march.value == "XXXX-03-27" and march.basis == (
        "year inferred: the most recent March 27 on or before 2016-12-12, the day it was published")
    for c in claims:
        assert (c.kind, c.unit, c.norm_unit, c.qualifier) == ("date", None, "day", "exact")
        assert c.subject is None and c.sentence == ""


def test_cues_and_qualifiers():
    until = _one("no such group until last Thursday.", "en", TASS, "last Thursday")
    assert until.cue == "until"
    since = _one("fighting since 2011 has killed", "en", TASS, "2011")
    assert since.cue == "since" and (since.low, since.high) == ("2011-01-01", "2011-12-31")
    around = _one("around March 27, 2016", "en", None, "March 27, 2016")
    assert around.qualifier == "approx"
    early = _one("in early March 2016", "en", None, "early March 2016")
    assert early.qualifier == "approx" and (early.low, early.high) == ("2016-03-01", "2016-03-10")
    paren = _one("(2005-2011)", "en", None, "2005-2011")
    assert paren.qualifier == "range" and paren.value == "2005/2011"


def test_ambiguous_numeric_keeps_both_readings():
    c = _one("on 03/04/2016 they", "en", None, "03/04/2016")
    assert (c.low, c.high) == ("2016-03-04", "2016-04-03")
    assert c.extra["readings"] == ["2016-03-04", "2016-04-03"]
    assert "ambiguous" in c.basis


def test_without_published_relative_stays_open():
    c = _one("He said yesterday that", "en", None, "yesterday")
    assert (c.low, c.high) == (None, None) and "no publication date" in c.basis
    c = _one("on March 27 the army", "en", None, "March 27")
    assert (c.low, c.high) == (None, None)


def test_year_inference_with_year_only_published():
    # published some day of 2016: before 12 December the latest "December 12" is in 2015
    c = _one("on December 12 the army", "en", "2016", "December 12")
    assert (c.low, c.high, c.qualifier) == ("2015-12-12", "2016-12-12", "range")
    assert c.extra["readings"] == ["2015-12-12", "2016-12-12"]


def test_impossible_dates_are_not_claims():
    assert _dates("on 30 February 2016 and 2016-02-30", "en", TASS) == []


def test_sorted_and_non_overlapping():
    text = ("MOSCOW, December 12. On Monday, last Friday and March 27, 2016, in May 2015, "
            "in December last year and (2005-2011), yesterday and two days ago.")
    claims = _dates(text, "en", TASS)
    assert len(claims) == 9
    for a, b in zip(claims, claims[1:], strict=False):
        assert a.end <= b.start
    assert all(text[c.start:c.end] == c.text for c in claims)


def test_speed():
    """Several thousand sentences per second: the regexes are compiled once per language."""
    sentences = [s for row in SEEDS + CASES for s in [row[0]] if row[1] == "en"] * 40
    lang = load_language("en")
    pub = parse_published(TASS)
    find_dates("warm up", lang, pub)
    t0 = time.perf_counter()
    for s in sentences:
        find_dates(s, lang, pub)
    rate = len(sentences) / (time.perf_counter() - t0)
    assert rate > 2000, f"{rate:.0f} sentences/s"


_ALPHABET = st.sampled_from(list("0123456789 ,.-/()%:") + ["March", "марта", "mars", "Friday", "last", "in ",
                                                            "2016", "27", "i fjor", "в ", "ago", "days", "the "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join) | st.text(max_size=80),
       st.sampled_from(["en", "nb", "ru"]), st.sampled_from([None, "2016-12-12", "2017-03", "2016"]))
def test_never_raises_and_spans_are_exact(text, code, published):
    for c in _dates(text, code, published):
        assert text[c.start:c.end] == c.text
        if c.low is not None and c.high is not None:
            assert c.low <= c.high


# -- windowed scan == whole-text scan ------------------------------------------------------------
# find_dates runs each pattern only near its anchors (dates._Scanner); these tests hold it to the
# plain scan of the whole text, pattern by pattern (spans and groups) and claim by claim.

def _matches_both_ways(text: str, code: str) -> tuple[list, list]:
    from datasette_palmyra.extract import dates

    p = dates._patterns(code)
    scanner = dates._Scanner(text, text.lower(), code)
    fast, plain = [], []
    extra = [("future", p.future_re), ("past", p.past_re), ("mixed gate", p.gates["mixed"])]
    for name, rx in p.regexes + extra:
        fast += [(name, m.span(), m.groupdict()) for m in scanner.finditer(rx)]
        plain += [(name, m.span(), m.groupdict()) for m in rx.finditer(text)]
    return fast, plain


def _claims_both_ways(text: str, code: str, published: str | None, monkeypatch) -> tuple[list, list]:
    from datasette_palmyra.extract import dates

    fast = [c.to_dict() for c in _dates(text, code, published)]
    with monkeypatch.context() as m:
        m.setattr(dates, "_PLAIN_SCAN", True)
        plain = [c.to_dict() for c in _dates(text, code, published)]
    return fast, plain


def _generated_articles(n: int) -> list[tuple[str, str, str]]:
    import sys
    from pathlib import Path

    repo = str(Path(__file__).resolve().parents[1])
    if repo not in sys.path:
        sys.path.insert(0, repo)
    from bench.pipeline_bench import articles

    return [(a["body"], a["language"], a["published"]) for a in articles(n, seed=5)]


def test_windowed_scan_finds_what_the_whole_text_scan_finds(monkeypatch):
    from datasette_palmyra.extract import dates

    texts = _generated_articles(150)
    for code in ("en", "nb", "ru"):  # every test sentence of a language, as one long article
        rows = [r for r in SEEDS + CASES if r[1] == code]
        texts.append((" ".join(r[0] for r in rows), code, TASS))
        texts.append(("\n\n".join(r[0] for r in reversed(rows)), code, NRK))
    pad = "The ancient city of Palmyra remains a symbol of the war, the observatory said. " * 4
    # letters IGNORECASE matches by another letter ("ſ" for "s", "ı" for "i"), capitals
    for odd, code in (("ſeptember 5, 2016", "en"), ("on Frıday", "en"), ("Thanksgıving", "en"),
                      ("27 MARCH 2016", "en"), ("в ПЯТНИЦУ", "ru")):
        texts.append((pad + odd + " " + pad, code, TASS))
    # year words run on past any fixed window: "March 5" and a chain of number words up to the full stop
    chain = " ".join(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"] * 3)
    texts.append((pad + "on March 5 " + chain + ". " + pad, "en", TASS))
    texts.append((pad + "on March five " + chain.replace(" ", "-") + "\n\n" + pad, "en", TASS))
    windowed = 0
    for text, code, published in texts:
        assert len(text) > dates._SHORT_TEXT
        fast, plain = _matches_both_ways(text, code)
        assert fast == plain, text
        fast_claims, plain_claims = _claims_both_ways(text, code, published, monkeypatch)
        assert fast_claims == plain_claims, text
        windowed += dates._Scanner(text, text.lower(), code).win is not None
    assert windowed >= len(texts) - 5  # the fast path did run (it steps aside only for odd letters)


_FRAGMENTS = st.sampled_from([
    "March", "Mar.", "5thMarch", "earlyMarch", "May", "mayor", "Friday", "Tue", "last", "next", "this", "ago",
    "days", "weeks", "in two weeks", "the 15th day of next month", "Christmas", "new year's day", "now",
    "2016", "27", "1990s", "'90s", "12/12/30", "22/04", "2016-03-27", "20161016", "2016 10 16", "(2005-2011)",
    "2020/Sep/23", "nineteen eighty six", "twenty-first", "May twenty nine", "i fjor", "i går", "mars",
    "27. mars", "fredag", "марта", "в пятницу", "Auguſt", "İstanbul", "since", "between", "and", "to", "of",
    "the", "on", "from", "before", "after", "week of", ",", ".", "-", "--", " - ", "/", "(", ")", "'", "’",
    "\n\n", "   ", "\u00a0", "\t", " ", "ſeptember", "Frıday", "will", "we'll", "said", "let’s", "будет",
])


@settings(max_examples=250, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=40), st.lists(_FRAGMENTS, max_size=40),
       st.integers(0, 400), st.sampled_from(["en", "nb", "ru"]))
def test_windowed_scan_equals_whole_scan_on_fragments(head, tail, filler, code):
    """Dates glued, spread by long runs of spaces and hyphens, and at every distance from each other
    (the filler moves the second group across window edges)."""
    text = " ".join(head) + " " + "x" * filler + " " + "".join(tail)
    text = text if len(text) > 250 else text + " " + "word " * 60
    fast, plain = _matches_both_ways(text, code)
    assert fast == plain
