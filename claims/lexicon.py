"""Word lists and tables the figure reader looks numbers' neighbours up in:
currencies, units of measure, hedges, change words, and the small closed
classes (prepositions, determiners, verbs) that tell a counted noun from
the rest of a sentence.

Only data lives here, so that a newsroom can extend a table without
reading the grammar in `claims.figures`. Unit names are the canonical ones
of the project's contracts (singular, US spelling: "kilometer",
"degree celsius", "pound-mass").
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# Money

ISO_4217 = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
ATS BEF DEM ESP FIM FRF GRD HRK IEP ITL LTL LUF LVL NLG PTE SIT SKK VEF
""".split())
# Codes also read in lower case; the others are English words ("all", "top", "cup", "mad", "try").
LOWER_CODES = frozenset("""usd eur gbp jpy cny rmb hkd cad aud nzd chf inr krw sgd twd myr rub brl mxn zar sek nok
dkk pln thb idr php vnd aed sar ils egp kwd qar uah mnt bgn lbp czk huf ron""".split())
# Non-ISO codes in use
CODE_ALIASES = {"RMB": "CNY", "NTD": "TWD", "RM": "MYR", "Rs": "INR", "RS": "INR", "rs": "INR", "Rp": "IDR",
                "rmb": "CNY", "ntd": "TWD", "rm": "MYR", "LE": "EGP", "le": "EGP"}

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY",
                    "₪": "ILS", "₱": "PHP", "₫": "VND", "฿": "THB", "₦": "NGN", "₴": "UAH", "₡": "CRC", "₾": "GEL",
                    "₭": "LAK", "₮": "MNT", "₸": "KZT", "₼": "AZN", "₲": "PYG", "₵": "GHS", "৳": "BDT", "元": "CNY",
                    "ரூ": "LKR", "﷼": "SAR"}
# Letters written before "$" (or "¥") to say whose dollar it is: "US$", "HK$", "c $" (newswire).
DOLLAR_PREFIXES = {"us": "USD", "u.s.": "USD", "u.s": "USD", "u. s.": "USD", "u . s .": "USD", "usd": "USD",
                   "hk": "HKD", "hkd": "HKD", "nt": "TWD", "ntd": "TWD", "twd": "TWD", "c": "CAD", "ca": "CAD",
                   "can": "CAD", "cad": "CAD", "a": "AUD", "au": "AUD", "aud": "AUD", "s": "SGD", "sg": "SGD",
                   "sgd": "SGD", "nz": "NZD", "nzd": "NZD", "r": "BRL", "mex": "MXN", "mx": "MXN", "mxn": "MXN",
                   "cn": "CNY", "rmb": "CNY", "jp": "JPY", "z": "ZWL", "j": "JMD", "ec": "XCD", "rd": "DOP",
                   "bds": "BBD", "tt": "TTD", "fj": "FJD"}

