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
    ("nb", "To personer døde i brannen.", "To", "count", "exact", 2, 2),
    ("nb", "Ni tankvogner sporet av.", "Ni", "count", "exact", 9, 9),
    # qualifiers
    ("en", "About 300 militants were killed.", "About 300", "count", "approx", 270, 330),
    ("en", "Around 40 tanks took part.", "Around 40", "count", "approx", 36, 44),
    ("en", "At least 11 tanks were destroyed.", "At least 11", "count", "at_least", 11, INF),
    ("en", "Nearly 100 vehicles were hit.", "Nearly 100", "count", "nearly", 90, 100),
    ("en", "Almost 80% of residents left.", "Almost 80%", "percent", "nearly", 72, 80),
    ("en", "Up to 200 fighters remain.", "Up to 200", "count", "up_to", INF, 200),
    ("en", "Some 60 aircraft flew sorties.", "Some 60", "count", "approx", 54, 66),
    ("en", "It was about -40 degrees Celsius outside.", "about -40 degrees Celsius", "temperature", "approx", 229.15, 237.15),
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
    ("ru", "Колонна прошла 20 км за день.", "20 км", "length", "exact", 20_000, 20_000),
    ("ru", "Город находится в 150 милях от границы.", "150 милях", "length", "exact", 150 * MILE, 150 * MILE),
    ("ru", "Ущерб составил 5 млн рублей.", "5 млн рублей", "money", "exact", 5_000_000, 5_000_000),
    ("ru", "Погибли двести сорок человек.", "двести сорок", "count", "exact", 240, 240),
    ("ru", "Не менее 2 тыс. человек бежали.", "Не менее 2 тыс.", "count", "at_least", 2000, INF),
    # units glued to digits, symbols whose case matters, powers, "per" compounds
    ("en", "He weighs 200lbs now.", "200lbs", "mass", "exact", 200 * 0.45359237, 200 * 0.45359237),
    ("en", "Add 75ml of water.", "75ml", "volume", "exact", 75e-6, 75e-6),
    ("en", "The dose was 50 mg daily.", "50 mg", "mass", "exact", 50e-6, 50e-6),
    ("en", "The panel made 50 Wh today.", "50 Wh", "energy", "exact", 180_000, 180_000),
    ("en", "A bandgap of 1.7 eV here.", "1.7 eV", "energy", "exact", 1.7 * 1.602176634e-19, 1.7 * 1.602176634e-19),
    ("en", "The lake holds 4 cubic kilometers of water.", "4 cubic kilometers", "volume", "exact", 4e9, 4e9),
    ("en", "The camp covers 4 km squared now.", "4 km squared", "area", "exact", 4e6, 4e6),
    ("en", "A 660 square meters plot.", "660 square meters", "area", "exact", 660, 660),
    ("en", "It can run at 188 miles an hour.", "188 miles an hour", "speed", "exact", 188 * MILE / 3600, 188 * MILE / 3600),
    ("en", "A pen that is 8\" long.", "8\"", "length", "exact", 8 * 0.0254, 8 * 0.0254),
    ("en", "Get together for 2 in April.", "2", "count", "exact", 2, 2),  # "in" before a month is no inch
    ("en", 'The class is "English 101" here.', "101", "count", "exact", 101, 101),  # the mark closes a quote
    ("en", "He is 5 ft 2 in tall.", "5 ft 2 in", "length", "exact", 62 * 0.0254, 62 * 0.0254),
    ("en", "They were given 44 mg to 50 mg of it.", "44 mg to 50 mg", "mass", "range", 44e-6, 50e-6),
    ("en", "Buy a twenty-pound bag of rice.", "twenty-pound", "mass", "exact", 20 * 0.45359237, 20 * 0.45359237),
    # fractions, compound number words, scientific notation, scale letters, space-grouped digits
    ("en", "The door is 2 1/2 in thick.", "2 1/2 in", "length", "exact", 2.5 * 0.0254, 2.5 * 0.0254),
    ("en", "A 1/4 mile paved oval.", "1/4 mile", "length", "exact", MILE / 4, MILE / 4),
    ("en", "I'd like two thirds of the cake.", "two thirds", "percent", "exact", 200 / 3, 200 / 3),  # a share
    ("en", "It lasted a quarter hour.", "a quarter hour", "duration", "exact", 900, 900),
    ("en", "Walk two and a half miles east.", "two and a half miles", "length", "exact", 2.5 * MILE, 2.5 * MILE),
    ("en", "I told him one hundred and two.", "one hundred and two", "count", "exact", 102, 102),
    ("en", "Three million, two hundred & forty, you say?", "Three million, two hundred & forty", "count", "exact",
     3_000_240, 3_000_240),
    ("en", "Between one hundred and two hundred people came.", "Between one hundred and two hundred", "count",
     "range", 100, 200),
    ("en", "A factor of 2.48×10−5 was found.", "2.48×10−5", "count", "exact", 2.48e-5, 2.48e-5),
    ("en", "I have €10M in savings.", "€10M", "money", "exact", 10_000_000, 10_000_000),
    ("en", "Its GDP is $2.174T now.", "$2.174T", "money", "exact", 2.174e12, 2.174e12),
    ("en", "I would walk 0.5k miles.", "0.5k miles", "length", "exact", 500 * MILE, 500 * MILE),
    ("en", "It was valued 10 000 dollars.", "10 000 dollars", "money", "exact", 10_000, 10_000),
    ("en", "It only cost 3 dollars 50 cents.", "3 dollars 50 cents", "money", "exact", 3.5, 3.5),
    # ages in other units than years: a fraction of a year
    ("en", "The baby was only ten months old.", "ten months old", "age", "exact", 10 / 12, 10 / 12),
    ("en", "At 6 weeks of age, pups open their eyes.", "6 weeks of age", "age", "exact", 42 / 365.25, 42 / 365.25),
    ("en", "After ninety five years of age, views change.", "ninety five years of age", "age", "exact", 95, 95),
    ("en", "A 90 day old bill is late.", "90 day old", "age", "exact", 90 / 365.25, 90 / 365.25),
    # temperatures: scales written in many ways, bare degrees with a temperature word, a spaced minus
    ("en", "It is 6 deg c outside.", "6 deg c", "temperature", "exact", 279.15, 279.15),
    ("en", "A fever of 100.2 degrees farenheit is low.", "100.2 degrees farenheit", "temperature", "exact",
     (100.2 - 32) * 5 / 9 + 273.15, (100.2 - 32) * 5 / 9 + 273.15),
    ("en", "The temperature outside is 30 degrees.", "30 degrees", "temperature", "exact", 303.15, 303.15),
    ("en", "Its 30 C outside!", "30 C", "temperature", "exact", 303.15, 303.15),
    ("en", "The weather is cold: -10C tonight.", "-10C", "temperature", "exact", 263.15, 263.15),
    ("en", "Convert - 20 degrees fahrenheit to celsius.", "- 20 degrees fahrenheit", "temperature", "exact",
     (-20 - 32) * 5 / 9 + 273.15, (-20 - 32) * 5 / 9 + 273.15),
    ("en", "The ramp turns 30 degrees to the left.", "30 degrees", "dimensionless", "exact", 0.5235987755982988,
     0.5235987755982988),
    # Russian collective numerals ("двое суток", "трое спасателей")
    ("ru", "Пожар продолжался почти двое суток.", "почти двое суток", "duration", "nearly", 155520, 172800),
    ("ru", "Трое спасателей погибли.", "Трое", "count", "exact", 3, 3),
    # a cue word with any ending (a stem in the language file: "temperatur*", "температур*"), weather words
    ("en", "The heatwave pushed it to 40 degrees by noon.", "40 degrees", "temperature", "exact", 313.15, 313.15),
    ("nb", "Meteorologene venter temperaturer på 35 grader.", "35 grader", "temperature", "exact", 308.15, 308.15),
    ("nb", "Rampen svinger 30 grader til venstre.", "30 grader", "dimensionless", "exact", 0.5235987755982988,
     0.5235987755982988),
    ("ru", "Из-за жары столбик поднялся до 35 градусов.", "до 35 градусов", "temperature", "up_to", None, 308.15),
    ("ru", "Температура воздуха достигла 41 градуса по Цельсию.", "41 градуса по Цельсию", "temperature", "exact",
     314.15, 314.15),
    ("ru", "Корабль повернул на 90 градусов.", "90 градусов", "dimensionless", "exact", 1.5707963267948966,
     1.5707963267948966),
    # currencies: a space after the sign, prefixed dollars, codes before, sub-units, names
    ("en", "Shares tumbled $ 2.75 on Friday.", "$ 2.75", "money", "exact", 2.75, 2.75),
    ("en", "Worth £ 8.10 million in 2014.", "£ 8.10 million", "money", "exact", 8_100_000, 8_100_000),
    ("en", "It would be about c $ 1.34 a share.", "about c $ 1.34", "money", "approx", 1.34 * 0.9, 1.34 * 1.1),
    ("en", "Exports fell to hk $ 10.05 billion.", "hk $ 10.05 billion", "money", "exact", 10.05e9, 10.05e9),
    ("en", "Pay 50 cents more per barrel.", "50 cents", "money", "exact", 0.5, 0.5),
    ("en", "Buy it for USD 200 today.", "USD 200", "money", "exact", 200, 200),
    ("en", "It costs 40 rmb here.", "40 rmb", "money", "exact", 40, 40),
    ("en", "Profit improved to 361 million pounds this year.", "361 million pounds", "money", "exact", 361e6, 361e6),
    ("nb", "Det kostet 50 øre.", "50 øre", "money", "exact", 0.5, 0.5),
    ("nb", "Det var 25 °C i går.", "25 °C", "temperature", "exact", 298.15, 298.15),
    ("nb", "Hunden er 8 uker gammel.", "8 uker gammel", "age", "exact", 56 / 365.25, 56 / 365.25),
    ("nb", "Hun løp to og en halv kilometer.", "to og en halv kilometer", "length", "exact", 2500, 2500),
    ("nb", "Rommet er 20 kvadratmeter stort.", "20 kvadratmeter", "area", "exact", 20, 20),
    # a number before "of the"/"of them" is a count; only weak words ("one of the soldiers") are not
    ("en", "More than 200 of the militants were killed.", "More than 200", "count", "more_than", 200, INF),
    ("en", "IS fighters, 3,000 of them, attacked.", "3,000", "count", "exact", 3000, 3000),
    ("nb", "Over 200 av dem ble drept.", "Over 200", "count", "more_than", 200, INF),
    # nb: neuter "gammelt" is an age too
    ("nb", "Tempelet er 2000 år gammelt.", "2000 år gammelt", "age", "exact", 2000, 2000),
    # a multi-word unit joined by hyphens before its noun
    ("en", "It faces a 3,500-nautical-mile detour.", "3,500-nautical-mile", "length", "exact", 6_482_000, 6_482_000),
    # a four-digit count without a determiner stays a count
    ("nb", "Minst 2000 sivile ble evakuert.", "Minst 2000", "count", "at_least", 2000, INF),
    # issue 13: a duration word with an article, or alone after a qualifier (Russian), stands for one of it
    ("en", "The strike lasted a week.", "a week", "duration", "exact", 604_800, 604_800),
    ("en", "The siege lasted more than a year.", "more than a year", "duration", "more_than", 31_557_600, INF),
    ("en", "It took a little over a fortnight.", "a little over a fortnight", "duration", "more_than", 2 * 604_800, INF),
    ("en", "The talks went on for nearly a month.", "nearly a month", "duration", "nearly", 0.9 * 2_629_800, 2_629_800),
    ("en", "The war lasted three decades.", "three decades", "duration", "exact", 30 * 31_557_600, 30 * 31_557_600),
    ("en", "It took half a year.", "half a year", "duration", "exact", 31_557_600 / 2, 31_557_600 / 2),
    ("en", "It took a quarter of an hour.", "a quarter of an hour", "duration", "exact", 900, 900),
    ("en", "The canal handles about 50 ships a day.", "about 50", "count", "approx", 45, 55),  # a rate, no duration
    ("en", "It lasted a week or two.", "a week or two", "duration", "range", 604_800, 2 * 604_800),
    ("nb", "Det tok et halvt år.", "et halvt år", "duration", "exact", 31_557_600 / 2, 31_557_600 / 2),
    ("nb", "Det tok en halv time.", "en halv time", "duration", "exact", 1800, 1800),
    ("nb", "Streiken varte i over en uke.", "over en uke", "duration", "more_than", 604_800, INF),
    ("nb", "Det tok nesten et år.", "nesten et år", "duration", "nearly", 0.9 * 31_557_600, 31_557_600),
    ("nb", "Det varte en drøy uke.", "en drøy uke", "duration", "more_than", 604_800, INF),
    ("nb", "Krigen varte i tre tiår.", "tre tiår", "duration", "exact", 30 * 31_557_600, 30 * 31_557_600),
    ("ru", "Осада длилась почти год.", "почти год", "duration", "nearly", 0.9 * 31_557_600, 31_557_600),
    ("ru", "Забастовка длилась больше недели.", "больше недели", "duration", "more_than", 604_800, INF),
    ("ru", "Переговоры шли около месяца.", "около месяца", "duration", "approx", 0.9 * 2_629_800, 1.1 * 2_629_800),
    ("ru", "Спасатели работали более суток.", "более суток", "duration", "more_than", 86_400, INF),
    ("ru", "Четверть часа спустя всё закончилось.", "Четверть часа", "duration", "exact", 900, 900),
    # issue 13: a share of a whole is a percentage ("nearly half" as "nearly 300": 10% below, up to it)
    ("en", "More than half of the houses were destroyed.", "More than half", "percent", "more_than", 50, INF),
    ("en", "Nearly half of the houses burned.", "Nearly half", "percent", "nearly", 45, 50),
    ("en", "A third of the town was flooded.", "A third", "percent", "exact", 100 / 3, 100 / 3),
    ("en", "One in five residents fled.", "One in five", "percent", "exact", 20, 20),
    ("en", "Two out of three voters agreed.", "Two out of three", "percent", "exact", 200 / 3, 200 / 3),
    ("en", "A quarter of the buildings burned.", "A quarter", "percent", "exact", 25, 25),
    ("en", "About 1/40 of the wavelength.", "About 1/40", "count", "approx", 0.0225, 0.0275),  # digits: a ratio
    ("en", "Every fifth resident fled.", "Every fifth", "percent", "exact", 20, 20),
    ("en", "Nearly a third of the boys were ill.", "Nearly a third", "percent", "nearly", 30, 100 / 3),
    ("ru", "Две трети жителей бежали.", "Две трети", "percent", "exact", 200 / 3, 200 / 3),
    ("en", "A third of a mile was paved.", "A third of a mile", "length", "exact", MILE / 3, MILE / 3),
    ("nb", "Halvparten av husene brant.", "Halvparten", "percent", "exact", 50, 50),
    ("nb", "Mer enn halvparten av husene brant.", "Mer enn halvparten", "percent", "more_than", 50, INF),
    ("nb", "En tredjedel av byen ble oversvømt.", "En tredjedel", "percent", "exact", 100 / 3, 100 / 3),
    ("nb", "En av fem innbyggere flyktet.", "En av fem", "percent", "exact", 20, 20),
    ("nb", "En fjerdedel av husene brant.", "En fjerdedel", "percent", "exact", 25, 25),
    ("nb", "Hver femte nordmann bor i Oslo.", "Hver femte", "percent", "exact", 20, 20),
    ("ru", "Половина домов разрушена.", "Половина", "percent", "exact", 50, 50),
    ("ru", "Более половины домов разрушены.", "Более половины", "percent", "more_than", 50, INF),
    ("ru", "Треть города затоплена.", "Треть", "percent", "exact", 100 / 3, 100 / 3),
    ("ru", "Каждый пятый житель бежал.", "Каждый пятый", "percent", "exact", 20, 20),
    ("ru", "Четверть зданий сгорела.", "Четверть", "percent", "exact", 25, 25),
    # issue 13: vague counts, one policy (numbers.yml): at least two of the scale, below the next power of ten
    ("en", "Dozens of people died.", "Dozens of", "count", "range", 24, 99),
    ("en", "Scores of people died.", "Scores of", "count", "range", 40, 99),
    ("en", "Hundreds of people died.", "Hundreds of", "count", "range", 200, 999),
    ("en", "Thousands of people fled.", "Thousands of", "count", "range", 2000, 9999),
    ("en", "Tens of thousands of people fled.", "Tens of thousands of", "count", "range", 20_000, 99_999),
    ("en", "Several thousand people fled.", "Several thousand", "count", "range", 2000, 9999),
    ("en", "A few hundred people fled.", "A few hundred", "count", "range", 200, 999),
    ("en", "Dozens of kilometres of road were damaged.", "Dozens of kilometres", "length", "range", 24_000, 99_000),
    ("nb", "Flere tusen mennesker flyktet.", "Flere tusen", "count", "range", 2000, 9999),
    ("nb", "Tusenvis av mennesker flyktet.", "Tusenvis av", "count", "range", 2000, 9999),
    ("nb", "Flere hundre mennesker flyktet.", "Flere hundre", "count", "range", 200, 999),
    ("nb", "Titusenvis av mennesker flyktet.", "Titusenvis av", "count", "range", 20_000, 99_999),
    ("ru", "Несколько тысяч человек бежали.", "Несколько тысяч", "count", "range", 2000, 9999),
    ("ru", "Тысячи человек бежали.", "Тысячи", "count", "range", 2000, 9999),
    ("ru", "Десятки тысяч человек бежали.", "Десятки тысяч", "count", "range", 20_000, 99_999),
    ("ru", "Сотни человек бежали.", "Сотни", "count", "range", 200, 999),
    ("ru", "Несколько сотен человек бежали.", "Несколько сотен", "count", "range", 200, 999),
    ("en", "It will last for at least several hundred years.", "at least several hundred years", "duration",
     "at_least", 200 * 31_557_600, INF),
    ("nb", "Over tusenvis av mennesker flyktet.", "Over tusenvis av", "count", "more_than", 2000, INF),
    # a name's age in brackets, the press convention in all three languages, is an age, not a count
    ("nb", "Fredag omkom marinedykkeren Saman Kunan (38) i grotta.", "38", "age", "exact", 38, 38),
    ("en", "The fire killed retired orchardist Gordon Reimer (68) at his home.", "68", "age", "exact", 68, 68),
    ("ru", "Погиб горноспасатель Иван Петров (54).", "54", "age", "exact", 54, 54),
    ("en", "Rescuers (12) arrived first.", "12", "count", "exact", 12, 12),  # no name: the first word
    ("nb", "Han har barn (2) hjemme.", "2", "count", "exact", 2, 2),
    # a name's apposition and a person's copula: "Gordon Reimer, 68, died", "he was 81", "ему было 67 лет"
    ("en", "The foreman, Viktor Ganin, 52, was the last man out.", "52", "age", "exact", 52, 52),
    ("en", "His family said he was 81.", "81", "age", "exact", 81, 81),
    ("nb", "Familien opplyser at hun var 74.", "74", "age", "exact", 74, 74),
    ("ru", "Погибшему было 67 лет.", "67 лет", "age", "exact", 67, 67),
    ("en", "In Kaleden, 40 homes burned.", "40", "count", "exact", 40, 40),
    ("en", "The toll was 81.", "81", "count", "exact", 81, 81),
    ("ru", "Шахта работала 40 лет.", "40 лет", "duration", "exact", 40 * 31_557_600, 40 * 31_557_600),
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


