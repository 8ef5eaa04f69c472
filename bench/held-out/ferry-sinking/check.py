#!/usr/bin/env python3
"""Self-check of the ferry-sinking held-out corpus and its answer key (adapted from the shared dev corpora's check.py). Needs only Python 3 and PyYAML.

    python3 check.py            (from anywhere; checks the folder this file lives in)
    python3 check.py FOLDER     (checks another copy of the corpus)

It re-derives what it can from the article texts and the manifest, independently of how the key was written:
spans at their offsets and whole-word occurrences, exhaustiveness, normalized values, relative and partial dates,
anchored durations, in-text conversions, and the fact logic (every same-fact conflict is planted, every planted
conflict is real, every consistent pair agrees). It prints ALL CHECKS PASSED or the list of failures (exit 1).
"""
import datetime as dt
import math
import re
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import yaml

HERE = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent
FAIL = []
INFO = []


def fail(msg):
    FAIL.append(msg)


def D(s):
    return dt.date.fromisoformat(str(s))


# ---------------------------------------------------------------- expectations for this corpus
N_ARTICLES = 10
LANGS = {"en": 4, "nb": 3, "ru": 3}
N_OUTLETS = 7
WINDOW = (dt.date(2024, 3, 9), dt.date(2024, 3, 20))
N_WIRE_DATELINES = 2
N_NOISY = 1
N_INCONSISTENCIES = 10
N_CONSISTENT = 16
WORDS_RANGE = (250, 500)
FORBIDDEN_OUTLETS = {"levant wire", "fjordposten", "global courier", "nordlys avis", "northern ledger", "desert dispatch",
                     "eastern monitor", "anatolia wire", "vestlandsposten", "meridian news", "harbour tribune",
                     "morgenbladet nord", "plains herald", "baltic review",
                     # outlets of the shared dev corpora
                     "lanna wire", "pacific evening star", "dalebladet", "kveldsavisen midt", "riverbend observer",
                     "sibirsky kurier", "tidewater gazette", "saltmarsh wire", "quayside chronicle", "skagerrak dagblad",
                     "havgapet", "ladoga observer"}
KINDS = {"count", "length", "percent", "date", "duration", "age", "money", "identifier", "ordinal", "other"}
QUALS = {"exact", "approx", "more_than", "at_least", "less_than", "up_to", "range"}
INC_KINDS = {"cross_source_value", "cross_source_date", "relative_date_conflict", "within_text_conversion",
             "within_article", "impossible_order", "cumulative_decrease"}
UNIT_OF_KIND = {"length": "m", "duration": "days", "age": "years", "percent": "percent"}
# partial dates (no year) that legitimately lie after publication: scheduled future events
FUTURE_FACTS = {"date_inspection_deadline"}
# anchored durations: cid -> fact whose (agreed) date is the anchor; resolves_to = anchor + duration
ANCHORS = {"wn-20240310-divers-reach-wreck#02": "date_sinking", "cw-20240313-search-ends#04": "date_sinking"}
EXACT_TOL = 0.01  # +/-1 % for exact values

# ---------------------------------------------------------------- load
manifest = yaml.safe_load((HERE / "manifest.yml").read_text(encoding="utf-8"))
answers = yaml.safe_load((HERE / "answers.yml").read_text(encoding="utf-8"))
claims = answers.get("claims") or []
incs = answers.get("inconsistencies") or []
cps = answers.get("consistent_pairs") or []

# ---------------------------------------------------------------- 1. manifest and articles
texts, art = {}, {}
MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
MON_ABBR = [m[:3] for m in MONTHS_EN]
MONTHS_NB = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
             "desember"]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
             "декабря"]
DATELINE = re.compile(r"^([A-Z][A-Z .]+), (" + "|".join(m.capitalize() for m in MONTHS_EN) + r") (\d{1,2}) \(([^)]+)\) - ", re.M)

if not isinstance(manifest, list):
    fail("manifest.yml is not a YAML list")
    manifest = []
if len(manifest) != N_ARTICLES:
    fail(f"manifest has {len(manifest)} articles, expected {N_ARTICLES}")
lang_count = Counter(a.get("language") for a in manifest)
if dict(lang_count) != LANGS:
    fail(f"languages {dict(lang_count)} != {LANGS}")
outlets = {a.get("source") for a in manifest}
if len(outlets) != N_OUTLETS:
    fail(f"{len(outlets)} outlets, expected {N_OUTLETS}: {sorted(outlets)}")
for o in outlets:
    if any(f in str(o).lower() for f in FORBIDDEN_OUTLETS):
        fail(f"outlet {o!r} uses a name that is reserved for other corpora")
wire, noisy = [], []
for a in manifest:
    for k in ("id", "path", "source", "published", "language", "title"):
        if k not in a:
            fail(f"manifest entry {a.get('id')}: missing {k}")
    aid = a["id"]
    if aid in art:
        fail(f"duplicate manifest id {aid}")
    art[aid] = a
    if a["path"] != f"articles/{aid}.txt":
        fail(f"{aid}: path {a['path']!r} is not articles/{aid}.txt")
    p = HERE / a["path"]
    try:
        text = p.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"{aid}: cannot read as UTF-8: {e}")
        continue
    texts[aid] = text
    pub = D(a["published"])
    if not WINDOW[0] <= pub <= WINDOW[1]:
        fail(f"{aid}: published {pub} outside {WINDOW}")
    m = re.match(r"^[a-z]{2}-(\d{8})-[a-z0-9-]+$", aid)
    if not m or m.group(1) != pub.strftime("%Y%m%d"):
        fail(f"{aid}: id does not carry the publication date {pub}")
    if a["language"] not in LANGS:
        fail(f"{aid}: language {a['language']}")
    if text.split("\n", 1)[0] != a["title"]:
        fail(f"{aid}: first line {text.splitlines()[0]!r} != manifest title {a['title']!r}")
    nwords = len([w for w in text.split() if any(ch.isalnum() for ch in w)])
    if not WORDS_RANGE[0] <= nwords <= WORDS_RANGE[1]:
        fail(f"{aid}: {nwords} words, expected {WORDS_RANGE[0]}-{WORDS_RANGE[1]}")
    a["_words"] = nwords
    dl = DATELINE.search(text)
    if dl:
        wire.append(aid)
        dday = dt.date(pub.year, MONTHS_EN.index(dl.group(2).lower()) + 1, int(dl.group(3)))
        if dday != pub:
            fail(f"{aid}: dateline date {dday} != published {pub}")
        if dl.group(4) != a["source"]:
            fail(f"{aid}: dateline outlet {dl.group(4)!r} != source {a['source']!r}")
    lines = text.split("\n")
    nav = [i for i, l in enumerate(lines) if l.count(" | ") >= 3]
    cred = [i for i, l in enumerate(lines) if "©" in l and re.search(r"\b(19|20)\d\d\b", l)]
    more = [i for i, l in enumerate(lines) if l.startswith("READ MORE:")]
    if nav or cred or more:
        noisy.append(aid)
        if not (nav and cred and more):
            fail(f"{aid}: partial page noise (nav {nav}, credit {cred}, read-more {more})")
        elif not re.search(r"\d", lines[nav[0]]):
            fail(f"{aid}: navigation bar carries no date")
    a["_noise_lines"] = set(nav + cred + more)