# Currency names after (or before) a number. Plurals are generated below.
_CURRENCY_NAMES = {
    "dollar": "USD", "buck": "USD", "us dollar": "USD", "u.s. dollar": "USD", "american dollar": "USD",
    "united states dollar": "USD", "greenback": "USD",
    "australian dollar": "AUD", "aussie dollar": "AUD", "canadian dollar": "CAD", "hong kong dollar": "HKD",
    "new taiwan dollar": "TWD", "taiwan dollar": "TWD", "taiwanese dollar": "TWD", "singapore dollar": "SGD",
    "singaporean dollar": "SGD", "new zealand dollar": "NZD", "kiwi dollar": "NZD", "jamaican dollar": "JMD",
    "namibian dollar": "NAD", "fijian dollar": "FJD", "east caribbean dollar": "XCD", "bahamian dollar": "BSD",
    "barbadian dollar": "BBD", "belize dollar": "BZD", "brunei dollar": "BND", "liberian dollar": "LRD",
    "guyanese dollar": "GYD", "zimbabwe dollar": "ZWL", "zimbabwean dollar": "ZWL",
    "euro": "EUR", "eurodollar": "USD",
    "pound": "GBP", "pound sterling": "GBP", "sterling": "GBP", "british pound": "GBP", "uk pound": "GBP",
    "egyptian pound": "EGP", "egyptianpound": "EGP", "lebanese pound": "LBP", "syrian pound": "SYP",
    "sudanese pound": "SDG", "irish pound": "IEP", "punt": "IEP",
    "yen": "JPY", "japanese yen": "JPY", "yuan": "CNY", "chinese yuan": "CNY", "renminbi": "CNY", "kuai": "CNY",
    "rupee": "INR", "indian rupee": "INR", "pakistani rupee": "PKR", "sri lankan rupee": "LKR",
    "nepalese rupee": "NPR", "mauritian rupee": "MUR", "rupiah": "IDR", "indonesian rupiah": "IDR",
    "won": "KRW", "korean won": "KRW", "south korean won": "KRW", "north korean won": "KPW",
    "ringgit": "MYR", "malaysian ringgit": "MYR", "malaysia ringgit": "MYR",
    "peso": "MXN", "mexican peso": "MXN", "philippine peso": "PHP", "argentine peso": "ARS",
    "argentinian peso": "ARS", "chilean peso": "CLP", "colombian peso": "COP", "uruguayan peso": "UYU",
    "dominican peso": "DOP", "cuban peso": "CUP",
    "franc": "CHF", "swiss franc": "CHF", "french franc": "FRF", "belgian franc": "BEF", "cfa franc": "XOF",
    "lira": "TRY", "turkish lira": "TRY", "italian lira": "ITL", "lire": "ITL",
    "shekel": "ILS", "new shekel": "ILS", "israeli shekel": "ILS", "new israeli shekel": "ILS",
    "rouble": "RUB", "ruble": "RUB", "russian rouble": "RUB", "russian ruble": "RUB",
    "baht": "THB", "thai baht": "THB", "dong": "VND", "vietnamese dong": "VND",
    "reais": "BRL", "brazilian real": "BRL", "brazilian reais": "BRL", "rand": "ZAR", "south african rand": "ZAR",
    "naira": "NGN", "nigerian naira": "NGN", "cedi": "GHS", "ghanaian cedi": "GHS",
    "kenyan shilling": "KES", "ugandan shilling": "UGX", "tanzanian shilling": "TZS",
    "dirham": "AED", "uae dirham": "AED", "emirati dirham": "AED", "moroccan dirham": "MAD",
    "riyal": "SAR", "saudi riyal": "SAR", "saudiriyal": "SAR", "qatari riyal": "QAR", "qatari rial": "QAR",
    "omani rial": "OMR", "iranian rial": "IRR", "yemeni rial": "YER",
    "kuwaiti dinar": "KWD", "bahraini dinar": "BHD", "jordanian dinar": "JOD", "iraqi dinar": "IQD",
    "serbian dinar": "RSD", "algerian dinar": "DZD", "tunisian dinar": "TND", "libyan dinar": "LYD",
    "zloty": "PLN", "zlotys": "PLN", "zlotych": "PLN", "polish zloty": "PLN", "forint": "HUF",
    "hungarian forint": "HUF", "koruna": "CZK", "czech koruna": "CZK", "czech crown": "CZK",
    "krona": "SEK", "kronor": "SEK", "swedish krona": "SEK", "swedish kronor": "SEK", "swedish crown": "SEK",
    "norwegian krone": "NOK", "norwegian kroner": "NOK", "danish krone": "DKK", "danish kroner": "DKK",
    "icelandic krona": "ISK", "hryvnia": "UAH", "hryvnias": "UAH", "ukrainian hryvnia": "UAH", "tenge": "KZT",
    "lari": "GEL", "dram": "AMD", "manat": "AZN", "tugrik": "MNT", "togrog": "MNT", "kip": "LAK", "riel": "KHR",
    "kyat": "MMK", "taka": "BDT", "afghani": "AFN", "kwacha": "ZMW", "birr": "ETB", "leva": "BGN",
    "bulgarian lev": "BGN", "romanian leu": "RON", "romanian lei": "RON", "kuna": "HRK", "quetzal": "GTQ",
    "bolivar": "VES", "boliviano": "BOB", "peruvian sol": "PEN", "guarani": "PYG", "hong kong dollars": "HKD",
    "markka": "FIM", "markkaa": "FIM", "finnish markka": "FIM", "guilder": "NLG", "dutch guilder": "NLG",
    "peseta": "ESP", "spanish peseta": "ESP", "deutsche mark": "DEM", "deutschmark": "DEM", "german mark": "DEM",
    "d-mark": "DEM", "escudo": "PTE", "portuguese escudo": "PTE", "drachma": "GRD", "drachmae": "GRD",
    "schilling": "ATS", "austrian schilling": "ATS", "colon": "CRC", "colón": "CRC", "colones": "CRC",
    "geneh": "EGP", "genihat masriya": "EGP", "l.e": "EGP", "l.e.": "EGP",
}
_IRREGULAR_PLURAL_KEEP = ("yen", "yuan", "renminbi", "won", "baht", "rand", "naira", "rupiah", "dong",
                          "kuai", "tenge", "lari", "kip", "riel", "kyat", "taka", "birr", "leva", "lire", "reais",
                          "zlotys", "zlotych", "kronor", "kroner", "colones", "hryvnias", "markkaa", "drachmae",
                          "sterling", "geneh", "genihat masriya", "l.e", "l.e.", "lei", "kwacha", "forint")


def _with_plurals(names: dict[str, str]) -> dict[str, str]:
    out = dict(names)
    for name, code in names.items():
        last = name.split(" ")[-1]
        if last in _IRREGULAR_PLURAL_KEEP or name.endswith("s"):
            continue
        if name.endswith("y") and not name.endswith(("ey", "ay")):
            out[name[:-1] + "ies"] = code
        elif name.endswith(("sh",)):
            out[name + "es"] = code
        else:
            out[name + "s"] = code
    out["pounds sterling"] = "GBP"
    out["bucks"] = "USD"
    return out


CURRENCY_NAMES = _with_plurals(_CURRENCY_NAMES)
# "pound" is also a weight: these words nearby make it one.
WEIGHT_CONTEXT = frozenset("""weigh weighs weighed weighing weight weights heavy heavier heaviest lighter lightest
ton tons tonne tonnes kg kilogram kilograms kilo kilos ounce ounces oz lb lbs baby babies bag bags lose lost losing
drop dropped shed gain gained gaining fish catch caught body obese obesity pumpkin""".split())