# a figure on both scales is a temperature whatever the words around it: (lang, sentence, texts, lows in K)
BOTH_SCALES = [
    ("en", "Seville reached 44C (111F).", ["44C", "111F"], [317.15, (111 - 32) * 5 / 9 + 273.15]),
    ("nb", "Sevilla nådde 44 °C (111 °F).", ["44 °C", "111 °F"], [317.15, (111 - 32) * 5 / 9 + 273.15]),
    ("ru", "В Севилье было 44 °C (111 °F).", ["44 °C", "111 °F"], [317.15, (111 - 32) * 5 / 9 + 273.15]),
]


@pytest.mark.parametrize("lang, sentence, texts, lows", BOTH_SCALES)
def test_a_figure_on_both_scales_is_a_temperature(lang, sentence, texts, lows):
    claims = [c for c in extract_claims(sentence, lang, "2016-12-12") if c.kind != "date"]
    assert [c.text for c in claims] == texts
    assert all(c.kind == "temperature" for c in claims)
    assert [c.low for c in claims] == pytest.approx(lows)
    assert {c.pair_role for c in claims} == {"stated", "conversion"}


NOT_QUANTITIES = [
    ("en", "based on the UN Security Council Resolution 2254 and talks"),
    ("en", "Two Su-24 bombers flew over"),  # "Two" is a count, "24" is not
    ("en", "It was the second time the city fell"),
    ("en", "One of the soldiers was wounded"),
    ("en", "The meeting starts at 10:30 tomorrow"),
    ("en", "Call +7 495 123-45-67 for details"),
    ("en", "He was the 3rd speaker"),
    ("en", "The ship stayed stuck for a third day"),  # an ordinal before a unit, not a third of a day
    ("nb", "Det er fortsatt en del selvmordsbombere igjen"),
    ("nb", "FNs resolusjon 2254 ble vedtatt"),
    ("en", "The 13F filing came late"),  # "F" is a temperature only where the sentence speaks of one
    ("en", "It runs 24/7 now"),  # no fraction
    ("en", "They bought 3D printers and 4G phones"),  # digits glued to letters that are no unit
    ("ru", "Встреча началась в 10:30"),
    # times of day by the words after them (numbers.yml time_words_after) or before (time_words_before)
    ("en", "The attack began at 5.30 local time."),
    ("en", "They struck at 4 GMT and at 8.50pm"),
    ("nb", "Angrepet startet kl. 8.50 i dag"),
    ("ru", "Атака началась в 5.30 по московскому времени"),
    # issue 13: identifiers by a designator noun, a hyphen to a letter code, letters glued on, a call verb;
    # years by an era word; relative dates and frequencies are no durations
    ("en", "Two Su-25 jets and a MiG-29 flew"),
    ("en", "An F-16 and COVID-19 and the G20"),
    ("en", "Resolution 2254 was adopted"),
    ("en", "They had to call 112 at once"),
    ("en", "Vesuvius erupted in AD 79 and Rome fell in 500 BC"),
    ("en", "Flight 370 vanished on Route 66"),
    ("en", "Article 5 was invoked"),
    ("en", "A week later the town fell"),
    ("en", "They meet twice a week"),
    ("en", "A second attack came a day after the first"),
    ("en", "Half an hour later they left"),
    ("en", "A year-long inquiry began"),
    ("en", "Every second day a ship passed"),
    ("en", "Judges gave scores of 90 and 85"),  # a noun before figures: the figures are counts
    ("nb", "De ringte 112 straks"),
    ("nb", "Tempelet ble bygd i år 79 e.Kr."),
    ("nb", "Han trener to ganger i uken og en gang i måneden"),
    ("nb", "Det smalt fem ganger"),
    ("ru", "Взрыв прогремел три раза"),
    ("nb", "Et MiG-29 og et F-16 styrtet"),
    ("ru", "Они позвонили 112 сразу"),
    ("ru", "Около часа ночи раздался взрыв"),
    ("ru", "Более года назад начались переговоры"),
    ("ru", "Каждый второй день шли дожди"),
    ("ru", "Новый год начался"),
    ("ru", "Город основан в 79 году н. э."),
    ("ru", "Статья 5 вступила в силу"),
    ("ru", "Самолёт Ан-124 и Су-25 вылетели"),
    ("ru", "На прошлой неделе они пришли"),
    ("nb", "Neste uke kommer de"),
    ("nb", "Raqqa et halvt år etter"),
    ("en", "Half a year later they returned"),
    ("en", "Profits rose in the third quarter"),
    ("en", "Last week, this week and next week they met"),
    ("en", "The week of talks ended"),
    ("ru", "Самолёт Су-25 и МиГ-29 вылетели"),
]