for p in sorted((HERE / "articles").glob("*")):
    if p.suffix != ".txt" or p.stem not in art:
        fail(f"articles/{p.name} is not in the manifest")
if len(wire) != N_WIRE_DATELINES:
    fail(f"{len(wire)} articles with a wire dateline, expected {N_WIRE_DATELINES}: {wire}")
if len(noisy) != N_NOISY:
    fail(f"{len(noisy)} articles with page noise, expected {N_NOISY}: {noisy}")


def line_of(aid, off):
    return texts[aid].count("\n", 0, off)


# ---------------------------------------------------------------- 2. claim structure, spans, offsets, occurrences
REQ = ("cid", "article", "span", "occurrence", "offset", "kind", "low", "high", "qualifier", "about", "fact", "boilerplate")
by_cid = {}
by_art = defaultdict(list)
for c in claims:
    miss = [k for k in REQ if k not in c]
    if miss:
        fail(f"claim {c.get('cid')}: missing {miss}")
        continue
    cid, aid, span = c["cid"], c["article"], c["span"]
    if cid in by_cid:
        fail(f"duplicate cid {cid}")
    by_cid[cid] = c
    if aid not in texts:
        fail(f"{cid}: unknown article {aid}")
        continue
    if not re.fullmatch(re.escape(aid) + r"#\d\d", cid):
        fail(f"{cid}: cid is not <article>#NN")
    by_art[aid].append(c)
    text = texts[aid]
    off = c["offset"]
    if not isinstance(off, int) or text[off:off + len(span)] != span:
        fail(f"{cid}: span {span!r} not at offset {off} (found {text[off:off + len(span)]!r})")
    hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(span) + r"(?!\w)", text)]
    occ = c["occurrence"]
    if not isinstance(occ, int) or occ < 1 or occ > len(hits) or hits[occ - 1] != off:
        fail(f"{cid}: {span!r} is not whole-word occurrence {occ} at {off} (whole-word hits at {hits})")
    if span != span.strip() or not span:
        fail(f"{cid}: span has outer whitespace")
    k, q = c["kind"], c["qualifier"]
    if k not in KINDS:
        fail(f"{cid}: kind {k}")
    if q is not None and q not in QUALS:
        fail(f"{cid}: qualifier {q}")
    if k in UNIT_OF_KIND and c.get("unit") != UNIT_OF_KIND[k]:
        fail(f"{cid}: {k} must have unit {UNIT_OF_KIND[k]}, has {c.get('unit')}")
    if k == "money" and not re.fullmatch(r"[A-Z]{3}", str(c.get("unit"))):
        fail(f"{cid}: money needs an ISO currency unit")
    if k in ("count", "date", "ordinal", "identifier") and c.get("unit") is not None:
        fail(f"{cid}: {k} carries a unit")
    if (q is None) != (k == "identifier" or (k == "other" and c["low"] is None and c["high"] is None)):
        fail(f"{cid}: qualifier null only for identifiers and clock times")
    if c["boilerplate"] not in (True, False):
        fail(f"{cid}: boilerplate must be true/false")
    on_noise = line_of(aid, off) in art[aid]["_noise_lines"]
    if c["boilerplate"] != on_noise:
        fail(f"{cid}: boilerplate={c['boilerplate']} but the span is {'on' if on_noise else 'off'} a noise line")
    if c["boilerplate"] and c["fact"] is not None:
        fail(f"{cid}: boilerplate claims must have fact null")
    f = c["fact"]
    cum = isinstance(f, str) and f.endswith("_cumulative")
    if cum != ("as_of" in c):
        fail(f"{cid}: as_of must be present exactly for *_cumulative facts")
    if cum:
        if D(c["as_of"]) != D(art[aid]["published"]):
            fail(f"{cid}: as_of {c['as_of']} != publication date (no figure in this corpus is dated by the text)")
    if "resolves_to" in c and k != "duration":
        fail(f"{cid}: resolves_to on a {k}")
    if k == "date":
        try:
            lo, hi = D(c["low"]), D(c["high"])
            if lo > hi:
                fail(f"{cid}: low > high")
        except (TypeError, ValueError):
            fail(f"{cid}: date low/high not ISO dates")
    elif c["low"] is not None and c["high"] is not None and c["low"] > c["high"]:
        fail(f"{cid}: low > high")
for aid, cs in by_art.items():
    cs.sort(key=lambda c: c["offset"])
    for i, c in enumerate(cs, 1):
        if c["cid"] != f"{aid}#{i:02d}":
            fail(f"{c['cid']}: expected {aid}#{i:02d} in text order")
    for a, b in zip(cs, cs[1:]):
        if a["offset"] + len(a["span"]) > b["offset"]:
            fail(f"{a['cid']} and {b['cid']} overlap")
for aid in texts:
    if aid not in by_art:
        fail(f"{aid}: no claims")