# Units that "a"/"an" counts as one ("a gallon of beer", "a dollar"); not
# time, which "a" makes a rate ("twice a year"), nor "pound" (money or weight).
A_UNIT_WORDS = frozenset("""dollar euro buck rupee gallon litre liter mile kilometre kilometer metre meter foot
inch yard kilogram kilo gram tonne ton ounce pint quart acre hectare barrel""".split())

# Sub-units: name -> (default currency, fraction of the main unit)
SUBUNITS = {"cent": ("USD", 0.01), "cents": ("USD", 0.01), "¢": ("USD", 0.01), "c": ("USD", 0.01),
            "penny": ("USD", 0.01), "pennies": ("USD", 0.01), "pence": ("GBP", 0.01), "p": ("GBP", 0.01),
            "sen": ("MYR", 0.01), "sens": ("MYR", 0.01), "kopiyka": ("UAH", 0.01), "kopiykas": ("UAH", 0.01),
            "kopecks": ("RUB", 0.01), "kopeck": ("RUB", 0.01), "kopeks": ("RUB", 0.01), "paise": ("INR", 0.01),
            "paisa": ("INR", 0.01), "dime": ("USD", 0.1), "dimes": ("USD", 0.1), "nickel": ("USD", 0.05),
            "nickels": ("USD", 0.05), "fen": ("CNY", 0.01), "jiao": ("CNY", 0.1), "mao": ("CNY", 0.1),
            "centavo": ("MXN", 0.01), "centavos": ("MXN", 0.01), "eurocent": ("EUR", 0.01),
            "eurocents": ("EUR", 0.01), "euro cent": ("EUR", 0.01), "euro cents": ("EUR", 0.01)}
# Sub-unit words that need digits glued to them ("43c", "50p")
GLUED_SUBUNITS = frozenset({"c", "p"})

# --------------------------------------------------------------------------------------------------
# Percentages and points

PERCENT_WORDS = ("percent", "per cent", "percents", "per cents", "percentage", "pct", "pc", "per-cent")
PP_WORDS = ("percentage points", "percentage point", "percent points", "percent point", "per cent points",
            "per cent point", "pct points", "pct point", "pct pts", "percentage pts", "% points", "% point",
            "% pts", "pp", "ppt", "ppts", "pps", "points of percentage", "percentage-point", "percentage-points")
BASIS_POINT_WORDS = ("basis points", "basis point", "bps", "bp", "bip", "bips", "basis-point")
POINT_WORDS = ("points", "point", "pts", "pt")

# --------------------------------------------------------------------------------------------------
# Measures: (written forms, canonical name). Names are matched without case
# unless listed in CASE_SENSITIVE_UNITS.