@pytest.mark.parametrize("lang,sentence", NOT_QUANTITIES)
def test_not_a_quantity(lang, sentence):
    claims = [c for c in extract_claims(sentence, lang, "2016-12-12") if c.kind not in ("date",)]
    texts = [c.text for c in claims]
    if "Two Su-2" in sentence:
        assert texts == ["Two"]
    elif "scores of" in sentence:
        assert texts == ["90", "85"]
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


@pytest.mark.parametrize("lang,text,counts", [
    ("en", "Two of the five hostages were freed.", [("Two", 2), ("five", 5)]),
    # "av" is "of": a share only after one ("en av fem"), "fire av tolv" are two counts
    ("nb", "Fire av tolv gutter ble reddet.", [("Fire", 4), ("tolv", 12)]),
    ("nb", "Fire av de tolv guttene ble reddet.", [("Fire", 4), ("tolv", 12)]),
])
def test_n_of_m_are_two_counts(lang, text, counts):
    claims = extract_claims(text, lang, "2016-12-12")
    assert [(c.text, c.low) for c in claims] == counts
    assert {c.kind for c in claims} == {"count"}


@pytest.mark.parametrize("lang, text, km, mi, subject", [
    ("en", "Palmyra lies 240 kilometers (about 150 miles) from the Syrian capital.", "240 kilometers",
     "about 150 miles", "from the Syrian"),
    # Norwegian wire copy keeps the English unit
    ("nb", "Byen ligger 240 kilometer (150 miles) fra Damaskus.", "240 kilometer", "150 miles", "fra Damaskus"),
    ("ru", "Пальмира находится в 240 километрах (около 150 миль) от Дамаска.", "240 километрах", "около 150 миль",
     "от Дамаска"),
])
def test_conversion_pairs_from_language_data(lang, text, km, mi, subject):
    a, b = [c for c in extract_claims(text, lang, "2016-12-12") if c.kind == "length"]
    assert (a.text, b.text, a.pair, b.pair) == (km, mi, 1, 0)
    assert a.subject == subject