# ---------------------------------------------------------------- 3. exhaustiveness
EN_W = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
        r"eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|"
        r"billions?|bn|dozens?|several|couple|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|once|"
        r"twice|half|fortnight|days?|weeks?|weekend|months?|years?|hours?|nights?|minutes?|decades?|century|centuries|"
        r"today|tonight|yesterday|tomorrow|ago|" + "|".join(MONTHS_EN) + "|monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun")
NB_W = (r"ett|én|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|"
        r"nitten|tjue|tretti|førti|femti|seksti|hundre|hundrevis|tusen|tusenvis|millioner|million|milliarder|milliard|"
        r"dusin|flere|par|halv|halvt|halvannen|halvannet|halvtime|halvparten|første|andre|tredje|fjerde|femte|dag|dager|"
        r"dagen|dagens|døgn|døgnet|uke|uker|uka|uken|måned|måneder|år|året|tiår|time|timer|timen|minutt|minutter|minutts|"
        r"kveld|kvelden|natt|morgen|helgen|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|" + "|".join(MONTHS_NB)
        + r"|går|fjor|forgårs|mil|sekundet")
RU_W = (r"од(?:ин|на|но|ного|ной|ному|ну)|дв(?:а|е|ух|ое|оих|ум)|тр(?:и|ёх|ех|ое|оих|ём)|четыр\w*|четвер\w*|пят\w*|"
        r"шест\w*|сем(?:ь|и|ерых)|вос[еь]м\w*|девят\w*|десят\w*|\w+надцат\w*|двадцат\w*|тридцат\w*|сорок\w*|девяност\w*|"
        r"сто|сотни|сотен|тысяч\w*|миллион\w*|миллиард\w*|млн|млрд|нескольк\w*|перв\w*|втор(?:ой|ого|ая|ую|ом)|"
        r"трет(?:ий|ья|ье|ьего|ью)|четвёрт\w*|полтор\w*|половин\w*|полчаса|день|дня|дней|дням|днём|сутки|суток|недел\w*|"
        r"месяц\w*|год|года|году|годы|лет|летн\w*|час(?:а|ов|ы)?|минут\w*|ночь|ночью|вечер\w*|утр(?:о|ом|а)|"
        r"понедельник\w*|вторник\w*|сред[аеуы]|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|январ\w*|феврал\w*|март\w*|"
        r"апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*|вчера|позавчера|сегодня|завтра")
TOKEN_RE = {lang: re.compile(r"\d+|\b(?:" + w + r")\b", re.I) for lang, w in (("en", EN_W), ("nb", NB_W), ("ru", RU_W))}
# reviewed exceptions: (article, unique context, token inside it, reason)
ALLOW = []
allowed, used_allow = set(), set()
for aid, ctx, tok, why in ALLOW:
    t = texts.get(aid, "")
    pos = [m.start() for m in re.finditer(re.escape(ctx), t)]
    if len(pos) != 1:
        fail(f"allow-list context {ctx!r} found {len(pos)} times in {aid}")
        continue
    allowed.add((aid, pos[0] + ctx.index(tok)))
n_tokens = 0
for aid, text in texts.items():
    spans = [(c["offset"], c["offset"] + len(c["span"])) for c in by_art[aid]]
    for m in TOKEN_RE[art[aid]["language"]].finditer(text):
        n_tokens += 1
        if any(s <= m.start() and m.end() <= e for s, e in spans):
            continue
        if (aid, m.start()) in allowed:
            used_allow.add((aid, m.start()))
            continue
        ctx = text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
        fail(f"{aid}: numeric/date token {m.group(0)!r} at {m.start()} is in no claim: ...{ctx}...")
for a in allowed - used_allow:
    fail(f"allow-list entry {a} is not needed any more")

# ---------------------------------------------------------------- 4. normalized values re-derived from the span
NUM_WORDS = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "once": 1, "twice": 2, "a dozen": 12, "half a": 0.5},
    "nb": {"en": 1, "ett": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7, "åtte": 8,
           "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "femten": 15, "tjue": 20, "tretti": 30,
           "halvannen": 1.5, "halvannet": 1.5, "et dusin": 12},
    "ru": {"один": 1, "одна": 1, "два": 2, "две": 2, "двух": 2, "двое": 2, "три": 3, "трёх": 3, "трое": 3, "четыре": 4,
           "четырёх": 4, "четверо": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "восемь": 8,
           "восьми": 8, "девять": 9, "десять": 10, "десяти": 10, "двенадцать": 12, "полтора": 1.5, "полторы": 1.5},
}
ORD_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "første": 1, "andre": 2, "tredje": 3,
             "fjerde": 4, "femte": 5, "первый": 1, "первая": 1, "первые": 1, "второй": 2, "третий": 3, "четвёртый": 4, "пятый": 5,
             "пятые": 5, "четвёртые": 4, "третьи": 3}
QUAL_PREFIX = {  # longest first is enforced below
    "en": [("more than", "more_than"), ("over", "more_than"), ("at least", "at_least"), ("up to", "up_to"),
           ("about", "approx"), ("some", "approx"), ("roughly", "approx"), ("around", "approx"),
           ("approximately", "approx"), ("nearly", "nearly"), ("almost", "nearly"), ("less than", "less_than"),
           ("fewer than", "less_than"), ("under", "less_than"), ("within", "up_to")],
    "nb": [("mer enn", "more_than"), ("over", "more_than"), ("eldre enn", "more_than"), ("drøyt", "more_than"),
           ("minst", "at_least"), ("opptil", "up_to"), ("rundt", "approx"), ("om lag", "approx"), ("cirka", "approx"),
           ("nesten", "nearly"), ("nærmere", "nearly"), ("under", "less_than"), ("mindre enn", "less_than")],
    "ru": [("старше", "more_than"), ("более чем", "more_than"), ("более", "more_than"), ("свыше", "more_than"), ("больше", "more_than"),
           ("чуть больше", "more_than"), ("не менее", "at_least"), ("не меньше", "at_least"), ("не более", "up_to"),
           ("до", "up_to"), ("около", "approx"), ("примерно", "approx"), ("почти", "nearly"),
           ("менее чем", "less_than"), ("менее", "less_than"), ("меньше", "less_than")],
}
MULT = {"million": 1e6, "millions": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "millioner": 1e6,
        "million kroner": None, "milliarder": 1e9, "milliard": 1e9, "tusen": 1e3, "тысяч": 1e3, "тысячи": 1e3,
        "тыс.": 1e3, "млн": 1e6, "млрд": 1e9, "миллионов": 1e6, "миллиона": 1e6}
