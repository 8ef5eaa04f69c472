"""The default grouping on small stories of our own writing, none of whose words or places the shipped
vocabulary lists: a ferry fire off Heraklion, a mine collapse in Chile, a marathon in Valencia. Each row
is one story, loaded through the real loader and checked with the shipped default rules only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from datasette_palmyra.load import load_paths
from datasette_palmyra.ruleset import load_ruleset
from datasette_palmyra.run import run_check
from datasette_palmyra.store import open_db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "rules" / "default.yml"


def _check(tmp_path: Path, articles: list[tuple[str, str, str, str, str]]):
    """Articles (id, source, published, language, text) through load and the default rules."""
    folder = tmp_path / "arts"
    folder.mkdir()
    manifest = [{"path": f"{a}.txt", "id": a, "source": s, "published": p, "language": lang}
                for a, s, p, lang, _t in articles]
    for a, _s, _p, _lang, text in articles:
        (folder / f"{a}.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    load_paths(tmp_path / "c.db", [folder], manifest=folder / "manifest.yml", strict=True)
    return run_check(open_db(tmp_path / "c.db"), load_ruleset([DEFAULT]))


def _flagged(result, *texts: str) -> bool:
    """Whether a flag at warning or above names claims with all these texts."""
    return any(f.severity != "info" and set(texts) <= {c.text for c in f.claims} for f in result.flags)


CRETE = [
    ("aw", "Aegean Wire", "2023-05-02", "en",
     "Ferry fire off Heraklion\n\nThe ferry caught fire 12 km off Heraklion, Greece, on Monday. Its 57-year-old "
     "captain said the engine room burned first."),
    ("ns", "Nordsjøposten", "2023-05-03", "nb",
     "Brann på ferje ved Heraklion\n\nFergen tok fyr mandag, 12 kilometer fra Heraklion. Kapteinen er 57 år gammel."),
    ("hd", "Harbour Daily", "2023-05-04", "en",
     "Ferry towed to Heraklion\n\nThe ferry, whose 61-year-old captain was praised, burned 12 km off Heraklion."),
]

MINE = [
    ("cm", "Copper Monitor", "2024-02-06", "en",
     "Mine collapse in Chile\n\nThe 1960 earthquake killed 1,655 people in Chile. On Monday a tunnel "
     "collapsed at the mine in Chile, and 14 miners died."),
    ("aw", "Andes Wire", "2024-02-07", "en",
     "Chile mourns miners\n\nFourteen miners died when a tunnel collapsed in Chile on Monday."),
]

VALENCIA = [
    ("vr", "Valencia Runner", "2022-12-05", "en",
     "Marathon day\n\nAbout 27,000 runners took part in the marathon in Valencia, Spain on Sunday."),
    ("cr", "City Runner", "2022-12-05", "en",
     "Record in Valencia\n\nSome 27,500 runners finished the race in Valencia, Spain on Sunday."),
]


QUEUE = [
    ("pw", "Port Wire", "2021-03-24", "en",
     "Ships wait at Port Said\n\nAbout 100 ships were waiting at Port Said, Egypt on Wednesday."),
    ("sg", "Sea Gazette", "2021-03-26", "en",
     "Queue grows\n\nThe queue at Port Said, Egypt rose to 230 ships on Friday. READ MORE: Ten ships that "
     "changed trade\n"),
    ("hb", "Harbour Bulletin", "2021-03-28", "en",
     "Queue at Port Said\n\nThe queue at Port Said, Egypt has reached 369 ships."),
    ("tl", "Tide Log", "2021-03-29", "en",
     "Port Said\n\nThe queue at Port Said, Egypt fell to 150 ships, officials said."),
]

STRIKE = [
    ("rw", "Rail Wire", "2022-10-10", "en",
     "Protest ends in Lyon\n\nThe protest at the rail depot in Lyon, France ended on Sunday after six days."),
    ("tp", "Tog Posten", "2022-10-11", "nb",
     "Protesten i Lyon er over\n\nProtesten ved depotet i Lyon varte i sju dager."),
    ("ct", "City Times", "2022-10-12", "en",
     "Depot reopens in Lyon\n\nThe depot in Lyon, France reopened after a six-day protest."),
]

AIR = [
    ("mw", "Mine Wire", "2024-02-08", "en",
     "Air in Chile mine\n\nOxygen in the tunnel at the mine in Chile had fallen to 16 percent, against 21 "
     "percent at the surface."),
    ("ct", "Copper Times", "2024-02-09", "en",
     "Rescue in Chile\n\nOxygen in the tunnel at the mine in Chile was 16 percent on Friday."),
    ("sn", "Sur News", "2024-02-09", "en",
     "Chile mine\n\nOxygen in the mine tunnel in Chile stood at 11 percent."),
]

DEMAND = [
    ("bw", "Bay Wire", "2023-06-05", "en",
     "Talks at Rotterdam port\n\nThe dockers' union demanded €40 million from the port in Rotterdam, Netherlands."),
    ("hn", "Harbour News", "2023-06-06", "en",
     "Rotterdam talks stall\n\nThe union in Rotterdam, Netherlands demands €60 million, and the port offered "
     "€20 million."),
]

TUNNEL = [
    ("tw", "Tunnel Wire", "2024-09-02", "en",
     "Tunnel opens in Bergen\n\nThe 27-km tunnel under the fjord near Bergen, Norway opened on Monday. It is "
     "12 metres wide."),
    ("bt", "Vestlandsposten", "2024-09-02", "nb",
     "Tunnelen er åpnet\n\nTunnelen er 27 kilometer lang og går under fjorden ved Bergen."),
    ("rg", "Severny Vestnik", "2024-09-03", "ru",
     "В Норвегии открыли туннель\n\nТуннель длиной 21 км проходит под фьордом у Бергена."),
]

FERRY = [
    ("pr", "Port Report", "2021-06-08", "en",
     "Port blocked\n\nA ferry blocked the port of Piraeus, Greece on 7 June."),
    ("hn", "Havnytt", "2021-06-10", "nb",
     "Ferja er løs\n\nDa ferja endelig ble slept løs onsdag, hadde den blokkert havnen i Piraeus i to dager."),
]

MINE_SITE = [
    ("sm", "Spain Monitor", "2025-03-03", "en",
     "Miners trapped in Spain\n\nThe mine lies about 60 km north of Valencia, Spain. A convoy of ambulances "
     "waited 20 km north of Valencia."),
    ("lw", "Levante Wire", "2025-03-04", "en",
     "Rescue in Spain\n\nThe mine is about 80 km north of Valencia, officials in Spain said."),
    ("ip", "Iberia Post", "2025-03-04", "en",
     "Spain mine\n\nThe mine, some 62 kilometres north of Valencia, Spain, employs 300 people."),
]

CLIMBERS = [
    ("aw", "Alpine Wire", "2024-06-11", "en",
     "Climbers rescued near Zermatt\n\nThe first two climbers were rescued on Saturday near Zermatt, Switzerland, "
     "and two more yesterday."),
    ("vd", "Valais Daily", "2024-06-09", "en",
     "Rescue near Zermatt\n\nTwo climbers were rescued near Zermatt, Switzerland on Sunday, the first success of "
     "the operation."),
    ("mr", "Mountain Report", "2024-06-10", "en",
     "Zermatt rescue\n\nTwo climbers were rescued near Zermatt, Switzerland yesterday, the first of the group."),
]

TUGS = [
    ("qn", "Quay News", "2021-03-26", "en", "Queue at Port Said\n\nThe queue at Port Said, Egypt reached 237 ships on Friday."),
    ("tt", "Tug Times", "2021-03-29", "en", "Tugs at Port Said\n\nTwo tugs arrived at Port Said, Egypt on Sunday."),
]

BORDER = [
    ("bw", "Border Wire", "2024-11-04", "en", "Queue at Narva\n\nThe queue at Narva, Estonia rose to 400 trucks on Monday."),
    ("ep", "Eesti Post", "2024-11-06", "en", "Border reopens\n\nThe closure held up 250 trucks at Narva, Estonia in all."),
]


RESCUE = [
    ("lw", "Lake Wire", "2024-09-02", "en",
     "Boat sinks on Lake Geneva\n\nAt least 12 people died and 40 were rescued when the boat sank on Sunday."),
    ("rp", "Rive Post", "2024-09-03", "nb",
     "Båtulykke i Genfersjøen\n\nMinst 15 mennesker omkom, og 38 ble reddet, opplyser politiet."),
    ("gw", "Geneva Wire", "2024-09-04", "en",
     "Lake Geneva toll\n\nThe death toll rose to 16 on Tuesday, and 41 people were rescued in all."),
]

# the toll "two days later" is dated from the Monday before it (Wednesday): 650 then is below Tuesday's
# 700, a total that falls; read as Monday's it would have been in order
FLOOD = [
    ("rw", "River Wire", "2024-04-10", "en",
     "Floods in the valley\n\nThe death toll stood at 700 on Tuesday, officials said."),
    ("vp", "Valley Post", "2024-04-12", "en",
     "Valley floods\n\nThe death toll stood at 150 on Monday and had reached 650 two days later."),
]

# a figure in a relative clause (", which was carrying 300 containers,") is not the main clause's event:
# it is the cargo, as in the report that names no event
CARGO = [
    ("sw", "Strait Wire", "2024-03-04", "en",
     "Ship aground\n\nThe ship, which was carrying 300 containers, ran aground on Monday."),
    ("pl", "Port Ledger", "2024-03-05", "en", "Cargo ship\n\nThe ship had 360 containers on board, the owner said."),
    ("hb", "Harbour Bulletin", "2024-03-05", "en", "Stranded\n\nThe stranded ship, whose 22 crew are safe, had 300 "
     "containers on board."),
    # the antecedent's phrase stays with its relative clause: that year's toll is a fact of its own
    ("cw", "Coast Wire", "2024-03-05", "en", "Memories\n\nIt was the worst grounding since the 1998 storm, which "
     "killed more than 40 people, and 12 sailors died on Monday."),
    ("cn", "Coast News", "2024-03-06", "en", "Toll\n\nTwelve sailors died when the ship ran aground on Monday."),
]

# the people an operation deploys are a level that grows: Monday's 450 and Friday's 800 both stand, two
# reports of the same day must agree
CREWS = [
    ("mw", "Mountain Wire", "2024-08-05", "en", "Hill fire\n\nAbout 450 firefighters were fighting the blaze on Monday."),
    ("vn", "Valley News", "2024-08-05", "en", "Fire spreads\n\nSome 460 firefighters were fighting the blaze on Monday."),
    ("rt", "Ridge Times", "2024-08-09", "en", "Fire grows\n\nMore than 800 firefighters were fighting the blaze on Friday."),
    ("bp", "Basin Post", "2024-08-09", "en", "Fire grows\n\nAbout 300 firefighters were fighting the blaze on Friday."),
]

# times elapsed since one event, told on different days, lead back to one day; a length is a length
ELAPSED = [
    ("sw", "Shaft Wire", "2025-03-08", "en",
     "Six out\n\nSix miners were brought out today, four days after the roof collapsed."),
    ("ch", "Coal Herald", "2025-03-10", "en",
     "All out\n\nThe last miners were brought out on Monday, six days after the roof collapsed."),
    ("gp", "Gruveposten", "2025-03-12", "nb",
     "Alle ute\n\nDe siste gruvearbeiderne kom opp mandag, seks dager etter at taket raste."),
]

# one article's date among many relative dates of a story's own word ("the fire") is no day the others
# must agree with: each names another moment of the fire; a day two sources give is one
FIRE_DAYS = [
    ("rw", "Range Wire", "2024-08-13", "en", "Fire week\n\nThe fire broke out on 2 August after a lightning strike."),
    ("hn", "Hill News", "2024-08-06", "en", "Town evacuated\n\nThe fire swept into the town on Tuesday."),
    ("lp", "Lake Post", "2024-08-10", "en", "Firefighters hold lines\n\nThe fire kept growing on Friday."),
    ("bt", "Basin Times", "2024-08-17", "en", "Fire held\n\nThe fire was held on Saturday."),
]
FIRE_START = [
    ("rw", "Range Wire", "2024-08-13", "en", "Fire week\n\nThe fire broke out on 2 August after a lightning strike."),
    ("hn", "Hill News", "2024-08-06", "en", "Fire week\n\nThe fire broke out on 2 August, officials said."),
    ("lp", "Lake Post", "2024-08-05", "en", "Fire spreads\n\nThe fire broke out on Saturday, officials said."),
]

# "To av de 17 ... er funnet døde": the tally is the part's (two dead), the 17 is the group trapped;
# "the normal 21 percent" is a baseline, like "against 21 percent"
TRAPPED = [
    ("gp", "Gruveposten", "2025-03-06", "nb", "Gruveulykke\n\nTo av de 17 som ble sperret inne, er funnet døde."),
    ("sw", "Shaft Wire", "2025-03-08", "nb", "Tre omkom\n\nTre mennesker omkom i raset, opplyser politiet."),
    ("ch", "Coal Herald", "2025-03-08", "en", "Air\n\nOxygen in the tunnel held at about 17 percent, below the normal 21 "
     "percent."),
    ("kl", "Kullbladet", "2025-03-09", "nb", "Luft\n\nOksygennivået i sidegangen er 17 prosent, mot normalt 21 prosent."),
]

# a perfect ("has burned", "har brent") states a total so far: an area that grows is compared in as-of
# order, and one that falls is flagged
BURNED = [
    ("lc", "Lake Chronicle", "2024-08-08", "en", "Fire grows\n\nThe fire has burned 15,000 hectares, officials said."),
    ("lp", "Lake Post", "2024-08-08", "en", "Fire grows\n\nThe fire has burned about 15,000 hectares so far."),
    ("cw", "Coast Wire", "2024-08-12", "en", "Fire spreads\n\nThe fire has now burned 21,000 hectares."),
    ("vt", "Vidda Tidende", "2024-08-14", "nb", "Brannen\n\nBrannen har brent 12 000 hektar, opplyser myndighetene."),
]

# a level reported every day grows by steps that each stay within tolerance: the days do not chain into
# one moment, so Monday's 350 is never compared with Thursday's 500
ROTA = [
    ("d1", "Day One", "2025-03-03", "en", "Rescue\n\n350 rescuers are working at the mine."),
    ("d2", "Day Two", "2025-03-04", "en", "Rescue\n\n360 rescuers are working at the mine."),
    ("d3", "Day Three", "2025-03-05", "en", "Rescue\n\n420 rescuers are working at the mine."),
    ("d4", "Day Four", "2025-03-06", "en", "Rescue\n\n430 rescuers are working at the mine."),
    ("d5", "Day Five", "2025-03-07", "en", "Rescue\n\n500 rescuers are working at the mine."),
    ("d6", "Day Six", "2025-03-08", "en", "Rescue\n\n510 rescuers are working at the mine."),
]

# an age written beside a name is that person's, across articles and languages (the surname as a
# cognate): two people's ages are never compared, one person's must agree
NAMED = [
    ("cw", "Cliff Wire", "2024-08-07", "en", "First death\n\nThe first victim, Gordon Reimer, 68, died at his home."),
    ("ko", "Kveldsposten", "2024-08-10", "nb", "Brannmann omkom\n\nBrannmannen Marc Tremblay (54) omkom fredag. Gordon "
     "Reimer (68) omkom tirsdag."),
    ("vo", "Volzhsky Vestnik", "2024-08-13", "ru", "Три жертвы\n\nПервой жертвой стал 66-летний Гордон Реймер."),
]

# "the death toll from the fires rose to three": the fires are the cause, the tally says what is counted;
# and two people are not "within rounding" of three: a later "has killed two" is a toll that fell
TOLL_FELL = [
    ("cw", "Cliff Wire", "2024-08-12", "en", "Third death\n\nThe death toll from the fires rose to three on Monday."),
    ("ad", "Atlantic Daily", "2024-08-14", "en", "Residents return\n\nThe wildfire, which has killed two people, was "
     "still burning."),
]


# a death befalls people one by one (events.yml death: individual): a man's day and a firefighter's are
# two facts; two reports of the firefighter's death must agree on its day
VICTIMS = [
    ("aw", "Alpha Wire", "2024-08-07", "en", "First death\n\nA man died on Tuesday when the fire swept into the town."),
    ("kb", "Kveldsbladet", "2024-08-10", "nb", "Brannmann omkom\n\nEn frivillig brannmann omkom i går under slukkingen."),
    ("lc", "Lake Courier", "2024-08-12", "en", "Tributes\n\nThe volunteer firefighter died on Thursday, his family said."),
]

# the people under evacuation orders are a level that widens and lifts (events.yml evacuation: varies
# snapshot): Monday's 9,000 and the next Monday's 4,000 both stand; two reports of one day must agree
EVACUEES = [
    ("a1", "Alpha Wire", "2024-08-05", "en", "Orders\n\nAbout 9,000 residents were evacuated on Monday."),
    ("a2", "Beta News", "2024-08-05", "en", "Orders\n\nSome 6,000 residents were evacuated on Monday."),
    ("a3", "Gamma Post", "2024-08-12", "en", "Return\n\nAbout 4,000 residents remain evacuated, officials said."),
]

# the people held in place are a level too (events.yml blockage: varies snapshot): 17 trapped on Tuesday
# and 14 still trapped on Friday both stand, as bodies are found and men freed; one day's reports agree
HELD = [
    ("t1", "Tunnel Wire", "2025-03-04", "en", "Collapse\n\n17 miners were trapped on Tuesday."),
    ("t2", "Shaft News", "2025-03-04", "en", "Collapse\n\nSeventeen miners were trapped on Tuesday."),
    ("t3", "Pit Post", "2025-03-07", "en", "Rescue\n\n14 miners are still trapped, officials said."),
    ("t4", "Seam Times", "2025-03-07", "en", "Rescue\n\n10 miners are still trapped, the company said."),
]

# the weather is a level from day to day (properties.yml temperature: varies snapshot), compared by its
# rounding alone (a percentage of a temperature means nothing); "Da ble det målt" is as of the day the
# sentence before named, and bare "grader" is a temperature where the words around speak of heat

HEAT = [
    ("sw", "Sol Wire", "2023-07-12", "en", "Heat record\n\nOn Tuesday the temperature in Seville reached 44C. "
     "On Sunday it had been 31C."),
    ("nd", "Nordavisa", "2023-07-14", "nb", "Hetebølge i Spania\n\nSevilla hadde årets varmeste dag tirsdag. Da ble "
     "det målt 40 grader i byen."),
    ("rb", "Ruta Bulletin", "2023-07-13", "en", "Seville swelters\n\nIn Seville it was 44 degrees Celsius on Tuesday."),
]

# a distance between a thing at the scene (references.yml: camp, leir, лагерь) and one named place is one
# fact in every language: the clause's subject with the place at the far end, a noun before an
# apposition ("at the camp, about 40 kilometres from Mosul"), or a place before one and the thing after
# it ("in Mosul, some 90 km from the camp")
CAMP = [
    ("a1", "Relief Wire", "2024-10-02", "en", "Camp flooded\n\nThe camp lies about 40 km south of Mosul. Aid "
     "workers said the water rose overnight."),
    ("b1", "Bistandsnytt", "2024-10-03", "nb", "Leiren under vann\n\nLeiren ligger rundt 40 kilometer sør for Mosul."),
    ("c1", "Gumanitarny Vestnik", "2024-10-03", "ru", "Лагерь затопило\n\nЛагерь расположен примерно в 40 "
     "километрах к югу от Мосула."),
    ("d1", "Lake Post", "2024-10-04", "en", "Families wait\n\nFamilies waited in Mosul, some 90 km from the camp, "
     "for news."),
    ("e1", "Aid Daily", "2024-10-04", "en", "Help arrives\n\nAid workers are at the camp, about 40 kilometres from "
     "Mosul, with tents."),
]

# a depth is the scene's own level (properties.yml depth: "below the surface", "dyp", "на глубине"), one
# fact in every language whatever noun it stands beside
WRECK = [
    ("w1", "Sea Wire", "2023-06-20", "en", "Wreck found\n\nThe wreck lies 3,800 metres below the surface."),
    ("w2", "Havposten", "2023-06-21", "nb", "Vraket funnet\n\nVraket ligger på 3800 meters dyp."),
    ("w3", "Morskoy Vestnik", "2023-06-21", "ru", "Обломки найдены\n\nОбломки лежат на глубине 3800 метров."),
    ("w4", "Ocean Daily", "2023-06-22", "en", "Search ends\n\nThe sub was lost at a depth of 4,800 metres, the "
     "coast guard said."),
]

# a broad noun with no tally or event word beside it ("40,000 people", "500 people waited") says too little
# of what is counted to be compared: a town's population is not the crowd at its school; with an event
# word ("took part") it is a fact again
PEOPLE = [
    ("p1", "Fell Wire", "2024-05-06", "en", "Storm\n\nThe town has 40,000 people. Some 900 people took part in "
     "the clean-up."),
    ("p2", "Lakes Post", "2024-05-07", "en", "Storm\n\nAbout 500 people waited at the school. About 300 people "
     "took part in the clean-up."),
]

# a day and month whose year the clause's tense chose forward is meant after publication; a day with its
# year written after publication is an impossible order
FIREWORKS = [
    ("f1", "Paris Wire", "2026-07-13", "en", "Fireworks cut\n\nParis has scaled back its 14 July fireworks because "
     "fires broke out in dry parkland."),
    ("f2", "Seine Post", "2026-07-10", "en", "Evacuation\n\nThe evacuation order came on 14 July 2026, when fires "
     "broke out in dry parkland near Paris."),
]

# an age after a definite determiner refers back to the person named just before ("Tomasz Nowak ... The
# 47-year-old engineer", "Den 49 år gamle mannen"); "a 30-year-old passenger" is someone new
DRIVER = [
    ("d1", "Rail Wire", "2024-11-04", "en", "Crash\n\nThe driver, Tomasz Nowak, was pulled from the cab. The "
     "47-year-old engineer is in hospital. A 30-year-old passenger was also hurt."),
    ("d2", "Spor", "2024-11-05", "nb", "Togulykke\n\nLokføreren Tomasz Nowak ble fløyet til sykehus. Den 49 år "
     "gamle mannen er stabil."),
    ("d3", "Rail Post", "2024-11-05", "en", "Driver named\n\nTomasz Nowak, 47, had driven the route for years."),
]

# a date right after a reporting verb is the day of the report ("said on Monday that ... last week's
# derailment"), not of the event the report names; the events' own days are still compared
REPORTED = [
    ("r1", "Rail Wire", "2025-10-20", "en", "Axle blamed\n\nInvestigators said on Monday that a cracked axle caused "
     "last week's derailment."),
    ("r2", "Track News", "2025-10-16", "en", "Derailment\n\nThe train derailed on Tuesday night."),
    ("r3", "Rail Post", "2025-10-17", "en", "Derailment\n\nThe train derailed on Wednesday night."),
]

# a sum given in two currencies is not a conversion any rule can check (no exchange rate of the day);
# a length given in two units is
TWO_CURRENCIES = [
    ("c1", "Fund Wire", "2026-07-17", "en", "Aid pledged\n\nThe EU pledged €120 million (£104 million) in aid. The "
     "town lies 240 km (120 miles) from the capital."),
]

# a weight or a volume is of the substance named after its unit ("110 tonnes of styrene", "tonn bensin"):
# two substances' weights are two facts
SPILL = [
    ("s1", "Chem Wire", "2025-10-16", "en", "Spill\n\nAbout 110 tonnes of styrene escaped from the tankers. About 2 "
     "tonnes of dead fish were collected."),
    ("s2", "River Post", "2025-10-17", "en", "Spill\n\nInspectors said 80 tonnes of styrene leaked."),
    ("s3", "Elvposten", "2025-10-17", "nb", "Utslipp\n\nRundt 40 tonn bensin lekket ut fra tankene."),
]

# a duration after "within", "i løpet av", "за" is the period a figure was counted over, not how long an
# event lasted; two reports of the evacuation's length are compared
PERIOD = [
    ("p1", "Valley Vestnik", "2024-08-13", "ru", "Эвакуация\n\nЗа одиннадцать дней из своих домов были эвакуированы "
     "около 9 тысяч человек."),
    ("p2", "Lake Post", "2024-08-14", "en", "Return\n\nThe evacuation order had kept 3,500 people away for ten days."),
    ("p3", "Hill News", "2024-08-14", "en", "Return\n\nThe evacuation lasted twelve days, officials said."),
]


# a count written as a reference back ("the 53 destroyed homes", "de sju hyttene", "все 15 шахтёров") names
# a set its article counted before: it must agree with it; a reference with words the earlier figure's
# clause lacks ("the 18 destroyed homes" after "damaged 120 homes") may be a part of it
BACK_REFERENCE = [
    ("b1", "Valley Post", "2024-09-10", "en", "Floods\n\nThe flood destroyed 35 homes in Tarbes, France on Monday. "
     "Volunteers cleared mud all day. Insurers will assess the 53 destroyed homes."),
    ("b2", "Pau Daily", "2024-09-10", "en", "Storm\n\nThe storm damaged 120 houses in Tarbes, France on Monday. "
     "Insurers will visit the 18 destroyed houses first. The 120 houses are all insured."),
    ("b3", "Fjellposten", "2024-09-10", "nb", "Flom\n\nFlommen ødela ni hytter i Voss mandag. Eierne fikk beskjed "
     "tirsdag. De sju hyttene var forsikret."),
    ("b4", "Vestnik", "2024-09-10", "ru", "Авария\n\nСпасатели подняли на поверхность 14 шахтёров в Кемерове в "
     "понедельник. Врачи осмотрели их. Все 15 шахтёров доставлены в больницу."),
    ("b5", "Fund Wire", "2024-09-11", "en", "Damage\n\nOfficials in Tarbes, France put the damage at €85 million. The "
     "town asked Paris for more than the €5 million already sent, because the €58 million damage bill was beyond "
     "its means."),
]

# the number missing is a level, not a running total: it falls as the missing are found, and only
# figures as of one day must agree (a level of yesterday is not today's: as_of_window 0 days)
MISSING = [
    ("m1", "Sea Wire", "2024-03-10", "en", "Ferry sinks\n\nThe ferry sank off Andros, Greece on Friday. Officials "
     "said 47 people were still missing."),
    ("m2", "Harbour Post", "2024-03-12", "en", "Search goes on\n\nDivers searched the wreck off Andros, Greece. "
     "Officials said 30 people were still missing."),
    ("m3", "Kystposten", "2024-03-12", "nb", "Leting\n\nIfølge kystvakten er 52 personer fortsatt savnet etter "
     "forliset ved Andros i Hellas."),
    ("m4", "Island News", "2024-03-11", "en", "Search\n\nOfficials said 38 people were still missing off Andros, "
     "Greece."),
]

# a word right after another figure, or past it, is that figure's: "368 personer, 327 passasjerer og 41
# mannskaper" counts crew in its 41, "survivors at 289, with 67 still unaccounted for" survivors in its 289
ON_BOARD = [
    ("o1", "Kystposten", "2024-03-09", "nb", "Forlis\n\nOm bord på fergen ved Andros i Hellas var 368 personer, 327 "
     "passasjerer og 41 mannskaper."),
    ("o2", "Sea Wire", "2024-03-09", "en", "Ferry sinks\n\nThe coastguard put the number of survivors of the ferry "
     "off Andros, Greece at 289, with 67 still unaccounted for."),
    ("o3", "Harbour Post", "2024-03-09", "en", "Ferry sinks\n\nThe ferry off Andros, Greece carried 410 passengers."),
    ("o4", "Port Daily", "2024-03-09", "en", "Ferry sinks\n\nOff Andros, Greece, 289 people were rescued and 67 "
     "were missing."),
    ("o5", "Vestnik", "2024-03-12", "ru", "Крушение\n\nВо вторник вечером число погибших у Андроса в Греции достигло "
     "41, пропавшими без вести остаются 30 человек."),
    ("o6", "Sea Wire", "2024-03-12", "en", "Toll rises\n\nThe death toll off Andros, Greece rose to 41 on Tuesday."),
]

# a duration right before "after", "later", "etter" is the time between two moments ("two days after
# the sinking"), not how long an event lasted; "for five days after the blast" is how long it lasted
BETWEEN = [
    ("t1", "Sea Wire", "2024-03-10", "en", "Divers\n\nThe ferry sank in less than 30 minutes off Andros, Greece. Navy "
     "divers reached the wreck on Sunday, two days after the sinking."),
    ("t2", "Harbour Post", "2024-03-13", "en", "Search ends\n\nThe search off Andros, Greece was called off five days "
     "after the ferry sank."),
    ("t3", "Kystposten", "2024-03-13", "nb", "Leting\n\nLetingen ved Andros i Hellas ble avsluttet fire dager etter "
     "forliset."),
    ("t4", "Port Daily", "2024-03-13", "en", "Fire\n\nThe fire near Andros, Greece burned for four days after the "
     "blast."),
    ("t5", "Island News", "2024-03-13", "en", "Fire\n\nThe fire near Andros, Greece burned for six days, firefighters "
     "said."),
]

# "Then" opening a sentence with no date of its own is the time of the sentence before: a figure of it
# is of that year ("... sank off Paros in 2000. Then about 80 people died"), a fact of its own
THEN_YEAR = [
    ("y1", "Sea Wire", "2024-03-10", "en", "Ferry sinks\n\nAt least 19 people died when the ferry sank off Andros, "
     "Greece on Friday. It is the worst accident since a ferry sank off Paros in 2000. Then about 80 people died."),
    ("y2", "Kystposten", "2024-03-11", "nb", "Forlis\n\nMinst 24 personer omkom da fergen sank ved Andros i Hellas "
     "fredag. I 2000 sank en ferge ved Paros. Da omkom 180 mennesker."),
    ("y3", "Harbour Post", "2024-03-12", "en", "Toll rises\n\nThe death toll from the ferry that sank off Andros, Greece "
     "rose to 30 on Tuesday."),
]


# the people who have left their homes so far only grow in number, day by day and across languages;
# a later figure below an earlier one is flagged; "now" ("nå") dates a figure to its publication, whatever
# day another clause of its sentence names
DEPARTED = [
    ("d1", "Isle Wire", "2025-11-03", "en", "Eruption\n\nOfficials ordered about 1,200 residents of Milo, Italy to "
     "leave their homes on Monday."),
    ("d2", "Fjellposten", "2025-11-04", "nb", "Utbrudd\n\nOver 2000 mennesker har nå forlatt hjemmene sine i Milo i "
     "Italia, etter utbruddet i går."),
]
DEPARTED_FALL = DEPARTED[1:] + [
    ("d3", "Harbour Post", "2025-11-06", "en", "Eruption\n\nAbout 800 residents have left their homes in Milo, Italy, "
     "officials said."),
]


# a level is the level of its day: Monday's heat is not Tuesday's (as_of_window 0 days); two figures
# for one day must agree
LEVEL_BY_DAY = [
    ("l1", "Sun Wire", "2023-07-11", "en", "Heat\n\nSeville, Spain reached 44 degrees Celsius on Monday."),
    ("l2", "Sol Post", "2023-07-12", "en", "Heat\n\nSeville, Spain reached 46 degrees Celsius on Tuesday."),
    ("l3", "Varmen", "2023-07-12", "nb", "Hete\n\nI Sevilla i Spania var temperaturen 41 grader tirsdag."),
]


# "soon", "recently", "currently" say how a time stands to publication, not the day of an event: no
# date fact holds them against a day another report gives
DEICTIC = [
    ("s1", "Isle Wire", "2025-11-05", "en", "Airport\n\nThe airport in Catania, Italy will reopen soon, officials said."),
    ("s2", "Sky Post", "2025-11-05", "en", "Airport\n\nThe airport in Catania, Italy reopened on Tuesday."),
    ("s3", "Fly Daily", "2025-11-06", "en", "Airport\n\nThe airport in Catania, Italy reopened on Monday."),
]


@pytest.mark.parametrize("story, flagged, not_flagged", [
    # an age stated two ways in two languages: 57 and 57 agree, 61 disagrees
    (CRETE, [("57-year-old", "61-year-old")], [("57-year-old", "57 år gammel")]),
    # the toll of another year's earthquake is a fact of its own: not compared with the mine's 14
    (MINE, [], [("1,655", "14"), ("1,655", "Fourteen")]),
    # rounding: "about 27,000" and "some 27,500" agree
    (VALENCIA, [], [("About 27,000", "Some 27,500")]),
    # a queue that grows is compared in as-of order: rising figures agree; a teaser line is no figure
    (QUEUE, [("369", "150")], [("About 100", "230"), ("230", "369"), ("Ten", "230"), ("Ten", "About 100")]),
    # how long a strike lasted, in whole days: six and seven do not meet by rounding; six and six agree
    (STRIKE, [("sju dager",)], [("six-day", "six days")]),
    # the figure a report compares with ("against 21 percent at the surface") is not the fact's
    (AIR, [("11 percent",)], [("21 percent", "16 percent"), ("21 percent", "11 percent")]),
    # a sum no noun names is what its verb says: "demanded" and "demands" meet, "offered" does not
    (DEMAND, [("€40 million", "€60 million")], [("€40 million", "€20 million")]),
    # the size of one thing, in three languages whose nouns are cognates; its width is another fact
    (TUNNEL, [("21 км",)], [("27-km", "27 kilometer"), ("12 metres", "27-km"), ("12 metres", "27 kilometer")]),
    # a date ending a clause of its own ("Da ... ble slept løs onsdag, hadde den blokkert") is not the
    # date of the main clause's event
    (FERRY, [], [("7 June", "onsdag")]),
    # a distance to one named place is the distance of the clause's subject (the mine, not the convoy);
    # "about 60" and "about 80" are 54-66 and 72-88, with no tolerance added to words that say "about"
    (MINE_SITE, [("about 80 km",)], [("about 60 km", "some 62 kilometres"), ("20 km", "about 60 km"),
                                     ("20 km", "about 80 km")]),
    # relative dates only, each from its own publication date: "Saturday" (8 June) against "Sunday" and
    # "yesterday" (both 9 June), the stage named before the date or in an apposition after it
    (CLIMBERS, [("Saturday",)], [("Sunday", "yesterday")]),
    # "reached 237 on Friday" is the queue's rise, not an arrival dated Friday
    (TUGS, [], [("Friday", "Sunday")]),
    # a stated total ("250 trucks ... in all") is the running total, whatever event its clause names
    (BORDER, [("400", "250")], []),
    # "12 people died and 40 were rescued": the 40 is rescued, framed by the word after it, not by the
    # first clause's "died"; so no toll falls from 40 to 15 or 16
    (RESCUE, [], [("40", "Minst 15"), ("40", "16"), ("40", "38")]),
    (FLOOD, [("700", "650")], [("150", "700")]),
    (CARGO, [("300", "360")], [("22", "300"), ("more than 40", "12"), ("more than 40", "Twelve")]),
    (CREWS, [("More than 800", "About 300")], [("About 450", "More than 800"), ("Some 460", "More than 800")]),
    (ELAPSED, [], [("four days", "six days"), ("four days", "seks dager"), ("six days", "seks dager")]),
    (FIRE_DAYS, [], [("2 August", "Tuesday"), ("2 August", "Friday"), ("2 August", "Saturday")]),
    (FIRE_START, [("Saturday", "2 August")], []),
    (TRAPPED, [], [("17", "Tre"), ("21 percent", "17 prosent"), ("about 17 percent", "21 prosent")]),
    (BURNED, [("21,000 hectares", "12 000 hektar")], [("15,000 hectares", "21,000 hectares")]),
    (ROTA, [], [("350", "420"), ("360", "420"), ("350", "500"), ("430", "500")]),
    (NAMED, [("66-летний",)], [("68", "54"), ("54", "66-летний")]),
    (TOLL_FELL, [("three", "two")], []),
    (VICTIMS, [("i går", "Thursday")], [("Tuesday", "i går"), ("Tuesday", "Thursday")]),
    (EVACUEES, [("About 9,000", "Some 6,000")], [("About 9,000", "About 4,000"), ("Some 6,000", "About 4,000")]),
    (HELD, [("14", "10")], [("17", "14"), ("Seventeen", "14")]),
    (CAMP, [("some 90 km",)], [("about 40 km", "rundt 40 kilometer"), ("about 40 km", "40 километрах"),
                               ("about 40 km", "about 40 kilometres")]),
    (WRECK, [("4,800 metres",)], [("3,800 metres", "3800 meters"), ("3,800 metres", "3800 метров")]),
    (PEOPLE, [("Some 900", "About 300")], [("40,000", "About 500")]),
    (FIREWORKS, [("14 July 2026",)], [("14 July",)]),
    (DRIVER, [("49 år gamle",)], [("47-year-old", "47"), ("30-year-old", "47"), ("30-year-old", "49 år gamle")]),
    (REPORTED, [("Wednesday night",)], [("Monday", "Tuesday night"), ("Monday", "Wednesday night")]),
    (TWO_CURRENCIES, [("240 km", "120 miles")], [("€120 million", "£104 million")]),
    (SPILL, [("About 110 tonnes", "80 tonnes")], [("About 2 tonnes", "80 tonnes"), ("Rundt 40 tonn", "80 tonnes"),
                                                 ("Rundt 40 tonn", "About 110 tonnes")]),
    (PERIOD, [("ten days", "twelve days")], [("одиннадцать дней", "ten days"), ("одиннадцать дней", "twelve days")]),
    (HEAT, [("40 grader",)], [("44C", "31C"), ("44C", "44 degrees Celsius"), ("31C", "44 degrees Celsius")]),
    (BACK_REFERENCE, [("35", "53"), ("ni", "sju"), ("14", "15"), ("€85 million", "€58 million")],
     [("120", "18"), ("18", "120"), ("€5 million", "€85 million")]),
    (MISSING, [("30", "52")], [("47", "30"), ("47", "52"), ("38", "30"), ("38", "52")]),
    (ON_BOARD, [("327", "410")], [("368", "41"), ("327", "41"), ("289", "67"), ("41", "410"), ("30", "41")]),
    (BETWEEN, [("four days", "six days")], [("less than 30 minutes", "two days"), ("two days", "five days"),
                                            ("less than 30 minutes", "fire dager"),
                                            ("five days", "fire dager"), ("four days", "fire dager")]),
    (THEN_YEAR, [("about 80", "180")], [("about 80", "19"), ("180", "24"), ("about 80", "24"), ("180", "30"),
                                         ("about 80", "30")]),
    (DEPARTED, [], [("about 1,200", "Over 2000")]),
    (DEPARTED_FALL, [("Over 2000", "About 800")], []),
    (LEVEL_BY_DAY, [("46 degrees Celsius", "41 grader")], [("44 degrees Celsius", "46 degrees Celsius"),
                                                          ("44 degrees Celsius", "41 grader")]),
    (DEICTIC, [("Tuesday", "Monday")], [("soon", "Tuesday"), ("soon", "Monday")]),
], ids=["ages-across-languages", "another-year", "rounding", "a-figure-that-grows", "durations", "compared-with",
        "sum-by-its-verb", "sizes-across-languages", "a-clause-of-its-own", "distance-to-one-place",
        "relative-dates-only", "a-cue-is-no-event", "a-stated-total", "two-clauses-joined", "two-days-later",
        "a-relative-clause", "crews-grow", "time-since-an-event", "a-story-word-names-many-days",
        "a-day-two-sources-give", "the-whole-after-a-part",
        "a-total-so-far", "a-level-day-by-day", "a-person-by-name",
        "small-counts-are-exact",
        "each-victim-a-day", "evacuees-are-a-level",
        "the-trapped-are-a-level", "a-distance-of-the-scene", "a-depth-of-the-scene", "a-broad-noun-alone", "a-day-meant-ahead", "an-age-refers-back", "the-day-of-a-report", "two-currencies", "a-weight-of-a-substance", "a-period-counted-over", "the-weather-day-by-day",
        "a-reference-back", "the-missing-are-a-level", "another-figures-words", "the-time-between",
        "then-is-a-year", "those-who-left-only-grow",
        "those-who-left-do-not-fall", "a-level-is-its-days",
        "soon-is-no-day"])
def test_default_grouping_on_a_story_of_its_own(tmp_path, story, flagged, not_flagged):
    result = _check(tmp_path, story)
    for pair in flagged:
        assert _flagged(result, *pair), (pair, [f.message for f in result.flags])
    for pair in not_flagged:
        assert not _flagged(result, *pair), (pair, [f.message for f in result.flags])


@pytest.mark.parametrize("corpus", ["examples/ferry", "tests/corpus", "tests/corpus_toll"])
def test_each_reason_names_a_word_of_its_own_claims_sentence(tmp_path, corpus):
    """A claim's reason quotes the tally or counted word found in its own sentence, never one of another
    claim of the fact (once, reasons were paired with claims in another order)."""
    import re

    folder = ROOT / corpus
    load_paths(tmp_path / "c.db", [folder], manifest=folder / "manifest.yml", strict=True)
    result = run_check(open_db(tmp_path / "c.db"), load_ruleset([DEFAULT]))
    quoted = 0
    for fact in result.facts:
        for c in fact.claims:
            for word in re.findall(r"(?:tally|counted) word '([^']+)'", fact.reasons[c.id]):
                quoted += 1
                assert word.lower() in (c.sentence or "").lower(), (c.text, c.sentence, fact.reasons[c.id])
    assert quoted >= 5


def test_a_fact_says_in_words_why_its_claims_belong_together(tmp_path):
    result = _check(tmp_path, CRETE)
    age = next(f for f in result.facts if f.kind == "age")
    assert {c.text for c in age.claims} == {"57-year-old", "57 år gammel", "61-year-old"}
    nb = next(c for c in age.claims if c.text == "57 år gammel")
    why = age.reasons[nb.id]
    assert "Kapteinen" in why or "kaptein" in why, why  # the word found in its own sentence
    assert age.label.startswith("age of captain, "), age.label  # and the city, as English writes it


def test_claims_in_other_languages_join_by_a_specific_value(tmp_path):
    """Two nouns no lexicon lists, in two languages, joined because both state 1,313 at one place."""
    story = [
        ("a", "Wire A", "2024-03-01", "en", "Zorbs in Valencia\n\nExactly 1,313 zorbs rolled through Valencia, Spain."),
        ("b", "Avis B", "2024-03-01", "nb", "Zorber i Valencia\n\nNøyaktig 1313 zorbinger rullet gjennom Valencia i Spania."),
        ("c", "Wire C", "2024-03-02", "en", "Zorb day\n\nSome 2,400 zorbs rolled through Valencia, Spain."),
    ]
    result = _check(tmp_path, story)
    joined = [f for f in result.facts if f.kind == "count" and {c.text for c in f.claims} >= {"1,313", "1313"}]
    assert joined, [(f.id, [c.text for c in f.claims]) for f in result.facts]
    b = next(c for c in joined[0].claims if c.text == "1313")
    assert "joined across languages" in joined[0].reasons[b.id]


@pytest.mark.parametrize("order", [("new", "old"), ("old", "new")])
def test_the_same_sentence_a_year_later_names_another_time(tmp_path, order):
    """Wire copy reprinted: in 2016 "the 2016 flood" is the story's flood; in 2018 it is another
    year's, a fact of its own, whichever article is grouped first."""
    text = "Flood\n\nThe 2016 flood killed 400 people in Valencia, Spain."
    arts = {"old": ("old", "Wire A", "2016-11-02", "en", text), "new": ("new", "Wire B", "2018-11-02", "en", text)}
    result = _check(tmp_path, [arts[k] for k in order])
    fact_of = {c.article.id: f.id for f in result.facts for c in f.claims if c.kind == "count"}
    assert fact_of["old"] != fact_of["new"], fact_of
    assert "year:2016" in fact_of["new"] and "year:2016" not in fact_of["old"]