_MEASURES = [
    (("kilometre", "kilometer", "kilometres", "kilometers", "km", "kms"), "kilometer"),
    (("metre", "meter", "metres", "meters", "m"), "meter"),
    (("centimetre", "centimeter", "centimetres", "centimeters", "cm"), "centimeter"),
    (("millimetre", "millimeter", "millimetres", "millimeters", "mm"), "millimeter"),
    (("decimetre", "decimeter", "decimetres", "decimeters", "dm"), "decimeter"),
    (("nanometre", "nanometer", "nanometres", "nanometers", "nm"), "nanometer"),
    (("micrometre", "micrometer", "micrometres", "micrometers", "micron", "microns", "µm", "μm"), "micrometer"),
    (("picometre", "picometer", "picometres", "picometers", "pm"), "picometer"),
    (("attometre", "attometer", "attometres", "attometers", "am"), "attometer"),
    (("mile", "miles", "mi"), "mile"),
    (("nautical mile", "nautical miles", "nmi"), "nautical mile"),
    (("foot", "feet", "ft"), "foot"),
    (("inch", "inches", "in", "in."), "inch"),
    (("yard", "yards", "yd", "yds"), "yard"),
    (("light year", "light years", "light-year", "light-years"), "light year"),
    (("square kilometre", "square kilometer", "square kilometres", "square kilometers", "sq km", "sq. km",
      "km2", "km²", "sqkm"), "square kilometer"),
    (("square metre", "square meter", "square metres", "square meters", "sq m", "sq. m", "m2", "m²", "sqm"),
     "square meter"),
    (("square mile", "square miles", "sq mi", "sq. mi", "sq miles"), "square mile"),
    (("square foot", "square feet", "sq ft", "sq. ft", "sqft", "ft2", "ft²"), "square foot"),
    (("square centimetre", "square centimeter", "square centimetres", "square centimeters", "cm2", "cm²"),
     "square centimeter"),
    (("hectare", "hectares", "ha"), "hectare"),
    (("acre", "acres"), "acre"),
    (("litre", "liter", "litres", "liters", "l", "L", "ltr"), "liter"),
    (("millilitre", "milliliter", "millilitres", "milliliters", "ml", "mL", "cc", "cubic centimetre",
      "cubic centimeter", "cubic centimetres", "cubic centimeters", "cm3", "cm³"), "milliliter"),
    (("centilitre", "centiliter", "centilitres", "centiliters", "cl"), "centiliter"),
    (("decilitre", "deciliter", "dl"), "deciliter"),
    (("gallon", "gallons", "gal"), "gallon"),
    (("barrel", "barrels", "bbl", "bbls"), "barrel"),
    (("cubic metre", "cubic meter", "cubic metres", "cubic meters", "m3", "m³"), "cubic meter"),
    (("cubic foot", "cubic feet", "cu ft", "ft3", "ft³"), "cubic foot"),
    (("cubic kilometre", "cubic kilometer", "cubic kilometres", "cubic kilometers", "km3", "km³"),
     "cubic kilometer"),
    (("pint", "pints"), "pint"),
    (("quart", "quarts"), "quart"),
    (("cup", "cups"), "cup"),
    (("tablespoon", "tablespoons", "tbsp", "tbsps", "tbs"), "tablespoon"),
    (("teaspoon", "teaspoons", "tsp", "tsps"), "teaspoon"),
    (("fluid ounce", "fluid ounces", "fl oz", "fl. oz"), "fluid ounce"),
    (("kilogram", "kilograms", "kilogramme", "kilogrammes", "kg", "kgs", "kilo", "kilos"), "kilogram"),
    (("gram", "grams", "gramme", "grammes", "g", "gr"), "gram"),
    (("milligram", "milligrams", "milligramme", "milligrammes", "mg"), "milligram"),
    (("microgram", "micrograms", "microgramme", "microgrammes", "µg", "μg", "mcg", "ug"), "microgram"),
    (("tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes", "t", "mt"), "tonne"),
    (("ton", "tons", "short ton", "short tons", "long ton", "long tons"), "ton"),
    (("pound", "pounds", "lb", "lbs", "pound-mass"), "pound-mass"),
    (("ounce", "ounces", "oz"), "ounce"),
    (("stone",), "stone"),
    (("carat", "carats", "ct"), "carat"),
    (("degrees celsius", "degree celsius", "degrees centigrade", "degree centigrade", "celsius", "celcius",
      "centigrade", "centigrate", "°c", "º c", "° c", "ºc", "deg c", "deg celsius", "degs c", "degrees c",
      "degree c", "c", "C", "℃", "degrees celcius", "degree celcius", "degrees centigrate"), "degree celsius"),
    (("degrees fahrenheit", "degree fahrenheit", "fahrenheit", "farenheit", "°f", "° f", "ºf", "deg f",
      "deg fahrenheit", "degrees f", "degree f", "f", "F", "℉", "degrees farenheit", "degree farenheit"),
     "degree fahrenheit"),
    (("kelvin", "kelvins", "K"), "kelvin"),
    (("degree", "degrees", "°", "º", "deg", "deg."), "degree"),
    (("millisecond", "milliseconds", "ms", "msec"), "millisecond"),
    (("microsecond", "microseconds", "µs", "μs"), "microsecond"),
    (("nanosecond", "nanoseconds", "ns"), "nanosecond"),
    (("second", "seconds", "sec", "secs", "s"), "second"),
    (("minute", "minutes", "min", "mins"), "minute"),
    (("hour", "hours", "hr", "hrs", "h"), "hour"),
    (("day", "days"), "day"),
    (("week", "weeks", "wk", "wks"), "week"),
    (("fortnight", "fortnights"), "fortnight"),
    (("month", "months", "mo", "mos"), "month"),
    (("year", "years", "yr", "yrs", "yo", "y/o"), "year"),
    (("decade", "decades"), "decade"),
    (("century", "centuries"), "century"),
    (("millennium", "millennia", "millenniums"), "millennium"),
    (("mph", "miles per hour", "miles an hour", "mile per hour", "mile an hour"), "mile per hour"),
    (("km/h", "km/hr", "kph", "kmph", "kmh", "kilometres per hour", "kilometers per hour", "kilometre per hour",
      "kilometer per hour", "kilometres an hour", "kilometers an hour"), "kilometer per hour"),
    (("knot", "knots", "kn", "kt", "kts"), "knot"),
    (("watt", "watts", "W"), "watt"),
    (("kilowatt", "kilowatts", "kW", "KW", "kw"), "kilowatt"),
    (("megawatt", "megawatts", "MW", "mw"), "megawatt"),
    (("gigawatt", "gigawatts", "GW", "gw"), "gigawatt"),
    (("terawatt", "terawatts", "TW"), "terawatt"),
    (("watt hour", "watt hours", "watt-hour", "watt-hours", "Wh"), "watt hour"),
    (("kilowatt hour", "kilowatt hours", "kilowatt-hour", "kilowatt-hours", "kWh", "kwh", "KWh"), "kilowatt hour"),
    (("megawatt hour", "megawatt hours", "megawatt-hour", "megawatt-hours", "MWh", "mwh"), "megawatt hour"),
    (("gigawatt hour", "gigawatt hours", "gigawatt-hour", "gigawatt-hours", "GWh", "gwh"), "gigawatt hour"),
    (("terawatt hour", "terawatt hours", "terawatt-hour", "terawatt-hours", "TWh", "twh"), "terawatt hour"),
    (("joule", "joules", "J"), "joule"),
    (("kilojoule", "kilojoules", "kJ"), "kilojoule"),
    (("megajoule", "megajoules", "MJ"), "megajoule"),
    (("calorie", "calories", "cal"), "calorie"),
    (("kilocalorie", "kilocalories", "kcal"), "kilocalorie"),
    (("british thermal unit", "british thermal units", "btu", "btus", "BTU", "BTUs"), "british thermal unit"),
    (("electronvolt", "electronvolts", "electron volt", "electron volts", "eV"), "electronvolt"),
    (("kiloelectronvolt", "keV"), "kiloelectronvolt"),
    (("megaelectronvolt", "MeV"), "megaelectronvolt"),
    (("gigaelectronvolt", "GeV"), "gigaelectronvolt"),
    (("teraelectronvolt", "TeV"), "teraelectronvolt"),
    (("horsepower", "hp", "bhp"), "horsepower"),
    (("volt", "volts", "V"), "volt"),
    (("kilovolt", "kilovolts", "kV"), "kilovolt"),
    (("amp", "amps", "ampere", "amperes"), "ampere"),
    (("hertz", "Hz"), "hertz"),
    (("kilohertz", "kHz"), "kilohertz"),
    (("megahertz", "MHz"), "megahertz"),
    (("gigahertz", "GHz"), "gigahertz"),
    (("bit", "bits", "b"), "bit"),
    (("byte", "bytes", "B"), "byte"),
    (("kilobit", "kilobits", "kb", "kbit", "Kb"), "kilobit"),
    (("kilobyte", "kilobytes", "KB", "kB"), "kilobyte"),
    (("megabit", "megabits", "Mb", "mb", "mbit"), "megabit"),
    (("megabyte", "megabytes", "MB"), "megabyte"),
    (("gigabit", "gigabits", "Gb", "gbit"), "gigabit"),
    (("gigabyte", "gigabytes", "GB", "gb"), "gigabyte"),
    (("terabyte", "terabytes", "TB", "tb"), "terabyte"),
    (("petabyte", "petabytes", "PB"), "petabyte"),
    (("exabyte", "exabytes", "EB"), "exabyte"),
    (("megabits per second", "Mbps", "mbps", "Mbit/s"), "megabit per second"),
    (("gigabits per second", "Gbps", "gbps", "Gbit/s"), "gigabit per second"),
    (("decibel", "decibels", "dB", "db"), "decibel"),
    (("radian", "radians", "rad"), "radian"),
    (("turn", "turns"), "turn"),
    (("gray", "Gy"), "gray"),
    (("milligray", "mGy"), "milligray"),
    (("sievert", "sieverts", "Sv"), "sievert"),
    (("millisievert", "millisieverts", "mSv"), "millisievert"),
    (("pascal", "pascals", "Pa"), "pascal"),
    (("kilopascal", "kilopascals", "kPa"), "kilopascal"),
    (("hectopascal", "hectopascals", "hPa"), "hectopascal"),
    (("psi",), "pound per square inch"),
    (("megayear", "megayears", "Ma", "Myr"), "megayear"),
    (("gigayear", "gigayears", "Ga", "Gyr"), "gigayear"),
    (("tpd", "tons per day", "tonnes per day"), "ton per day"),
    (("bpd", "b/d", "barrels per day", "barrels a day"), "barrel per day"),
    (("candela", "candelas", "cd"), "candela"),
    (("mole", "moles", "mol"), "mole"),
]
# Abbreviations whose case carries meaning ("MB" megabyte, "Mb" megabit, "mb" megabit)
CASE_SENSITIVE_UNITS = frozenset({
    "m", "M", "b", "B", "W", "J", "V", "L", "l", "t", "g", "s", "h", "c", "f", "C", "F", "K", "mb", "Mb", "MB",
    "kb", "Kb", "KB", "kB", "Gb", "GB", "gb", "TB", "tb", "PB", "EB", "eV", "keV", "MeV", "GeV", "TeV", "Hz", "kHz",
    "MHz", "GHz", "Wh", "kWh", "kwh", "KWh", "MWh", "mwh", "GWh", "gwh", "TWh", "twh", "kW", "KW", "kw", "MW", "mw",
    "GW", "gw", "TW", "kJ", "MJ", "Gy", "mGy", "Sv", "mSv", "Pa", "kPa", "hPa", "Ma", "Ga", "Myr", "Gyr", "ms",
    "ns", "dB", "db", "kV", "ml", "mL", "cd", "mt", "ct", "kt", "kn", "gr", "mol", "hp", "ha", "ft", "mi", "mm", "cm",
    "km", "kg", "mg", "dm", "nm", "oz", "lb", "lbs", "yd", "min", "sec", "hr", "hrs", "mo", "wk", "yr", "yrs", "yo",
    "cc", "cl", "dl", "gal", "in", "in.", "pm", "am", "bbl", "tbsp", "tsp", "tbs", "cal", "kcal", "rad", "psi", "tpd", "bpd", "mph", "kph",
    "kmh", "kmph", "nmi", "kms", "kgs", "µg", "μg", "mcg", "ug", "µm", "μm", "µs", "μs", "Mbps", "mbps", "Gbps",
    "gbps", "btu", "BTU", "BTUs", "btus", "sqm", "sqkm", "sqft", "ltr", "mos", "secs", "mins", "wks", "yds", "bbls",
    "tsps", "tbsps", "bhp", "kbit", "mbit", "gbit", "deg", "deg."})