# (regex on the rest of the span, kind, factor, unit); several kinds may share a word (år, лет): the key's kind decides
UNITS = [
    (r"nautical miles|nautical mile|nautical-mile|морских миль|морские мили|nautiske mil", "length", 1852, "m"),
    (r"kilometres|kilometers|kilometre|kilometer|km|километрах|километров|километра|километр|км", "length", 1000, "m"),
    (r"miles|mile", "length", 1609.344, "m"), (r"mil", "length", 10000, "m"),
    (r"feet|foot|ft|футов", "length", 0.3048, "m"),
    (r"centimetres|centimeters|cm|сантиметров", "length", 0.01, "m"),
    (r"metres|meters|metre|meter|m|метрах|метров|метра|метр|м", "length", 1, "m"),
    (r"percent|per cent|prosent|процентов|процента|%", "percent", 1, "percent"),
    (r"days|day|dager|dagar|døgn|дней|дня|день|суток|сутки", "duration", 1, "days"), (r"nights|night", "duration", 1, "days"),
    (r"hours|hour|timer|time|часов|часа|час", "duration", 1 / 24, "days"),
    (r"halvtime", "duration", 1 / 48, "days"), (r"полчаса", "duration", 1 / 48, "days"),
    (r"weeks|week|uker|uke|недели|недель|неделя|неделю", "duration", 7, "days"), (r"fortnight", "duration", 14, "days"),
    (r"months|month|måneder|måned|месяцев|месяца|месяц", "duration", 30.4375, "days"),
    (r"minutter|minutt|minutts|minutes|minute|минут|минуты|минуту", "duration", 1 / 1440, "days"),
    (r"years|year|år|лет|года|год", "duration", 365.25, "days"), (r"decades|decade|tiår", "duration", 3652.5, "days"),
    (r"year-old|years old|år gammel|år gamle|år|летний|летнему|летняя|летнего|лет|года|год", "age", 1, "years"),
    (r"euros|euro|евро|eur", "money", 1, "EUR"),
    (r"tonnes|tonne|tonn|тонн|тонны", "other", 1, "t"),
    (r"km/h|км/ч|kilometres an hour|kilometer i timen", "other", 1, "km/h"), (r"knots|knop|узлов", "other", 1.852, "km/h"),
    (r"meter i sekundet|metres per second|метров в секунду", "other", 3.6, "km/h"),
    (r"metres an hour|metres per hour|meter i timen|metres a hour|метров в час", "other", 1, "m/h"),
    (r"kilometres a day|kilometres per day|kilometer i døgnet|километра в сутки|километров в сутки", "other", 1000 / 24, "m/h"),
    (r"kilograms|kilogram|kilo|kg", "other", 1, "kg"),
]
VAGUE = {"hundreds": (200, 999), "hundrevis": (200, 999), "several hundred": (200, 999), "dozens": (24, 99),
         "dusinvis": (24, 99), "thousands": (2000, 9999), "tusenvis": (2000, 9999), "несколько сотен": (200, 999),
         "сотни": (200, 999), "тысячи": (2000, 9999), "десятки": (24, 99)}
CURRENCY_SIGN = {"€": "EUR", "$": "USD"}


def parse_number(s, lang):
    """Leading number of s -> (value, rest) or None."""
    if lang == "en":
        m = re.match(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)", s)
        conv = lambda x: float(x.replace(",", ""))  # noqa: E731
    else:
        m = re.match(r"(\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:,\d+)?)", s)
        conv = lambda x: float(x.replace(" ", "").replace("\u00a0", "").replace(",", "."))  # noqa: E731
    if m:
        return conv(m.group(1)), s[m.end():]
    low = s.lower()
    for w in sorted(NUM_WORDS[lang], key=len, reverse=True):
        if re.match(re.escape(w) + r"(?!\w)", low):
            return float(NUM_WORDS[lang][w]), s[len(w):]
    return None


def unit_of(rest, kind, unit_key):
    """-> (kind, factor, unit) for the unit words in rest, preferring the key's kind."""
    rest = rest.strip()
    if rest.startswith("-"):
        rest = rest[1:]
    if rest == "":
        if kind in ("count", "age"):
            return kind, 1, ("years" if kind == "age" else None)
        if kind == "other" and unit_key == "M":  # earthquake magnitudes are bare numbers
            return "other", 1, "M"
        return "count", 1, None
    cands = [(k, f, u) for rx, k, f, u in UNITS if re.fullmatch(rx, rest, re.I)]
    for k, f, u in cands:
        if k == kind:
            return k, f, u
    return cands[0] if cands else None


