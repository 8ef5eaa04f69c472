"""A synthetic news corpus for timing the extractor: English and Norwegian sentences from our own templates.

Why synthetic: the seeds are five articles, too few to time anything, and timing on real scraped text would
need a download. The templates mimic war reporting (counts of fighters, distances, dates in every form, ages,
percentages, money) and include sentences with no quantity at all, because most news sentences have none and
an extractor must be fast on those too. Same seed, same corpus.

    python bench/corpus.py --n 10000 --seed 7 > corpus.tsv     # language <TAB> template <TAB> sentence
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# -- slot fillers -----------------------------------------------------------------------------------------

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
EN_MONTHS_SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NB_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]
NB_WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
EN_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
            10: "ten", 12: "twelve", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty"}
NB_WORDS = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "sju", 8: "åtte", 9: "ni", 10: "ti",
            12: "tolv", 20: "tjue", 30: "tretti", 40: "førti", 50: "femti"}

PLACES = ["Palmyra", "Damascus", "Homs", "Deir ez-Zor", "Raqqa", "Aleppo", "Tadmur", "al-Qaryatayn", "Tiyas",
          "Sukhnah"]
EN_ACTORS = ["the Syrian army", "government forces", "Russian warplanes", "the coalition", "rebel groups",
             "Islamic State fighters", "the Defense Ministry", "local officials", "the observatory", "UNESCO"]
NB_ACTORS = ["den syriske hæren", "regjeringsstyrkene", "russiske fly", "koalisjonen", "opprørsgruppene",
             "IS-krigerne", "forsvarsdepartementet", "lokale myndigheter", "observatoriet", "UNESCO"]
EN_NOUNS = ["militants", "fighters", "civilians", "soldiers", "people", "refugees", "artefacts", "vehicles",
            "tanks", "air strikes", "families", "prisoners"]
NB_NOUNS = ["krigere", "sivile", "soldater", "mennesker", "flyktninger", "kjøretøy", "stridsvogner",
            "luftangrep", "familier", "fanger"]
EN_VERBS = ["killed", "captured", "evacuated", "wounded", "freed", "reported", "destroyed", "counted"]
NB_VERBS = ["drept", "tatt til fange", "evakuert", "såret", "befridd", "meldt", "ødelagt", "talt"]


# -- realistic news sentences, of our own writing ----------------------------------------------------------
# What the templates above do not write and news does (issue 13): quarters and halves, parts of years,
# "last June", weekends, centuries, coordinated months, durations and fractions with a qualifier, vague
# counts. Timed after the synthetic English sentences, whole process against the peers (bench/extract_bench.py).

NEWS_EN = [
    "Exports fell 4.2% in the third quarter of 2015, the ministry said on Tuesday.",
    "Growth picked up in the second half of 2016 after a weak first quarter.",
    "The fighters first reached the oasis in early 2014 and held it until late 2015.",
    "Last June, more than half of the town's 70,000 residents had already fled.",
    "The museum reopened over the weekend after more than a year of repairs.",
    "The temple had stood for almost two thousand years before it was blown up in August 2015.",
    "The colonnade dates from the 2nd century AD, when Palmyra grew rich on the caravan trade.",
    "By the end of the 19th century travellers were already describing the ruins as half buried.",
    "Talks in March and April 2016 produced a ceasefire that lasted barely six weeks.",
    "Between May and July about 3,000 families returned, according to local officials.",
    "Dozens of people were killed and hundreds more wounded in the shelling on Saturday night.",
    "Scores of ancient statues were smashed, and tens of thousands of artefacts remain missing.",
    "Nearly a third of the budget, some $1.2 billion, went to reconstruction last year.",
    "Prices have risen by almost 40 percent since the start of the war five years ago.",
    "The siege lasted more than 18 months, and the city was without power for most of it.",
    "Convoys of about 40 trucks now make the 240 km trip from Homs twice a week.",
    "Unemployment reached 12.5% in the fourth quarter, up from 9.8% a year earlier.",
    "The observatory said at least 2,000 fighters had been killed since mid-2015.",
    "Temperatures in the desert climbed above 45 degrees Celsius in late July.",
    "The agency expects to clear the mines within three to four months, by early next year.",
    "In the spring of 2017, a second offensive retook the citadel in less than a week.",
    "The reconstruction plan, announced on 4 April, will take at least a decade.",
    "Fewer than one in five schools in the province was open during the 2015-16 school year.",
    "A weekend of fighting left more than 100 people dead, the monitor reported on Monday.",
    "Only a handful of the 1,200 original columns are still standing, archaeologists say.",
    "Aid workers counted several hundred tents at the camp at the end of last month.",
    "Oil output fell to 25,000 barrels a day in the first half of the year, a tenth of its pre-war level.",
    "The offensive began on the first weekend of March and ended in mid-April.",
    "Half a million people have passed through the border crossing since January.",
    "About two-thirds of the 300 monuments surveyed in 2016 were damaged, a quarter of them badly.",
    "The airport, 10 km east of the city, had been closed for almost three years.",
    "The talks will resume in the first week of September, or later in the autumn.",
    "Thousands of refugees crossed into Turkey within 48 hours of the strikes.",
    "The tomb, built in the 1st century BC, was one of the best preserved in the valley.",
    "Wheat harvests in 2016 were the lowest in 27 years, at 1.5 million tonnes.",
    "The ceasefire that began at midnight on Friday held for most of the weekend.",
    "Its population has shrunk by more than half, from 70,000 before the war to about 30,000.",
    "Some 20 years ago the site drew 150,000 visitors a year, most of them in spring and autumn.",
    "Two weeks later, on 27 March, the army announced it had retaken the town.",
    "The first phase, costing an estimated $15 million, should be finished by the end of 2018.",
]


def en_number(r: random.Random, lo: int = 2, hi: int = 50000) -> str:
    """A count as news writes it: digits with commas, a word, or digits with a scale word."""
    style = r.random()
    if style < 0.15:
        return EN_WORDS[r.choice(list(EN_WORDS))]
    if style < 0.25:
        return f"{r.choice([1.2, 1.5, 2, 2.5, 3.7, 4, 12])} {r.choice(['million', 'thousand', 'billion'])}"
    if style < 0.32:
        return f"{r.choice(['two', 'three', 'several', 'five'])} {r.choice(['hundred', 'thousand'])}"
    n = r.randint(lo, hi)
    return f"{n:,}" if n >= 1000 and r.random() < 0.8 else str(n)


def nb_number(r: random.Random, lo: int = 2, hi: int = 50000) -> str:
    """Norwegian digits group with a (no-break) space and use a decimal comma."""
    style = r.random()
    if style < 0.15:
        return NB_WORDS[r.choice(list(NB_WORDS))]
    if style < 0.25:
        return f"{str(r.choice([1.2, 1.5, 2, 2.5, 3.7, 4, 12])).replace('.', ',')} {r.choice(['millioner', 'milliarder'])}"
    n = r.randint(lo, hi)
    if n >= 1000 and r.random() < 0.8:
        return f"{n:,}".replace(",", r.choice([" ", "\u00a0"]))
    return str(n)


def en_qualifier(r: random.Random) -> str:
    return r.choice(["", "", "", "more than ", "about ", "nearly ", "at least ", "up to ", "some ", "around ",
                     "fewer than ", "almost ", "over ", "an estimated "])


def nb_qualifier(r: random.Random) -> str:
    return r.choice(["", "", "", "mer enn ", "rundt ", "nesten ", "minst ", "opptil ", "omkring ", "over ",
                     "færre enn ", "anslagsvis "])


def en_range(r: random.Random) -> str:
    a = r.randint(2, 400)
    b = a + r.randint(1, 300)
    return r.choice([f"between {a} and {b}", f"{a}-{b}", f"{a} to {b}", f"from {a} to {b}", f"{a} or {b}"])


def nb_range(r: random.Random) -> str:
    a = r.randint(2, 400)
    b = a + r.randint(1, 300)
    return r.choice([f"mellom {a} og {b}", f"{a}–{b}", f"{a} til {b}", f"fra {a} til {b}"])


def en_date(r: random.Random) -> str:
    """Absolute, partial and relative dates, in the proportions a news archive shows them."""
    m, d, y = r.randrange(12), r.randint(1, 28), r.randint(2013, 2018)
    return r.choice([
        f"on {EN_MONTHS[m]} {d}, {y}", f"on {d} {EN_MONTHS[m]} {y}", f"on {EN_MONTHS_SHORT[m]} {d}",
        f"on {d} {EN_MONTHS[m]}", f"in {EN_MONTHS[m]} {y}", f"in {EN_MONTHS[m]}", f"in {y}",
        f"on {EN_WEEKDAYS[r.randrange(7)]}", f"last {EN_WEEKDAYS[r.randrange(7)]}", "yesterday", "today",
        "last week", "earlier this month", f"in {EN_MONTHS[m]} last year", "last year",
        f"{EN_WORDS[r.choice([2, 3, 4, 5])]} days ago", f"{r.randint(2, 9)} weeks ago",
        f"on {EN_WEEKDAYS[r.randrange(7)]} evening", f"since {EN_MONTHS[m]} {y}", f"on {y}-{m + 1:02d}-{d:02d}",
    ])


def nb_date(r: random.Random) -> str:
    m, d, y = r.randrange(12), r.randint(1, 28), r.randint(2013, 2018)
    return r.choice([
        f"{d}. {NB_MONTHS[m]} {y}", f"den {d}. {NB_MONTHS[m]}", f"i {NB_MONTHS[m]} {y}", f"i {NB_MONTHS[m]}",
        f"i {y}", f"på {NB_WEEKDAYS[r.randrange(7)]}", f"{NB_WEEKDAYS[r.randrange(7)]} kveld", "i går", "i dag",
        "forrige uke", "i fjor", f"i {NB_MONTHS[m]} i fjor", f"for {NB_WORDS[r.choice([2, 3, 4])]} dager siden",
        f"siden {NB_MONTHS[m]} {y}", "tidligere denne måneden",
    ])


def en_distance(r: random.Random) -> str:
    n = r.choice([r.randint(2, 400), r.randint(2, 40) * 10])
    unit = r.choice(["km", "kilometers", "kilometres", "miles", "km"])
    s = f"{n} {unit}"
    if r.random() < 0.25:
        other = round(n * 0.621) if unit != "miles" else round(n * 1.609)
        s += f" ({other} {'miles' if unit != 'miles' else 'km'})"
    return s


def nb_distance(r: random.Random) -> str:
    n = r.randint(2, 400)
    return r.choice([f"{n} kilometer", f"{n} km", f"{r.randint(2, 30)} mil", f"{n} meter"])


def en_money(r: random.Random) -> str:
    return r.choice([f"${r.choice([1.5, 2, 3.4, 12, 250])} million", f"€{r.randint(5, 900)}",
                     f"{r.randint(5, 900)} million dollars", f"£{r.randint(2, 90)},000",
                     f"{r.randint(2, 50)} billion rubles"])


def nb_money(r: random.Random) -> str:
    return r.choice([f"{r.randint(2, 900)} millioner kroner", f"{r.randint(2, 90)} 000 kroner",
                     f"{r.randint(2, 50)} milliarder kroner", f"{r.randint(5, 900)} dollar"])


def en_percent(r: random.Random) -> str:
    return r.choice([f"{r.randint(1, 99)}%", f"{r.randint(1, 99)} percent", f"{r.randint(1, 99)}.{r.randint(1, 9)} per cent"])


def nb_percent(r: random.Random) -> str:
    return r.choice([f"{r.randint(1, 99)} prosent", f"{r.randint(1, 99)},{r.randint(1, 9)} prosent",
                     f"{r.randint(1, 99)} %"])


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


# -- templates --------------------------------------------------------------------------------------------

Slots = dict[str, Callable[[random.Random], str]]


def _en_slots() -> Slots:
    return {
        "actor": lambda r: r.choice(EN_ACTORS), "Actor": lambda r: _cap(r.choice(EN_ACTORS)),
        "place": lambda r: r.choice(PLACES), "noun": lambda r: r.choice(EN_NOUNS),
        "verb": lambda r: r.choice(EN_VERBS), "num": en_number, "q": en_qualifier, "range": en_range,
        "date": en_date, "dist": en_distance, "money": en_money, "pct": en_percent,
        "age": lambda r: str(r.randint(3, 95)), "wd": lambda r: r.choice(EN_WEEKDAYS),
        "temp": lambda r: str(r.randint(-15, 48)), "year": lambda r: str(r.randint(1990, 2018)),
        "small": lambda r: EN_WORDS[r.choice([2, 3, 4, 5, 6, 7])],
        "res": lambda r: str(r.randint(1000, 2400)),
    }


def _nb_slots() -> Slots:
    return {
        "actor": lambda r: r.choice(NB_ACTORS), "Actor": lambda r: _cap(r.choice(NB_ACTORS)),
        "place": lambda r: r.choice(PLACES), "noun": lambda r: r.choice(NB_NOUNS),
        "verb": lambda r: r.choice(NB_VERBS), "num": nb_number, "q": nb_qualifier, "range": nb_range,
        "date": nb_date, "dist": nb_distance, "money": nb_money, "pct": nb_percent,
        "age": lambda r: str(r.randint(3, 95)), "temp": lambda r: str(r.randint(-15, 48)),
        "year": lambda r: str(r.randint(1990, 2018)), "small": lambda r: NB_WORDS[r.choice([2, 3, 4, 5, 6, 7])],
    }


# (template name, weight, text). Weights follow rough frequencies in war reporting: most sentences carry
# no figure or one count; distances, ages and money are rarer.
EN_TEMPLATES: list[tuple[str, int, str]] = [
    ("count", 10, "{Actor} said {q}{num} {noun} were {verb} near {place} {date}."),
    ("count", 6, "{q}{num} {noun} have been {verb} since the offensive began, {actor} said."),
    ("count_range", 4, "{Actor} said {range} {noun} were {verb} in {place}."),
    ("range", 3, "The convoy of {range} vehicles left {place} {date}."),
    ("distance", 6, "The fighting is {q}{dist} from {place}, {actor} told reporters {date}."),
    ("distance", 3, "{Actor} advanced {dist} towards {place} in {small} days."),
    ("date_abs", 6, "{Actor} entered {place} {date}, {actor} confirmed."),
    ("date_rel", 4, "{date} {actor} said the road to {place} was open again."),
    ("age", 3, "A {age}-year-old man was among the {noun} {verb} in {place}."),
    ("age", 2, "The archaeologist, aged {age}, had looked after the ruins of {place} for {small} decades."),
    ("age", 1, "{Actor} said the {age} years old guard was {verb} {date}."),
    ("percent", 4, "{q}{pct} of the city was under the control of {actor}, the observatory said {date}."),
    ("percent", 2, "Turnout rose to {pct}, up from {pct} a year earlier."),
    ("money", 3, "Restoring the temple of Bel will cost {q}{money}, {actor} estimated."),
    ("duration", 3, "The siege of {place} lasted {q}{small} months and ended {date}."),
    ("temperature", 1, "Temperatures in the desert near {place} reached {temp}°C {date}."),
    ("identifier", 2, "UN Security Council Resolution {res} was cited by {actor} {date}."),
    ("year_mention", 2, "The monuments, listed by UNESCO in {year}, were damaged again."),
    ("multi", 3, "{Actor} said {num} {noun} and {num} {noun} were {verb} {date}, {q}{dist} from {place}."),
    ("none", 14, "{Actor} accused {actor} of violating the ceasefire around {place}."),
    ("none", 8, "The ancient city of {place} remains a symbol of the war, {actor} said."),
    ("none", 6, "Residents of {place} described heavy shelling through the night."),
    ("none", 4, "It is not just a symbolic victory, the spokesman for {actor} said."),
]

NB_TEMPLATES: list[tuple[str, int, str]] = [
    ("count", 10, "{Actor} opplyser at {q}{num} {noun} ble {verb} ved {place} {date}."),
    ("count", 6, "{q}{num} {noun} er {verb} siden offensiven startet, ifølge {actor}."),
    ("count_range", 4, "{Actor} melder at {range} {noun} ble {verb} i {place}."),
    ("distance", 6, "Kampene foregår {q}{dist} fra {place}, sier {actor}."),
    ("date_abs", 6, "{Actor} rykket inn i {place} {date}."),
    ("date_rel", 4, "{Actor} tok kontroll over {place} {date}, melder NRK."),
    ("age", 3, "En {age} år gammel mann er blant de {verb}e i {place}."),
    ("percent", 4, "{q}{pct} av byen var kontrollert av {actor} {date}."),
    ("money", 3, "Gjenoppbyggingen av {place} kan koste {q}{money}, anslår {actor}."),
    ("duration", 3, "Beleiringen av {place} varte i {q}{small} måneder."),
    ("temperature", 1, "Temperaturen ved {place} steg til {temp} grader {date}."),
    ("multi", 3, "{Actor} sier at {num} {noun} og {num} {noun} ble {verb} {date}."),
    ("none", 14, "{Actor} anklager {actor} for å bryte våpenhvilen rundt {place}."),
    ("none", 8, "Ruinbyen {place} er blitt et symbol på krigen, sier {actor}."),
    ("none", 6, "Innbyggere i {place} forteller om kraftig beskytning gjennom natten."),
]


@dataclass(frozen=True)
class Sentence:
    language: str
    template: str
    text: str


def _fill(template: str, slots: Slots, r: random.Random) -> str:
    out = []
    i = 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(template[i:])
            break
        k = template.index("}", j)
        out.append(template[i:j])
        out.append(slots[template[j + 1:k]](r))
        i = k + 1
    return _cap("".join(out))


def generate(n: int = 10_000, seed: int = 7, english_share: float = 0.6) -> list[Sentence]:
    """n sentences, English first then Norwegian; the same (n, seed) always gives the same list."""
    r = random.Random(seed)
    n_en = round(n * english_share)
    out: list[Sentence] = []
    for lang, count, templates, slots in (("en", n_en, EN_TEMPLATES, _en_slots()),
                                          ("nb", n - n_en, NB_TEMPLATES, _nb_slots())):
        weights = [w for _, w, _ in templates]
        for _ in range(count):
            name, _, template = r.choices(templates, weights)[0]
            out.append(Sentence(lang, name, _fill(template, slots, r)))
    return out


def iter_tsv(sentences: list[Sentence]) -> Iterator[str]:
    for s in sentences:
        yield f"{s.language}\t{s.template}\t{s.text}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    for line in iter_tsv(generate(args.n, args.seed)):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