# (text, language, precision in the normalized unit): half a unit of the last written digit, but of
# the second significant digit at the most, as people round ("1,000 feet" is 950-1,050 feet)
PRECISION_CASES = [
    ("The convoy covered 12.5 km.", "en", 50),  # 0.05 km in metres
    ("More than 5,000 militants", "en", 50),
    ("The ledge lies 400 metres (1,000 feet) in.", "en", 5),
    ("It lies 240 km from the capital.", "en", 5000),
    ("It lies 60 km away.", "en", 500),
    ("7 people died.", "en", 0.5),
    ("It cost 5 million dollars.", "en", 50_000),
    ("Five thousand people marched.", "en", 50),
    ("Omtrent 30 000 mennesker", "nb", 500),
    ("около 10 000 человек", "ru", 500),
]


@pytest.mark.parametrize("text,lang,precision", PRECISION_CASES)
def test_precision_is_half_a_unit_of_the_last_written_digit(text, lang, precision):
    c = extract_claims(text, lang)[0]
    assert c.precision == pytest.approx(precision)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-–()%kmilesovrthanbuyäåø\n")) | st.characters(), max_size=120))
def test_extractor_never_raises_and_offsets_slice(text):
    for lang in ("en", "nb", "ru"):
        for c in extract_claims(text, lang, "2016-12"):
            assert text[c.start:c.end] == c.text
            if c.low is not None and c.high is not None:
                assert c.low <= c.high