def expected(c, lang, prev):
    """(qualifier, low, high, unit) expected for a non-date quantity claim, or a string saying why not."""
    s, kind = c["span"].replace("\u00a0", " "), c["kind"]
    if kind == "ordinal":
        words = [w.lower() for w in re.findall(r"\w+", s)]
        vals = [ORD_WORDS[w] for w in words if w in ORD_WORDS]
        return ("exact", vals[0], vals[0], None) if len(vals) == 1 else "no ordinal word"
    low = s.lower()
    for vw, (a, b) in sorted(VAGUE.items(), key=lambda kv: -len(kv[0])):
        if low == vw or low.startswith(vw + " "):
            u = unit_of(s[len(vw):], kind, c.get("unit"))
            return ("approx", a * u[1], b * u[1], u[2]) if u else "unknown unit after vague word"
    qual = None
    for pre, qq in sorted(QUAL_PREFIX[lang], key=lambda p: -len(p[0])):
        if low.startswith(pre + " "):
            qual, s = qq, s[len(pre) + 1:]
            break
    anchored = False
    if s.endswith(" after") or s.endswith(" later"):
        anchored, s = True, s.rsplit(" ", 1)[0]
    s = re.sub(r"^(?:в|во|на|за|по) ", "", s) if lang == "ru" else s
    m = re.fullmatch(r"(?:between|mellom) (.+?) (?:and|og) (.+)", s) or re.fullmatch(r"от (.+?) до (.+)", s) \
        or re.fullmatch(r"(\d[\d.,]*)(?: to |–|-| til )(\d[\d.,]*.*)", s)
    if m and qual is None:
        a, b = parse_number(m.group(1), lang), parse_number(m.group(2), lang)
        if not a or not b or a[1].strip():
            return "cannot parse range"
        u = unit_of(b[1], kind, c.get("unit"))
        return ("range", a[0] * u[1], b[0] * u[1], u[2]) if u else "unknown unit in range"
    cur = None
    if s[:1] in CURRENCY_SIGN:
        cur, s = CURRENCY_SIGN[s[0]], s[1:]
    pn = parse_number(s, lang)
    if not pn and unit_of(s, kind, c.get("unit")) and s.strip():
        pn = (1.0, s)  # a bare unit noun counts one: "не меньше недели" = at least a week
    if not pn:
        return "no number"
    x, rest = pn
    rest = rest.strip()
    for w in sorted(MULT, key=len, reverse=True):
        if MULT[w] and re.match(re.escape(w) + r"(?!\w)", rest.lower()):
            x, rest = x * MULT[w], rest[len(w):].strip()
            break
    if cur:
        if rest.strip():
            return f"text after a currency amount: {rest!r}"
        u = ("money", 1, cur)
    else:
        u = unit_of(rest, kind, c.get("unit"))
    if not u:
        return f"unknown unit {rest.strip()!r}"
    ukind, fac, unit = u
    if ukind != kind:
        return f"unit says {ukind}, key says {kind}"
    n = x * fac
    if qual is None:
        qual = "exact"
        if prev is not None:  # a conversion in parentheses takes the qualifier of what it converts
            qual = {"less_than": "nearly" if prev["low"] is not None else "less_than"}.get(prev["qualifier"], prev["qualifier"])
    if anchored and "resolves_to" not in c:
        return "anchored duration without resolves_to"
    if qual == "exact":
        return "exact", n, n, unit
    if qual == "approx":
        return "approx", n * 0.9, n * 1.1, unit
    if qual in ("more_than", "at_least"):
        return qual, n, None, unit
    if qual == "nearly":
        return "less_than", n * 0.9, n, unit
    if qual == "less_than":
        return "less_than", None, n, unit
    if qual == "up_to":
        return "up_to", None, n, unit
    return "unknown qualifier"


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(1e-6, 5e-4 * abs(b))


CLOCK = re.compile(r"(?:about |around |rundt |около |примерно )?(?:klokken |kl\. |в )?\d{1,2}(?:[.:]\d\d)?"
                   r"(?: ?[ap]\.m\.| lokal tid| по местному времени)?")
n_values = 0
conversions = []
for aid, cs in by_art.items():
    lang, text = art[aid]["language"], texts[aid]
    for i, c in enumerate(cs):
        k = c["kind"]
        if k == "date":
            continue
        if k == "identifier":
            if not re.search(r"\d", c["span"]) or c["low"] is not None or c["high"] is not None:
                fail(f"{c['cid']}: identifiers carry a digit and null values")
            continue
        if k == "other" and c["qualifier"] is None:
            if not CLOCK.fullmatch(c["span"]) or not re.search(r"\d", c["span"]):
                fail(f"{c['cid']}: null-valued 'other' claim {c['span']!r} is not a clock time")
            continue
        prev = None
        s, e = c["offset"], c["offset"] + len(c["span"])
        if i and text[s - 1:s] == "(" and text[e:e + 1] == ")":
            p = cs[i - 1]
            if p["offset"] + len(p["span"]) == s - 2:
                prev = p
                conversions.append((p, c))
        exp = expected(c, lang, prev)
        if isinstance(exp, str):
            fail(f"{c['cid']}: cannot re-derive {c['span']!r}: {exp}")
            continue
        q, lo, hi, unit = exp
        n_values += 1
        if q != c["qualifier"] or not close(lo, c["low"]) or not close(hi, c["high"]) or (unit and unit != c.get("unit")):
            fail(f"{c['cid']}: {c['span']!r} re-derived as {q} [{lo}, {hi}] {unit or ''}, key has "
                 f"{c['qualifier']} [{c['low']}, {c['high']}] {c.get('unit') or ''}")

# ---------------------------------------------------------------- 5. dates re-derived from the publication date
WD_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WD_NB = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
WD_RU = ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]
WD_ABBR = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTHS_RU_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре",
                  "ноябре", "декабре"]