MEASURE_UNITS: dict[str, str] = {}
for _forms, _canon in _MEASURES:
    for _f in _forms:
        MEASURE_UNITS.setdefault(_f if _f in CASE_SENSITIVE_UNITS else _f.lower(), _canon)
# Unit words that are also everyday English: only a unit when glued to the
# digits, at the end of the sentence, or before words that measure ("2 in thick").
AMBIGUOUS_UNITS = frozenset({"in", "am", "pm", "cup", "cups", "bar", "mo", "min", "sec", "ha", "cal", "rad", "s",
                             "a", "ct", "kt", "gr", "cd", "mt", "kn", "hp", "f", "F", "c", "C", "t", "g", "l", "L",
                             "h", "B", "b", "yo", "mol", "ms", "ns", "dl", "cl", "cc", "turn", "turns"})
MEASURING_WORDS = frozenset("""thick long wide tall high deep away apart across diameter thin""".split())
# Lengths written as "inch" in these forms: '10"', "10 ''"
INCH_MARKS = ('"', "''", "″", "”")
TEMPERATURE_CONTEXT = frozenset("""temperature temperatures °c °f ° celsius fahrenheit kelvin degrees thermostat
heat cold hot warm""".split())
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
                        "millennium", "millisecond", "microsecond", "nanosecond"})