# the short reads of the number search (quantities.SHORT_READ, and the search by a number's first word)
# must find what reading every number within LONGEST_NUMBER characters finds
SHORT_READ_TEXTS = [
    ("en", "one hundred and twenty-three thousand four hundred and fifty-six people and " * 3),
    ("en", "one hundred and " * 40),
    ("en", "two hundred thirty-four thousand five hundred " * 20),
    ("en", "nine hundred and ninety-nine million nine hundred and ninety-nine thousand nine hundred and ninety-nine"),
    ("en", "€5 " * 50 + "5 million million million " * 20 + "seventeen-" * 30),
    ("en", "hundreds of thousands of refugees, several thousand troops, one in five, two and a half million"),
    ("nb", "tre hundre og førti tusen " * 15),
    ("ru", "двести сорок тысяч " * 15),
]


@pytest.mark.parametrize("lang, text", SHORT_READ_TEXTS)
def test_short_reads_find_what_long_reads_find(lang, text, monkeypatch):
    from datasette_palmyra.extract import quantities

    short = [c.to_dict() for c in extract_claims(text, lang, "2016-11-07")]
    monkeypatch.setattr(quantities, "SHORT_READ", quantities.LONGEST_NUMBER)
    monkeypatch.setattr(quantities, "READ_MARGIN", 0)
    assert [c.to_dict() for c in extract_claims(text, lang, "2016-11-07")] == short