def weekday_back(pub, wd, strict):
    delta = (pub.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return pub - dt.timedelta(days=delta)


def month_bounds(y, mo):
    a = dt.date(y, mo, 1)
    b = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    return a, b


def month_index(word):
    for names in (MONTHS_EN, MONTHS_NB, MONTHS_RU, MONTHS_RU_PREP):
        if word in names:
            return names.index(word) + 1
    return None


def derive_date(c, pub, lang):
    """-> (type, low, high) or a string saying why not."""
    s = c["span"].strip().replace("\u00a0", " ")
    low = s.lower()
    m = re.fullmatch(r"(\w{3}) (\d{1,2}) (\w{3}) (\d{4})", s)
    if m and m.group(1).lower() in WD_ABBR and m.group(3).lower() in MON_ABBR:
        d = dt.date(int(m.group(4)), MON_ABBR.index(m.group(3).lower()) + 1, int(m.group(2)))
        if d.weekday() != WD_ABBR.index(m.group(1).lower()):
            return f"weekday does not match {d}"
        return "full", d, d
    m = re.fullmatch(r"(?:в |с )?(\d{4})(?: году| года| год)?", low)
    if m:
        y = int(m.group(1))
        return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = re.fullmatch(r"(?:с )?(\d{4})(?: to | til |–|-| по | до )(\d{4})(?: годы| год| года)?", low)
    if m:
        return "year range", dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)
    # full dates: "13 марта 2024 года", "14 November 2025", "November 14, 2025", "14. november 2025"
    m = re.fullmatch(r"(\d{1,2})\.? (\w+),? (\d{4})(?: года)?", low) or re.fullmatch(r"(\w+) (\d{1,2}), (\d{4})", low)
    if m:
        g = m.groups()
        dy, mw = (g[0], g[1]) if g[0].isdigit() else (g[1], g[0])
        mo = month_index(mw)
        if mo:
            d = dt.date(int(g[2]), mo, int(dy))
            return "full", d, d
    # month and year: "March 2021", "mars 2021", "в марте 2021 года", "в декабре 2018-го"
    m = re.fullmatch(r"(?:в )?(\w+) (\d{4})(?: года)?", low)
    if m and month_index(m.group(1)):
        a, b = month_bounds(int(m.group(2)), month_index(m.group(1)))
        return "month+year", a, b
    # partial dates: "March 8", "8 марта", "9. mars" (+ "i år" / "i fjor")
    m1 = re.fullmatch(r"(\w+) (\d{1,2})", low)
    m2 = re.fullmatch(r"(\d{1,2})\.? (\w+)( i år| i fjor)?", low)
    mo = dy = None
    year_word = None
    if m1 and month_index(m1.group(1)):
        mo, dy = month_index(m1.group(1)), int(m1.group(2))
    elif m2 and month_index(m2.group(2)):
        mo, dy, year_word = month_index(m2.group(2)), int(m2.group(1)), m2.group(3)
    if mo:
        if year_word:
            d = dt.date(pub.year - (year_word == " i fjor"), mo, dy)
            return "partial+year", d, d
        d = dt.date(pub.year, mo, dy)
        if d > pub and c["fact"] not in FUTURE_FACTS:
            d = dt.date(pub.year - 1, mo, dy)  # a past event dated without a year: the previous year
        return "partial", d, d
    # month alone: "January", "april", "в феврале"
    m = re.fullmatch(r"(?:в )?(\w+)", low)
    if m and month_index(m.group(1)):
        mo = month_index(m.group(1))
        a, b = month_bounds(pub.year, mo)
        if a > pub and c["fact"] not in FUTURE_FACTS:
            a, b = month_bounds(pub.year - 1, mo)
        return "month", a, b
    rel = {"yesterday": -1, "i går": -1, "i går kveld": -1, "i går morges": -1, "вчера": -1, "вчера вечером": -1,
           "today": 0, "tonight": 0, "i dag": 0, "i kveld": 0, "i natt": 0, "сегодня": 0, "tomorrow": 1, "i morgen": 1,
           "завтра": 1, "the day before yesterday": -2, "i forgårs": -2, "позавчера": -2}
    if low in rel:
        d = pub + dt.timedelta(days=rel[low])
        return "relative", d, d
    mon = pub - dt.timedelta(days=pub.weekday())
    if low in ("last week", "forrige uke", "på прошлой неделе", "на прошлой неделе"):
        return "relative", mon - dt.timedelta(days=7), mon - dt.timedelta(days=1)
    if low in ("this week", "denne uken", "на этой неделе"):
        return "relative", mon, mon + dt.timedelta(days=6)
    if low in ("next week", "neste uke", "на следующей неделе"):
        return "relative", mon + dt.timedelta(days=7), mon + dt.timedelta(days=13)
    if low in ("last month", "forrige måned", "в прошлом месяце"):
        y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        a, b = month_bounds(y, mo)
        return "relative", a, b
    if low in ("this year", "i år", "в этом году"):
        return "relative", dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31)
    if low in ("last year", "i fjor", "в прошлом году"):
        return "relative", dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31)
    m = re.fullmatch(r"(last )?(" + "|".join(WD_EN) + r")(?: night| morning| evening| afternoon)?", low) \
        or re.fullmatch(r"(forrige )?(" + "|".join(WD_NB) + r")(?: kveld| morgen| natt| ettermiddag| formiddag)?", low) \
        or re.fullmatch(r"(?:в|во) (прошл\w+ )?(" + "|".join(WD_RU) + r")(?: вечером| утром| днём| ночью)?", low)
    if m:
        name = m.group(2)
        wd = (WD_EN + WD_NB + WD_RU).index(name) % 7
        d = weekday_back(pub, wd, bool(m.group(1)))
        return "weekday", d, d
    return f"unrecognized date expression {s!r}"


n_dates = Counter()
date_type = {}
for c in claims:
    if c.get("kind") != "date" or c.get("article") not in art:
        continue
    a = art[c["article"]]
    pub = D(a["published"])
    r = derive_date(c, pub, a["language"])
    if isinstance(r, str):
        fail(f"{c['cid']}: {r}")
        continue
    t, lo, hi = r
    date_type[c["cid"]] = t
    n_dates[t] += 1
    if (D(c["low"]), D(c["high"])) != (lo, hi):
        fail(f"{c['cid']}: {c['span']!r} ({t}, published {pub} {pub.strftime('%a')}) re-derived as {lo}..{hi}, "
             f"key has {c['low']}..{c['high']}")
    want_q = "range" if t == "year range" else "exact"
    if c["qualifier"] != want_q:
        fail(f"{c['cid']}: date qualifier {c['qualifier']}, expected {want_q}")
    if c["about"].startswith("dateline") and (lo != pub or c["fact"] is not None):
        fail(f"{c['cid']}: dateline date must equal publication and have fact null")
    if t == "weekday" and not (lo <= pub and (pub - lo).days <= 7):
        fail(f"{c['cid']}: weekday resolves outside the week before publication")

# anchored durations
agreed = {}
for f in {c["fact"] for c in claims if c.get("fact")}:
    days = Counter((c["low"], c["high"]) for c in claims if c["fact"] == f and c["kind"] == "date" and c["low"] == c["high"])
    if days:
        agreed[f] = D(days.most_common(1)[0][0][0])