# Maturities are labels, not measures: "the 10-year yield"
MATURITY_NOUNS = frozenset("""yield yields bond bonds note notes treasury treasuries gilt gilts bund bunds bill bills
paper debt mortgage mortgages loan loans swap swaps rate rates maturity maturities tenor jgb jgbs obligation
obligations term""".split())

# --------------------------------------------------------------------------------------------------
# Hedges: the qualifier a writer puts before a figure

HEDGES = {
    "approx": ("nearly", "about", "around", "roughly", "approximately", "approx.", "approx", "almost",
               "close to", "some", "an estimated", "estimated", "circa", "ca.", "c.", "~", "around about",
               "just about", "more or less", "or so", "an approximate", "approaching", "about some",
               "nigh on", "the best part of", "the better part of", "roughly about", "somewhere around",
               "somewhere near", "in the region of", "near", "virtually", "practically"),
    "over": ("more than", "over", "above", "at least", "exceeding", "upwards of", "upward of", "in excess of",
             "north of", "greater than", "higher than", "no less than", "not less than", "just over",
             "well over", "well above", "just above", "a little over", "slightly over", "slightly more than",
             "well in excess of", "beyond", "minimum of", "a minimum of", "no fewer than", "not fewer than",
             "as little as", "as few as", "as low as", "better than", "over and above", "topping", "surpassing",
             "more then", "+"),
    "under": ("less than", "under", "below", "at most", "fewer than", "up to", "no more than", "not more than",
              "lower than", "just under", "just below", "shy of", "just shy of", "short of", "just short of",
              "as much as", "as many as", "as high as", "a maximum of", "maximum of", "a little under",
              "slightly under", "slightly less than", "well under", "well below", "not exceeding", "within",
              "barely", "only just under", "no higher than", "nearly up to"),
}
HEDGE_WORDS = {phrase: q for q, phrases in HEDGES.items() for phrase in phrases}

# --------------------------------------------------------------------------------------------------
# Change: words that make a figure the size of a change, with its direction

CHANGE_UP_VERBS = """rose rise rises rising risen increased increase increases increasing grew grow grows growing
grown gained gain gains gaining jumped jump jumps jumping surged surge surges surging soared soar soars soaring
climbed climb climbs climbing rallied rally rallies rallying advanced advance advances advancing appreciated
appreciate appreciates appreciating expanded expand expands expanding improved improve improves improving
rebounded rebound rebounds rebounding spiked spike spikes spiking leapt leaped leap leaps leaping
boosted boost boosts raised raise raises raising added add adds adding accelerated swelled swell swells
ballooned rocketed skyrocketed shot picked firmed strengthened recovered recover recovers outperformed hiked
inched edged ticked crept risen widened widen widens widening""".split()
CHANGE_DOWN_VERBS = """fell fall falls falling fallen dropped drop drops dropping decreased decrease decreases
decreasing declined decline declines declining slipped slip slips slipping slid slide slides sliding sank sink
sinks sinking sunk tumbled tumble tumbles tumbling plunged plunge plunges plunging plummeted plummet plummets
plummeting dipped dip dips dipping lost lose loses losing shed sheds shedding eased ease eases easing contracted
contract contracts contracting shrank shrink shrinks shrinking shrunk cut cuts cutting reduced reduce reduces
reducing lowered lower lowers lowering slumped slump slumps slumping retreated retreat retreats retreating
depreciated depreciate depreciates depreciating dived dove dive dives diving crashed crash crashes sagged slowed
weakened weaken weakens tanked slashed slashing trimmed trim shaved narrowed narrow narrows receded
underperformed""".split()
# Verbs that move a metric only when the figure is a rate or an index
# level: "lost 3%" is a change, "lost $5m" is a loss.
WEAK_CHANGE_VERBS = frozenset({"lost", "lose", "loses", "losing", "cut", "cuts", "cutting", "shed", "sheds",
                               "shedding", "added", "add", "adds", "adding", "gained", "gain", "gains", "gaining",
                               "raised", "raise", "raises", "raising", "boosted", "boost", "boosts", "trimmed",
                               "trim", "reduced", "reduce", "reduces", "reducing", "lowered", "lower", "lowers",
                               "lowering", "slashed", "slashing", "hiked", "picked", "shot", "shaved", "narrowed",
                               "narrow", "narrows", "improved", "improve", "improves", "improving", "recovered",
                               "recover", "recovers", "expanded", "expand", "expands", "expanding", "contracted",
                               "contract", "contracts", "contracting", "advance", "advances", "advanced",
                               "advancing", "eased", "ease", "eases", "easing", "climb", "climbs"})
