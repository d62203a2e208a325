"""Places a figure can be scoped to ("in China", "globally", "Europe's").

A place in a sentence is usually the region of a claim, not its subject:
"Apple's share in China" is about Apple. Knowing place names lets the
subject finder skip them and the matcher compare regions.
"""
from __future__ import annotations

import re

GLOBAL = "global"

_COUNTRIES = """
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain
Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Botswana Brazil Brunei Bulgaria
Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba
Cyprus Czechia|Czech Republic|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea
Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Grenada Guatemala
Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan
Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya
Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius
Mexico Moldova Monaco Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands
New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama
Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino
Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa
South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania
Thailand Togo Tonga Trinidad Tunisia Turkey Türkiye Turkmenistan Tuvalu Uganda Ukraine
United Arab Emirates|UAE|United Kingdom|UK|U.K.|Britain|Great Britain|England|Scotland|Wales|Northern Ireland
United States|US|U.S.|USA|America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe
Korea|Hong Kong|Macau|Macao|Greater China|Mainland China|Puerto Rico|Greenland
"""

_REGIONS = """
Europe|European Union|EU|Eurozone|euro zone|euro area|Asia|Asia Pacific|Asia-Pacific|APAC|Africa|Latin America
North America|South America|Middle East|EMEA|Americas|Southeast Asia|Nordics|Scandinavia|Oceania|the West
California|Texas|New York|Florida|Ontario|Quebec|Bavaria|London|Paris|Tokyo|Beijing|Shanghai|Shenzhen|Mumbai
Delhi|Sydney|Toronto|Berlin|Seoul|Moscow|Dubai|Singapore|Silicon Valley|Wall Street|Washington|Brussels
"""

# Adjectives of place: "Chinese smartphone makers", "the Norwegian shelf".
_DEMONYMS = {
    "Chinese": "China", "American": "United States", "British": "United Kingdom", "European": "Europe",
    "Japanese": "Japan", "German": "Germany", "French": "France", "Indian": "India", "Korean": "South Korea",
    "South Korean": "South Korea", "Taiwanese": "Taiwan", "Canadian": "Canada", "Australian": "Australia",
    "Brazilian": "Brazil", "Mexican": "Mexico", "Russian": "Russia", "Italian": "Italy", "Spanish": "Spain",
    "Dutch": "Netherlands", "Swiss": "Switzerland", "Swedish": "Sweden", "Norwegian": "Norway",
    "Danish": "Denmark", "Finnish": "Finland", "Polish": "Poland", "Turkish": "Turkey", "Saudi": "Saudi Arabia",
    "Indonesian": "Indonesia", "Vietnamese": "Vietnam", "Asian": "Asia", "African": "Africa",
    "Nordic": "Nordics", "Scandinavian": "Scandinavia", "Irish": "Ireland", "Belgian": "Belgium",
    "Austrian": "Austria", "Portuguese": "Portugal", "Greek": "Greece", "Hungarian": "Hungary",
    "Israeli": "Israel", "Egyptian": "Egypt", "Nigerian": "Nigeria", "South African": "South Africa",
    "Argentine": "Argentina", "Chilean": "Chile", "Colombian": "Colombia", "Thai": "Thailand",
    "Malaysian": "Malaysia", "Singaporean": "Singapore", "Filipino": "Philippines", "Pakistani": "Pakistan",
}

_GLOBAL_WORDS = ("globally", "worldwide", "in the world", "world's", "global", "around the world",
                 "across the world", "internationally")


def _names(block: str) -> list[str]:
    names: list[str] = []
    for line in block.strip().splitlines():
        if "|" in line:
            names.extend(part.strip() for part in line.split("|") if part.strip())
        else:
            names.extend(line.split())
    return names


PLACES: frozenset[str] = frozenset(n.lower() for n in _names(_COUNTRIES) + _names(_REGIONS))
_CANON = {"us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
          "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
          "great britain": "United Kingdom", "mainland china": "China", "türkiye": "Turkey",
          "eu": "European Union", "eurozone": "Eurozone", "euro zone": "Eurozone", "euro area": "Eurozone"}

_PLACE_RE = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(p) for p in sorted(_names(_COUNTRIES) + _names(_REGIONS) + list(_DEMONYMS),
                                                            key=len, reverse=True))
    + r")(?![\w])")
_GLOBAL_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _GLOBAL_WORDS) + r")(?!\w)", re.I)


def canonical_place(name: str) -> str:
    name = name.strip()
    if name in _DEMONYMS:
        return _DEMONYMS[name]
    return _CANON.get(name.lower(), name)


def is_place(name: str) -> bool:
    return name.strip().lower() in PLACES


def find_places(text: str) -> list[tuple[int, int, str]]:
    """Place names in `text` as (start, end, canonical name), case-sensitive
    so "us" the pronoun is not the United States."""
    return [(m.start(), m.end(), canonical_place(m.group(1))) for m in _PLACE_RE.finditer(text)]


def mentions_global(text: str) -> bool:
    return bool(_GLOBAL_RE.search(text))


def same_region(a: str | None, b: str | None) -> bool | None:
    """True/False when both are known, None when either is unknown.

    "Greater China" and "China" count as the same: sources and writers use
    them interchangeably for the mainland market.
    """
    if not a or not b:
        return None
    x, y = canonical_place(a).lower(), canonical_place(b).lower()
    if x == y:
        return True
    if GLOBAL in (x, y):
        return False
    return x in y or y in x