for c in claims:
    if "resolves_to" not in c:
        continue
    anchor = ANCHORS.get(c["cid"])
    if anchor is None or anchor not in agreed:
        fail(f"{c['cid']}: resolves_to without a known anchor")
        continue
    d = agreed[anchor] + dt.timedelta(days=c["low"])
    rt = c["resolves_to"]
    if (D(rt["low"]), D(rt["high"])) != (d, d):
        fail(f"{c['cid']}: resolves_to {rt} but {anchor} ({agreed[anchor]}) + {c['low']} d = {d}")
    n_dates["anchored duration"] += 1
for c in claims:
    if c.get("kind") == "duration" and c.get("fact") and c["fact"].startswith("date_") and "resolves_to" not in c:
        fail(f"{c['cid']}: a duration in a date fact needs resolves_to")


# ---------------------------------------------------------------- 6. fact logic
def interval(c):
    """Comparable closed interval (numbers; dates as ordinals). Exact non-date values get +/-1 %."""
    if c["kind"] == "date":
        return D(c["low"]).toordinal(), D(c["high"]).toordinal()
    if "resolves_to" in c and str(c.get("fact", "")).startswith("date_"):
        return D(c["resolves_to"]["low"]).toordinal(), D(c["resolves_to"]["high"]).toordinal()
    lo = -math.inf if c["low"] is None else float(c["low"])
    hi = math.inf if c["high"] is None else float(c["high"])
    if c["qualifier"] == "exact":
        lo, hi = lo - abs(lo) * EXACT_TOL, hi + abs(hi) * EXACT_TOL
    return lo, hi


def overlap(a, b):
    (al, ah), (bl, bh) = interval(a), interval(b)
    return max(al, bl) <= min(ah, bh)


def is_cum(c):
    return str(c.get("fact") or "").endswith("_cumulative")


def conflict(a, b):
    """True when the two claims of one fact disagree."""
    if is_cum(a):
        if a["as_of"] == b["as_of"]:
            return not overlap(a, b)
        e, l = (a, b) if D(a["as_of"]) < D(b["as_of"]) else (b, a)
        return interval(l)[1] < interval(e)[0]
    return not overlap(a, b)


facts = defaultdict(list)
for c in claims:
    if c.get("fact") and not c.get("boilerplate"):
        facts[c["fact"]].append(c)
for f, cs in facts.items():
    kinds = {("date" if (c["kind"] == "date" or "resolves_to" in c) else c["kind"]) for c in cs}
    if len(kinds) > 1:
        fail(f"fact {f} mixes kinds {kinds}")
    units = {c.get("unit") for c in cs if c["kind"] not in ("date",) and "resolves_to" not in c}
    if len(units) > 1:
        fail(f"fact {f} mixes units {units}")

# planted pairs
planted = set()
inc_ids = []
for inc in incs:
    iid = inc.get("id")
    inc_ids.append(iid)
    for k in ("id", "kind", "difficulty", "fact", "description", "claims"):
        if k not in inc:
            fail(f"{iid}: missing {k}")
    if inc.get("kind") not in INC_KINDS:
        fail(f"{iid}: kind {inc.get('kind')}")
    if inc.get("difficulty") not in ("easy", "medium", "hard"):
        fail(f"{iid}: difficulty {inc.get('difficulty')}")
    groups = defaultdict(list)
    for r in inc.get("claims", []):
        c = by_cid.get(r.get("cid"))
        if c is None or (c["article"], c["span"], c["occurrence"]) != (r.get("article"), r.get("span"), r.get("occurrence")):
            fail(f"{iid}: ref {r} does not match a claim")
            continue
        if c["boilerplate"]:
            fail(f"{iid}: uses boilerplate claim {c['cid']}")
        if c["fact"] != inc.get("fact"):
            fail(f"{iid}: claim {c['cid']} has fact {c['fact']}, entry has {inc.get('fact')}")
        if not re.fullmatch(r"[a-z]", str(r.get("group"))):
            fail(f"{iid}: bad group {r.get('group')}")
        groups[r["group"]].append(c)
    if len(groups) < 2 or "a" not in groups:
        fail(f"{iid}: needs group a and at least one other group")
    cross = [(x, y) for g1, g2 in combinations(sorted(groups), 2) for x in groups[g1] for y in groups[g2]]
    for x, y in cross:
        planted.add(frozenset((x["cid"], y["cid"])))
        if not conflict(x, y):
            fail(f"{iid}: {x['cid']} {x['span']!r} and {y['cid']} {y['span']!r} are in different groups but agree")
    kind = inc.get("kind")
    same_art = [(x, y) for x, y in cross if x["article"] == y["article"]]
    diff_src = [(x, y) for x, y in cross if art[x["article"]]["source"] != art[y["article"]]["source"]]
    if kind in ("within_article", "within_text_conversion") and not same_art:
        fail(f"{iid}: {kind} needs a cross-group pair inside one article")
    if kind == "within_text_conversion" and not any(frozenset((p["cid"], q["cid"])) in {frozenset((x["cid"], y["cid"]))
                                                                                      for x, y in same_art}
                                                    for p, q in conversions):
        fail(f"{iid}: no 'X (Y)' conversion among its same-article pairs")
    if kind in ("cross_source_value", "cross_source_date", "relative_date_conflict", "cumulative_decrease") and not diff_src:
        fail(f"{iid}: {kind} needs a cross-group pair from two outlets")
    if kind in ("cross_source_date", "relative_date_conflict", "impossible_order") and \
            any(x["kind"] != "date" and "resolves_to" not in x for g in groups.values() for x in g):
        fail(f"{iid}: {kind} must compare dates")
    if kind == "relative_date_conflict" and any(date_type.get(x["cid"]) not in ("weekday", "relative") for x in groups["a"]):
        fail(f"{iid}: group a of a relative_date_conflict must be a relative date")
    if kind == "cumulative_decrease":
        if not str(inc.get("fact")).endswith("_cumulative"):
            fail(f"{iid}: cumulative_decrease on a non-cumulative fact")
        for x in groups["a"]:
            for g, ys in groups.items():
                for y in ys if g != "a" else []:
                    if not (D(x["as_of"]) > D(y["as_of"]) and interval(x)[1] < interval(y)[0]):
                        fail(f"{iid}: {x['cid']} is not a later, lower figure than {y['cid']}")
    if kind == "impossible_order":
        o = inc.get("order") or {}
        pre, fol = o.get("must_precede") or {}, o.get("must_follow") or {}
        c = by_cid.get(pre.get("cid"))
        if c is None or c["span"] != pre.get("span") or c["occurrence"] != pre.get("occurrence"):
            fail(f"{iid}: order.must_precede does not match a claim")
        elif "publication_of" in fol:
            pa = art.get(fol["publication_of"])
            if pa is None or str(pa["published"]) != str(fol.get("published")):
                fail(f"{iid}: order.must_follow publication does not match the manifest")
            elif not D(c["low"]) > D(pa["published"]):
                fail(f"{iid}: {c['cid']} ({c['low']}) is not after the publication date {pa['published']}")
            elif c["cid"] not in {x["cid"] for x in groups["a"]}:
                fail(f"{iid}: the claim dated after publication must be in group a")
        else:
            fail(f"{iid}: order.must_follow needs publication_of (this corpus plants an event dated after publication)")