# "inched up 2%", "edged down 0.1%": the particle gives the direction
PARTICLE_VERBS = frozenset({"inched", "edged", "ticked", "crept", "picked", "shot", "moved", "went", "came",
                            "was", "were", "is", "are", "been", "be", "ended", "closed", "finished", "traded",
                            "revised", "marked"})
CHANGE_UP_NOUNS = """increase increases rise rises gain gains growth jump jumps surge surges climb climbs hike hikes
boost boosts improvement improvements rebound rebounds upturn uptick increment spike spikes advance advances rally
expansion appreciation leap leaps upswing""".split()
CHANGE_DOWN_NOUNS = """decrease decreases decline declines drop drops fall falls dip dips slump slumps slide slides
reduction reductions cut cuts contraction downturn downtick plunge plunges tumble loss losses shrinkage depreciation
retreat slowdown""".split()
# after a figure: "a 42% increase", "11% lower"
CHANGE_UP_AFTER = frozenset(CHANGE_UP_NOUNS) | {"higher", "more", "up", "bigger", "larger", "greater", "dearer",
                                                "pricier", "stronger", "faster", "increase", "rise"}
CHANGE_DOWN_AFTER = frozenset(CHANGE_DOWN_NOUNS) | {"lower", "less", "down", "smaller", "fewer", "cheaper",
                                                    "weaker", "slower", "drop", "fall", "decline", "decrease"}
# Adverbs that may stand between a change verb and its figure
CHANGE_ADVERBS = """by sharply slightly significantly markedly strongly steadily modestly only just a further another
an additional further respectively overall marginally substantially dramatically considerably notably
year-on-year year-over-year annually again some also even already quickly rapidly roughly""".split()
MULTIPLIER_VERBS = {"doubled": 100.0, "doubling": 100.0, "doubles": 100.0, "tripled": 200.0, "trebled": 200.0,
                    "tripling": 200.0, "triples": 200.0, "quadrupled": 300.0, "quadrupling": 300.0,
                    "quintupled": 400.0, "halved": -50.0, "halving": -50.0, "halves": -50.0}

# --------------------------------------------------------------------------------------------------
# Closed word classes for reading counted nouns and number contexts

MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
          "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = frozenset("""monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun""".split())
MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
            r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
WEEKDAY_RE = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?"

PREPOSITIONS = frozenset("""of in on at to for from by with about as into than per over under between among across
after before since until till through during against within without via like near off onto upon around toward
towards behind beyond versus vs amid despite except past plus minus regarding throughout inside outside""".split())
DETERMINERS = frozenset("""the a an this that these those each every any no some another which what whose its their
his her our my your one's such both either neither all most many much few several own same other""".split())
PRONOUNS = frozenset("""i you he she it we they me him us them who whom whose which that what myself yourself itself
themselves ourselves himself herself one ones anyone someone everyone nobody somebody everybody something anything
nothing everything""".split())
CONJUNCTIONS = frozenset("""and or but nor yet so if when while because although though whereas unless whether
then also""".split())
AUXILIARIES = frozenset("""is are was were be been being am has have had do does did will would shall should may
might can could must""".split())
ADVERBS = frozenset("""ago earlier later more less each apiece too also only just alone again already still even ever
never not now then there here yet so very much almost nearly about around roughly respectively annually a year
year-on-year yearly overall altogether total combined instead back up down out away forward ahead apart
later""".split())
# Words ending in "s" that are not plural nouns
NOT_PLURAL = frozenset("""is was has does as us its his hers this thus yes less unless across always perhaps whereas
besides afterwards towards sometimes plus minus various previous serious famous numerous obvious enormous tremendous
dangerous ambitious anonymous continuous gorgeous jealous nervous precious religious tedious vicious conscious
generous curious cautious anxious furious glorious mysterious nervous gas bus lens plus bonus status virus campus
census focus chorus basis crisis thesis analysis diagnosis emphasis axis news series species means mathematics
physics economics politics athletics gymnastics ethics aerobics electronics logistics says goes does seems remains
makes takes comes gets gives shows looks needs wants leads rises falls grows stands holds keeps includes puts runs
sits sets uses works plays lies begins ends follows tells asks feels becomes brings helps moves pays turns starts
means hits adds cuts drops gains jumps loses surges climbs slips tops marks represents accounts equals totals
exceeds reaches hosts owns employs serves sells buys houses covers contains ranks trails leads lags boasts
whereas ours yours theirs nevertheless regardless besides""".split())
IRREGULAR_PLURALS = frozenset("""people children men women police staff personnel cattle sheep fish deer aircraft
teeth mice geese feet persons folk folks livestock poultry swine bison moose salmon trout offspring spacecraft
hovercraft""".split())
# Adjectives skipped between a number and its noun ("3 new stores")
COUNT_ADJECTIVES = frozenset("""new more additional extra other full-time part-time young old small large big major
minor local foreign domestic international national registered active unique monthly daily weekly annual paying
eligible unemployed former current existing separate different individual independent total straight consecutive
successive key top leading senior junior electric private public retail online physical medium mid-sized
small-sized large-scale smaller larger bigger fewer confirmed reported suspected known estimated possible potential
remaining surviving missing dead injured wounded armed civilian military american chinese british european
indian japanese korean german french russian global regional rural urban permanent temporary skilled unskilled
low-income high-income middle-income first-time full partial specific similar such distinct distinctive
qualified licensed certified official unofficial newly recently brand-new used second-hand hybrid
electric-vehicle""".split())
# Words before a bare "one" that make it a pronoun ("the one that", "which one")
ONE_PRONOUN_BEFORE = frozenset("""the this that which each every any no some another only last next whichever what
such own little big new old right wrong same other first second current previous better best favourite
favorite""".split())
ONE_PRONOUN_AFTER = frozenset("""of another by after day way thing side hand who which that you another's more
one""".split())