if inc_ids != [f"INC{i:02d}" for i in range(1, N_INCONSISTENCIES + 1)]:
    fail(f"inconsistency ids {inc_ids}, expected INC01..INC{N_INCONSISTENCIES:02d}")
missing_kinds = INC_KINDS - {i.get("kind") for i in incs}
if missing_kinds:
    fail(f"no planted inconsistency of kind {sorted(missing_kinds)}")

# every same-fact conflict is planted
n_conflicts = 0
for f, cs in facts.items():
    for x, y in combinations(cs, 2):
        if conflict(x, y):
            n_conflicts += 1
            if frozenset((x["cid"], y["cid"])) not in planted:
                fail(f"unplanned conflict in {f}: {x['cid']} {x['span']!r} [{x['low']}, {x['high']}] vs "
                     f"{y['cid']} {y['span']!r} [{y['low']}, {y['high']}]")

# in-text conversions agree unless planted
for p, c in conversions:
    if p["fact"] != c["fact"] or p["kind"] != c["kind"]:
        fail(f"conversion {p['cid']} ({c['cid']}) has different fact/kind")
    elif conflict(p, c) and frozenset((p["cid"], c["cid"])) not in planted:
        fail(f"conversion {p['cid']} -> {c['cid']} disagrees and is not planted")

# consistent pairs
cp_ids, n_cum_only = [], 0
for cp in cps:
    cp_ids.append(cp.get("id"))
    refs = cp.get("claims") or []
    cs = []
    for r in refs:
        c = by_cid.get(r.get("cid"))
        if c is None or (c["article"], c["span"], c["occurrence"]) != (r.get("article"), r.get("span"), r.get("occurrence")):
            fail(f"{cp.get('id')}: ref {r} does not match a claim")
            continue
        if c["boilerplate"] or c["fact"] != cp.get("fact"):
            fail(f"{cp.get('id')}: claim {c['cid']} is boilerplate or not of fact {cp.get('fact')}")
        cs.append(c)
    if len(cs) != 2:
        fail(f"{cp.get('id')}: needs exactly two claims")
        continue
    if not cp.get("why"):
        fail(f"{cp.get('id')}: no why")
    a, b = cs
    if conflict(a, b):
        fail(f"{cp.get('id')}: {a['cid']} {a['span']!r} and {b['cid']} {b['span']!r} disagree")
    elif not overlap(a, b):
        if is_cum(a) and a["as_of"] != b["as_of"]:
            n_cum_only += 1
        else:
            fail(f"{cp.get('id')}: intervals do not overlap")
    if frozenset((a["cid"], b["cid"])) in planted:
        fail(f"{cp.get('id')}: the pair is also planted as an inconsistency")
if cp_ids != [f"CP{i:02d}" for i in range(1, N_CONSISTENT + 1)]:
    fail(f"consistent pair ids {cp_ids}, expected CP01..CP{N_CONSISTENT:02d}")

# ---------------------------------------------------------------- report
kinds = Counter(c["kind"] for c in claims)
print(f"corpus: {HERE}")
print(f"articles: {len(texts)} ({', '.join(f'{k} {v}' for k, v in sorted(lang_count.items()))}), outlets {len(outlets)}, "
      f"wire datelines {len(wire)}, noisy pages {len(noisy)}, words {min(a.get('_words', 0) for a in manifest)}-"
      f"{max(a.get('_words', 0) for a in manifest)}")
print(f"claims: {len(claims)} ({', '.join(f'{k} {v}' for k, v in kinds.most_common())}); "
      f"boilerplate {sum(1 for c in claims if c.get('boilerplate'))}")
print(f"spans verified at offset and whole-word occurrence: {len(claims)}; numeric/date tokens scanned: {n_tokens} "
      f"(allow-listed {len(used_allow)})")
print(f"values re-derived from spans: {n_values} (in-text conversions {len(conversions)})")
print("dates re-derived from publication dates: " + ", ".join(f"{k} {v}" for k, v in sorted(n_dates.items())))
print(f"facts: {len(facts)}; conflicting same-fact pairs: {n_conflicts}, all planted: "
      f"{'yes' if not any(m.startswith('unplanned') for m in FAIL) else 'NO'}")
print(f"inconsistencies: {len(incs)} ({', '.join(f'{k} {v}' for k, v in Counter(i.get('kind') for i in incs).most_common())}); "
      f"cross-group pairs verified: {len(planted)}")
print(f"consistent pairs: {len(cps)} verified ({n_cum_only} of them agree only through the cumulative rule)")
if FAIL:
    print(f"\n{len(FAIL)} FAILURE(S):")
    for m in FAIL:
        print("  - " + m)
    sys.exit(1)
print("ALL CHECKS PASSED")