# Words that label the number after them: "page 3", "Section 230", "exit 436"
IDENTIFIER_BEFORE = frozenset("""page pages chapter chapters chap ch section sections sec article articles art
clause clauses paragraph para item items exhibit appendix annex figure fig table tables line lines row rows column
columns verse psalm room gate gates flight flights platform bus route routes exit exits highway interstate
junction apartment apt suite floor building block lot plot version ver release model episode ep season series
volume vol issue number nr nrs week weeks act scene level grade size case docket bill resolution order rule
regulation amendment title part step stage phase round game match track tier zone district ward precinct region
sector area channel exercise exercises ticket account id code pin serial batch unit units lane pier terminal berth
car cars seat seats box slide slides question questions problem problems lesson lessons class form schedule
category type division league group pool heat lap hole holes rule rules sample""".split())
# Words after a number that make it part of an address ("10 Downing Street")
STREET_WORDS = ("Street", "St", "Road", "Rd", "Avenue", "Ave", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr",
                "Way", "Place", "Pl", "Square", "Sq", "Court", "Ct", "Terrace", "Crescent", "Close", "Parkway",
                "Pkwy", "Highway", "Hwy", "Row", "Mews", "Walk", "Gardens", "Plaza", "Circle", "Broadway")
# Words before a 4-digit number that make it a year
YEAR_BEFORE = frozenset("""in since by from until till to before after during for through circa around early late
mid mid- of year years fiscal fy season class spring summer autumn fall winter january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec between and
or since, 's this next last every q1 q2 q3 q4 h1 h2 the""".split())
# Capitalised words that start a sentence or clause and may stand before a number
# without naming it ("Nearly 40%", "About 12"): not model names.
CAPITALISED_FUNCTION_WORDS = (PREPOSITIONS | DETERMINERS | PRONOUNS | CONJUNCTIONS | AUXILIARIES | ADVERBS
                              | frozenset(HEDGE_WORDS) | frozenset("""nearly about around roughly some over
under only just sold bought added lost cut raised paid earned made won saw had got hired fired killed injured
employed shipped delivered reported recorded posted totalled totaled reached hit estimated exactly precisely
top among another approximately almost more less fewer least most than still even also another today yesterday
and here there overall total including excluding plus around""".split()))
# Period nouns after an ordinal: "the first quarter", "the second half"
PERIOD_NOUNS = frozenset("""quarter quarters half halves week weeks day days month months year years decade decades
century centuries millennium semester semesters trimester term terms season seasons session sessions hour hours
minute minutes anniversary birthday time times round rounds leg legs weekend weekends night nights morning
mornings evening evenings inning innings period periods edition editions generation generations wave waves
reading readings grade grades floor floors person instance glance sight thought thoughts name names base cousin
cousins gear nature language languages string party parties rate degree world aid lady ladies class classes hand
opinion opinions chance chances fiddle guess guesses impression impressions mate officer officers lieutenant
sergeant baron earl duke amendment avenue street century-old date dates""".split())
# Hyphenated second parts that make an ordinal an adjective, not a rank
RANK_HYPHEN_BLOCK = frozenset("""ever hand party class rate degree time timer born generation half quarter tier round
person placed string team choice line year largest-ever""".split())
SUPERLATIVE_AFTER = frozenset("""largest biggest highest lowest best worst most least richest poorest busiest
fastest strongest smallest oldest youngest greatest longest tallest deadliest costliest cheapest leading
best-selling top-selling most-valuable most-visited most-populous""".split())
AGE_WORDS = ("years old", "year old", "year-old", "years-old", "years of age", "year of age", "months old",
             "month old", "month-old", "months of age", "weeks old", "week old", "week-old", "weeks of age",
             "days old", "day old", "day-old", "days of age")


def compile_phrases(phrases, flags: int = re.I) -> str:
    """An alternation of phrases, longest first, spaces matching any run of
    blanks: the order makes the regex prefer "per cent" to "per"."""
    alts = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in alts)
