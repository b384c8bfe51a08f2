"""Data tables behind the synthetic caseload: name, place and charge pools with their weights.

Everything here is data, kept apart from the generator so it can be read and argued about.
Weights are relative (each table is normalised where it is used). Names come from Faker's
weighted en_US lists and its (unweighted) es_MX lists, plus short embedded lists of common
surnames Faker lacks; Faker is read once for its tables, never called per row.

Proportions are rough public figures for San Francisco felony drug arrests and bookings
(SF District Attorney and Sheriff dashboards, CA DOJ OpenJustice), good enough that counts,
collisions and missing values look like a real caseload. They are not statistics.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy.typing as npt
from faker.providers.person.en_US import Provider as EnUsPerson
from faker.providers.person.es_MX import Provider as EsMxPerson

Arr = npt.NDArray[Any]
EPOCH = datetime.date(1970, 1, 1)
LOWER = "abcdefghijklmnopqrstuvwxyz"

# --- People ---------------------------------------------------------------------------------

# Share of person rows that are a second record of an earlier person (booked under a variant
# of the name or date of birth, not matched by the booking system).
NEAR_DUPLICATE_SHARE = 0.02

# The drug-felony caseload is mostly men.
SEX_WEIGHTS: dict[str, float] = {"male": 0.80, "female": 0.185, "nonbinary": 0.005, "": 0.01}

# SF drug-felony caseload by race as recorded by the arresting agency; "" = not recorded.
RACE_WEIGHTS: dict[str, float] = {
    "black": 0.40,
    "hispanic": 0.30,
    "white": 0.15,
    "asian": 0.08,
    "pacific_islander": 0.02,
    "native_american": 0.01,
    "other": 0.02,
    "": 0.02,
}

# Share of Hispanic people with a Spanish given name (the rest have common US names).
HISPANIC_SPANISH_GIVEN_SHARE = 0.6
# Share of a Spanish-name pool's weight spread evenly over Faker's long es_MX tail.
SPANISH_TAIL_SHARE = 0.15
# Pacific Islander people with a Polynesian surname (the rest: common US surnames).
PACIFIC_SURNAME_SHARE = 0.7

MIDDLE_NAME_SHARE = 0.45
# Suffixes, men only ("" = none).
SUFFIX_WEIGHTS: dict[str, float] = {"": 0.957, "Jr": 0.03, "II": 0.006, "III": 0.004, "Sr": 0.003}

PHONE_SHARE = 0.7  # the rest have no phone on file
EMAIL_SHARE = 0.35
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved, RFC 2606
NO_ADDRESS_SHARE = 0.05  # unhoused or not recorded

# Census-style weights (thousands of people) for common US Hispanic surnames.
HISPANIC_SURNAMES: dict[str, float] = {
    "Garcia": 1166, "Rodriguez": 1094, "Martinez": 1060, "Hernandez": 1043, "Lopez": 874,
    "Gonzalez": 841, "Perez": 488, "Sanchez": 441, "Ramirez": 388, "Torres": 325,
    "Flores": 312, "Rivera": 308, "Gomez": 281, "Diaz": 250, "Reyes": 215, "Morales": 210,
    "Cruz": 200, "Ortiz": 195, "Gutierrez": 190, "Chavez": 185, "Ramos": 170, "Ruiz": 160,
    "Alvarez": 157, "Mendoza": 155, "Castillo": 150, "Jimenez": 145, "Vasquez": 140,
    "Moreno": 135, "Romero": 130, "Herrera": 128, "Medina": 125, "Aguilar": 120,
    "Castro": 113, "Vargas": 110, "Fernandez": 108, "Guzman": 105, "Munoz": 103,
    "Mendez": 100, "Salazar": 98, "Soto": 96, "Delgado": 94, "Pena": 92, "Rios": 90,
    "Alvarado": 89, "Sandoval": 88, "Contreras": 87, "Valdez": 86, "Guerrero": 85,
    "Ortega": 84, "Estrada": 83, "Nunez": 82, "Maldonado": 80, "Vega": 79,
    "Dominguez": 78, "Cervantes": 60, "Rojas": 60, "Navarro": 60, "Campos": 58,
    "Juarez": 58, "Cortez": 55, "Luna": 55, "Avila": 55, "Molina": 55, "Acosta": 55,
    "Figueroa": 50, "Espinoza": 50, "Padilla": 50, "Ayala": 48, "Fuentes": 46, "Lara": 46,
    "Cardenas": 45, "Ibarra": 44, "Ochoa": 42, "Velasquez": 42, "Zamora": 40, "Solis": 40,
}  # fmt: skip

HISPANIC_GIVEN_MALE: dict[str, float] = {
    "Jose": 100, "Juan": 70, "Luis": 55, "Carlos": 50, "Jesus": 45, "Miguel": 40,
    "Jorge": 35, "Antonio": 33, "Francisco": 30, "Alejandro": 28, "Manuel": 26,
    "Ricardo": 24, "Mario": 22, "Pedro": 20, "Fernando": 20, "Roberto": 20, "Javier": 20,
    "Eduardo": 18, "Victor": 18, "Oscar": 17, "Raul": 16, "Rafael": 15, "Sergio": 15,
    "Ruben": 14, "Hector": 14, "Angel": 12, "Armando": 12, "Ernesto": 11, "Arturo": 11,
    "Alberto": 11, "Edgar": 11, "Cesar": 10, "Salvador": 10, "Ramon": 10, "Julio": 10,
    "Martin": 10, "Adrian": 10, "Enrique": 9, "Gerardo": 9, "Guillermo": 8, "Marco": 8,
    "Ivan": 8, "Omar": 8, "Erick": 7, "Alfredo": 7, "Andres": 7, "Ignacio": 6,
    "Rodrigo": 6, "Gustavo": 6, "Israel": 6,
}  # fmt: skip

HISPANIC_GIVEN_FEMALE: dict[str, float] = {
    "Maria": 100, "Guadalupe": 30, "Rosa": 25, "Ana": 25, "Elizabeth": 20, "Veronica": 18,
    "Claudia": 16, "Patricia": 15, "Gabriela": 15, "Adriana": 14, "Leticia": 12,
    "Yesenia": 12, "Alejandra": 12, "Monica": 12, "Laura": 12, "Diana": 12, "Sandra": 12,
    "Jessica": 12, "Martha": 10, "Silvia": 10, "Teresa": 10, "Brenda": 10, "Carmen": 10,
    "Vanessa": 10, "Karina": 9, "Erika": 9, "Araceli": 8, "Marisol": 8, "Cristina": 8,
    "Juana": 8, "Norma": 8, "Blanca": 8, "Lorena": 8, "Alma": 7, "Sofia": 6, "Lucia": 6,
    "Irma": 6,
}  # fmt: skip

# Common Chinese, Vietnamese, Filipino, Korean and Japanese surnames in San Francisco.
ASIAN_SURNAMES: dict[str, float] = {
    "Wong": 60, "Lee": 60, "Chan": 55, "Chen": 40, "Lam": 30, "Li": 20, "Leung": 20,
    "Ng": 20, "Ho": 18, "Liu": 15, "Huang": 15, "Wu": 15, "Lin": 15, "Yee": 15, "Yu": 12,
    "Tam": 12, "Cheung": 12, "Fong": 12, "Lau": 12, "Zhang": 10, "Louie": 10, "Kwan": 8,
    "Mak": 6, "Tsang": 6, "Yip": 6,
    "Nguyen": 70, "Tran": 40, "Le": 30, "Pham": 25, "Huynh": 15, "Hoang": 10, "Vo": 10,
    "Dang": 8, "Bui": 8, "Do": 8, "Ly": 8, "Truong": 8, "Ngo": 6, "Duong": 6,
    "Santos": 20, "Reyes": 18, "Cruz": 18, "Bautista": 12, "Dela Cruz": 12, "Garcia": 10,
    "Mendoza": 10, "Ramos": 10, "Aquino": 8, "Villanueva": 8, "Gonzales": 8, "Castillo": 6,
    "Fernandez": 6, "Torres": 6, "Flores": 6, "Domingo": 6, "Navarro": 5, "Pascual": 5,
    "Manalo": 5, "Soriano": 5,
    "Kim": 25, "Park": 15, "Choi": 8, "Tanaka": 4, "Nakamura": 4, "Yamamoto": 4, "Sok": 5,
}  # fmt: skip

PACIFIC_SURNAMES: tuple[str, ...] = (
    "Faleolo", "Leota", "Fonoti", "Taufa", "Tupou", "Fifita", "Mataele", "Tuilagi", "Sapolu",
    "Aumua", "Fuimaono", "Tago", "Mauga", "Toleafoa", "Vaifale", "Kaufusi", "Havili", "Latu",
    "Vea", "Moala", "Kealoha", "Kahale", "Akana", "Tuiasosopo", "Pouono",
)  # fmt: skip

# Given name -> nicknames people are booked under or give officers.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jimmy"), "John": ("Johnny", "Jack"), "Michael": ("Mike",),
    "Christopher": ("Chris",), "Anthony": ("Tony",), "Joseph": ("Joe", "Joey"),
    "Jose": ("Joe", "Pepe"), "Richard": ("Rick", "Richie"), "Daniel": ("Dan", "Danny"),
    "David": ("Dave",), "Thomas": ("Tom", "Tommy"), "Charles": ("Charlie", "Chuck"),
    "Jonathan": ("Jon",), "Matthew": ("Matt",), "Andrew": ("Andy", "Drew"),
    "Nicholas": ("Nick",), "Edward": ("Eddie", "Ed"), "Steven": ("Steve",),
    "Stephen": ("Steve",), "Timothy": ("Tim",), "Kenneth": ("Ken", "Kenny"),
    "Ronald": ("Ron",), "Donald": ("Don",), "Gregory": ("Greg",), "Jeffrey": ("Jeff",),
    "Joshua": ("Josh",), "Benjamin": ("Ben",), "Samuel": ("Sam",), "Alexander": ("Alex",),
    "Francisco": ("Frank", "Paco", "Pancho"), "Jesus": ("Chuy",), "Guillermo": ("Memo",),
    "Alejandro": ("Alex",), "Roberto": ("Beto",), "Alberto": ("Beto",),
    "Eduardo": ("Lalo",), "Enrique": ("Quique",), "Ignacio": ("Nacho",),
    "Manuel": ("Manny",), "Antonio": ("Tony",), "Raymond": ("Ray",), "Lawrence": ("Larry",),
    "Jennifer": ("Jen", "Jenny"), "Elizabeth": ("Liz", "Beth"),
    "Katherine": ("Kate", "Katie"), "Jessica": ("Jess",), "Patricia": ("Pat", "Trish"),
    "Margaret": ("Maggie", "Peggy"), "Rebecca": ("Becky",), "Deborah": ("Debbie",),
    "Kimberly": ("Kim",), "Christina": ("Tina",), "Samantha": ("Sam",),
    "Victoria": ("Vicky",), "Guadalupe": ("Lupe",),
}  # fmt: skip

# --- Places ---------------------------------------------------------------------------------

# Where defendants live: mostly San Francisco, then the Bay Area cities BART and the freeways
# connect to it. city -> (weight, county, zip codes).
CITIES: dict[str, tuple[float, str, tuple[str, ...]]] = {
    "San Francisco": (0.84, "San Francisco", ()),  # zips from SF_ZIP_WEIGHTS
    "Oakland": (0.05, "Alameda", ("94601", "94603", "94605", "94606", "94607", "94621")),
    "Daly City": (0.025, "San Mateo", ("94014", "94015")),
    "Richmond": (0.02, "Contra Costa", ("94801", "94804", "94806")),
    "South San Francisco": (0.015, "San Mateo", ("94080",)),
    "San Leandro": (0.01, "Alameda", ("94577", "94578")),
    "Hayward": (0.01, "Alameda", ("94541", "94544")),
    "Vallejo": (0.01, "Solano", ("94589", "94590", "94591")),
    "San Mateo": (0.008, "San Mateo", ("94401", "94403")),
    "Antioch": (0.007, "Contra Costa", ("94509", "94531")),
    "Pacifica": (0.005, "San Mateo", ("94044",)),
}

# SF residence of drug-felony defendants concentrates in the Tenderloin, SoMa, the Mission
# and Bayview-Hunters Point.
SF_ZIP_WEIGHTS: dict[str, float] = {
    "94102": 12, "94103": 12, "94110": 12, "94124": 12, "94112": 8, "94109": 7, "94134": 6,
    "94107": 4, "94115": 4, "94117": 3, "94122": 3, "94132": 3, "94133": 3, "94121": 2,
    "94116": 2, "94118": 2, "94114": 2, "94131": 2, "94108": 2, "94111": 1, "94123": 1,
    "94127": 1, "94130": 1, "94158": 1, "94105": 1, "94104": 0.5,
}  # fmt: skip

SF_STREETS: tuple[str, ...] = (
    "Mission St", "Market St", "Valencia St", "Folsom St", "Howard St", "Harrison St",
    "Bryant St", "Geary Blvd", "Turk St", "Eddy St", "Ellis St", "O'Farrell St", "Hyde St",
    "Leavenworth St", "Jones St", "Taylor St", "Larkin St", "Polk St", "Van Ness Ave",
    "3rd St", "6th St", "16th St", "24th St", "Palou Ave", "Oakdale Ave", "Ingalls St",
    "Hudson Ave", "Newcomb Ave", "Revere Ave", "Jennings St", "Keith St", "Geneva Ave",
    "Ocean Ave", "San Bruno Ave", "Alemany Blvd", "Persia Ave", "Excelsior Ave",
    "Sunnydale Ave", "Hayes St", "Fell St", "Oak St", "Page St", "Haight St", "Fillmore St",
    "Divisadero St", "Golden Gate Ave", "McAllister St", "Fulton St", "Irving St",
    "Judah St", "Noriega St", "Taraval St", "Balboa St", "Clement St", "Castro St",
    "Church St", "Dolores St", "Guerrero St", "South Van Ness Ave", "Cesar Chavez St",
    "Potrero Ave", "Stockton St", "Grant Ave", "Kearny St", "Columbus Ave", "Broadway",
    "Pacific Ave", "Jackson St", "Clay St", "Sacramento St", "California St", "Pine St",
    "Bush St", "Sutter St", "Post St", "Lombard St", "Silver Ave", "Cortland Ave",
    "Brazil Ave", "Mission Bay Blvd", "Evans Ave", "Hunters Point Blvd", "Kirkwood Ave",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = ("St", "Ave", "Blvd", "Way", "Dr", "Ct", "Pl")
APARTMENT_SHARE = 0.3

# --- Courts and agencies --------------------------------------------------------------------

SF_COURT = "San Francisco Superior Court"
# Docket prefix per court (numbers are unique within a court and filing year).
COURT_DOCKET_PREFIX: dict[str, str] = {
    SF_COURT: "CRI",
    "Alameda County Superior Court": "ALA-CR",
    "San Mateo County Superior Court": "SM-CR",
}
# Court by county of residence: nearly every case is filed in San Francisco; some people who
# live in a neighbouring county were arrested and charged there.
COURT_BY_COUNTY: dict[str, dict[str, float]] = {
    "Alameda": {SF_COURT: 0.8, "Alameda County Superior Court": 0.2},
    "San Mateo": {SF_COURT: 0.8, "San Mateo County Superior Court": 0.2},
    "": {
        SF_COURT: 0.97,
        "Alameda County Superior Court": 0.015,
        "San Mateo County Superior Court": 0.015,
    },
}
AGENCY_BY_COURT: dict[str, dict[str, float]] = {
    SF_COURT: {"SFPD": 0.85, "SFSO": 0.05, "BART PD": 0.06, "CHP": 0.04},
    "Alameda County Superior Court": {"Oakland PD": 0.6, "BART PD": 0.25, "CHP": 0.15},
    "San Mateo County Superior Court": {
        "Daly City PD": 0.5,
        "SMCSO": 0.2,
        "BART PD": 0.15,
        "CHP": 0.15,
    },
}

# --- Cases ----------------------------------------------------------------------------------

SECOND_CASE_SHARE = 0.15
# Filing-date density grows by this factor per year from 2005 (the program's caseload and
# the data kept about it grow; recent years matter most for screening).
RECENCY_GROWTH_PER_YEAR = 1.12
# Days from arrest to filing (arraignment within 48 court hours).
FILING_LAG_WEIGHTS: dict[int, float] = {1: 0.35, 2: 0.3, 3: 0.2, 4: 0.1, 5: 0.05}
# Share of arrests made on a warrant, where the offense predates the arrest.
WARRANT_ARREST_SHARE = 0.12
# Current-case status by age of the case: fresh cases are open; older ones are resolved.
STATUS_WEIGHTS_RECENT: dict[str, float] = {  # filed less than a year ago
    "open": 0.92, "diverted": 0.03, "dismissed": 0.025, "sentenced": 0.015, "closed": 0.01,
}  # fmt: skip
STATUS_WEIGHTS_MIDDLE: dict[str, float] = {  # one to three years
    "open": 0.78, "diverted": 0.08, "dismissed": 0.06, "sentenced": 0.05, "closed": 0.03,
}  # fmt: skip
STATUS_WEIGHTS_OLD: dict[str, float] = {  # older: warrants keep some open
    "open": 0.5, "diverted": 0.02, "dismissed": 0.18, "sentenced": 0.18, "closed": 0.12,
}  # fmt: skip
STATUS_WEIGHTS_EARLIER_CASE: dict[str, float] = {  # a person's earlier of two cases
    "open": 0.05, "diverted": 0.03, "dismissed": 0.3, "sentenced": 0.42, "closed": 0.2,
}  # fmt: skip

# --- Charges --------------------------------------------------------------------------------

DRUG_LEAD_SHARE = 0.9
# Count 1 of a drug case: weighted toward possession for sale and sale (HS 11351, 11351.5,
# 11352, 11378, 11379), the program's target offenses, then simple possession.
LEAD_DRUG_WEIGHTS: dict[str, float] = {
    "HS 11352": 20, "HS 11351": 18, "HS 11378": 12, "HS 11351.5": 10, "HS 11350": 10,
    "HS 11377": 10, "HS 11379": 8, "HS 11359": 5, "HS 11360": 4, "HS 11366": 1,
    "HS 11368": 1, "HS 11378.5": 0.5, "HS 11379.6": 0.5,
}  # fmt: skip
# Count 1 of the other tenth: the property and violent felonies SF drug defendants also face.
LEAD_OTHER_WEIGHTS: dict[str, float] = {
    "PC 459": 25, "VC 10851": 15, "PC 496": 15, "PC 245(a)(1)": 13, "PC 273.5": 12,
    "PC 211": 10, "PC 487": 10,
}  # fmt: skip
# Sale and possession for sale of the same drug are usually charged together.
COMPANION_SHARE = 0.3
COMPANION_COUNT: dict[str, str] = {
    "HS 11352": "HS 11351", "HS 11351": "HS 11352", "HS 11351.5": "HS 11352",
    "HS 11378": "HS 11379", "HS 11379": "HS 11378", "HS 11359": "HS 11360",
    "HS 11360": "HS 11359", "PC 459": "PC 496", "VC 10851": "PC 496",
}  # fmt: skip
MAX_ADDITIONAL_COUNTS = 3


# code -> (probability per case, only with a drug lead). Enhancements (catalog level
# "enhancement") are numbered after the base counts and take count 1's level.
ADDITIONAL_COUNTS: dict[str, tuple[float, bool]] = {
    "HS 11364": (0.12, True),  # paraphernalia found at arrest
    "PC 148(a)(1)": (0.10, False),  # resisting
    "HS 11550": (0.06, False),  # under the influence
    "VC 14601.1": (0.04, False),  # driving on a suspended license
    "PC 12022(a)(1)": (0.03, False),  # armed with a firearm
    "PC 12022(c)": (0.01, True),  # armed in a drug felony
    "HS 11353.6": (0.02, True),  # near a school
    "HS 11370.1": (0.01, True),  # possession while armed
    "PC 29800": (0.02, False),  # felon with a firearm
    "PC 245(a)(1)": (0.015, False),  # assault with a deadly weapon
    "PC 186.22(b)": (0.01, False),  # gang enhancement
    "PC 422": (0.01, False),  # criminal threats
}
WOBBLER_FELONY_SHARE = 0.8  # a wobbler is charged as a felony this often
ENHANCEMENT_FLAG_NULL_SHARE = 0.02  # weapon/gang/near-school not recorded
OFFENSE_DATE_NULL_SHARE = 0.005
# A case carrying a code starting with one of these has the allegation on every count.
WEAPON_CODE_PREFIXES: tuple[str, ...] = ("PC 12022", "HS 11370.1")
GANG_CODE_PREFIXES: tuple[str, ...] = ("PC 186.22",)
NEAR_SCHOOL_CODE_PREFIXES: tuple[str, ...] = ("HS 11353.6",)

# --- Prior record ---------------------------------------------------------------------------

# P(any prior) = base + per_year * adult years before the current arrest, capped; counts of
# those with priors are 1 + negative binomial, capped at PRIOR_MAX.
PRIOR_ANY_BASE = 0.12
PRIOR_ANY_PER_YEAR = 0.035
PRIOR_ANY_CAP = 0.85
PRIOR_EXTRA_MEAN = 1.1  # mean extra events (beyond one) for those with priors
PRIOR_EXTRA_DISPERSION = 1.2  # negative binomial n: smaller = longer tail
PRIOR_MAX = 15
PRIOR_CONVICTION_SHARE = 0.5
PRIOR_WOBBLER_FELONY_SHARE = 0.55
PRIOR_VIOLENT_OR_SERIOUS_SHARE = 0.04  # of all (original) people
PRIOR_SEX_REGISTRABLE_SHARE = 0.005
PRIOR_DATE_NULL_SHARE = 0.03
PRIOR_LEVEL_UNKNOWN_SHARE = 0.02
PRIOR_CODE_UNKNOWN_SHARE = 0.02
PRIOR_JURISDICTION_WEIGHTS: dict[str, float] = {
    "CA": 0.93, "NV": 0.025, "OR": 0.015, "AZ": 0.015, "WA": 0.015,
}  # fmt: skip
# Everyday rap-sheet entries. Codes the catalog puts in violent, serious or sex_registrable
# are dropped from this pool at run time, so those shares stay as set above.
PRIOR_WEIGHTS: dict[str, float] = {
    "HS 11350": 10, "HS 11377": 10, "HS 11364": 8, "HS 11550": 8, "HS 11352": 6,
    "HS 11351": 4, "HS 11378": 3, "HS 11379": 3, "HS 11359": 2, "PC 459": 6, "PC 484": 6,
    "PC 148(a)(1)": 6, "PC 496": 5, "VC 14601.1": 5, "VC 10851": 4, "VC 23152(a)": 4,
    "PC 487": 3, "PC 273.5": 3, "PC 242": 3, "PC 594": 3, "PC 647(f)": 3, "PC 29800": 1,
}  # fmt: skip
# Preferred weights inside the catalog's violent/serious and sex-registrable pools; every
# other catalog code in those categories gets weight 1. Codes absent from the catalog are
# skipped (these are preferences, not requirements).
VIOLENT_SERIOUS_PREFERENCE: dict[str, float] = {
    "PC 211": 10, "PC 245(a)(1)": 10, "PC 422": 6, "PC 460(a)": 5, "PC 245(a)(4)": 4,
    "PC 215": 2, "PC 246": 2,
}  # fmt: skip
SEX_REGISTRABLE_PREFERENCE: dict[str, float] = {
    "PC 314": 4, "PC 243.4": 4, "PC 288(a)": 3, "PC 261(a)(2)": 2, "PC 647.6": 2,
    "PC 311.11": 2,
}  # fmt: skip
# Most specific first: a prior's category is the first of these its code is in.
CATEGORY_PRIORITY: tuple[str, ...] = (
    "sex_registrable", "violent", "serious", "weapon", "gang", "near_school",
    "drug_trafficking", "drug_sale", "drug_possession_for_sale", "drug_possession",
    "property", "other",
)  # fmt: skip

# --- Identifiers ----------------------------------------------------------------------------

STATE_ID_SHARE = 0.97  # CII number known (original records)
FBI_SHARE = 0.70
ALIAS_SHARE = 0.15
SECOND_ALIAS_SHARE = 0.3


def required_codes() -> frozenset[str]:
    """Every statute code the pools name as a requirement; all must be in the catalog."""
    codes: set[str] = set(LEAD_DRUG_WEIGHTS) | set(LEAD_OTHER_WEIGHTS) | set(PRIOR_WEIGHTS)
    codes |= set(COMPANION_COUNT) | set(COMPANION_COUNT.values()) | set(ADDITIONAL_COUNTS)
    return frozenset(codes)


# --- Name pools from Faker ------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """``Adán`` -> ``Adan``: booking systems mostly store names without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.split())


def _weighted(table: Mapping[str, float]) -> tuple[list[str], list[float]]:
    merged: dict[str, float] = {}
    for name, weight in table.items():
        key = ascii_fold(name)
        merged[key] = merged.get(key, 0.0) + float(weight)
    return list(merged), list(merged.values())


def _with_tail(
    head: Mapping[str, float], tail: Iterable[str], tail_share: float
) -> tuple[list[str], list[float]]:
    """``head`` weights plus ``tail_share`` of the total spread evenly over ``tail``."""
    names, weights = _weighted(head)
    known = set(names)
    extra = sorted({ascii_fold(n) for n in tail} - known)
    if extra:
        head_total = sum(weights)
        each = head_total * tail_share / (1 - tail_share) / len(extra)
        names += extra
        weights += [each] * len(extra)
    return names, weights


def _faker_weighted(table: object) -> dict[str, float]:
    if isinstance(table, Mapping):
        return {str(k): float(v) for k, v in table.items()}
    assert isinstance(table, Sequence)
    return {str(k): 1.0 for k in table}


NamePool = tuple[list[str], list[float]]


def name_pools() -> dict[str, NamePool]:
    """Named (names, weights) pools; read from Faker once per call."""
    us_male = _faker_weighted(EnUsPerson.first_names_male)
    us_female = _faker_weighted(EnUsPerson.first_names_female)
    us_last = _faker_weighted(EnUsPerson.last_names)
    return {
        "us_given_male": _weighted(us_male),
        "us_given_female": _weighted(us_female),
        "us_family": _weighted(us_last),
        "es_given_male": _with_tail(
            HISPANIC_GIVEN_MALE, EsMxPerson.first_names_male, SPANISH_TAIL_SHARE
        ),
        "es_given_female": _with_tail(
            HISPANIC_GIVEN_FEMALE, EsMxPerson.first_names_female, SPANISH_TAIL_SHARE
        ),
        "es_family": _with_tail(HISPANIC_SURNAMES, EsMxPerson.last_names, SPANISH_TAIL_SHARE),
        "asian_family": _weighted(ASIAN_SURNAMES),
        "pacific_family": _weighted(dict.fromkeys(PACIFIC_SURNAMES, 1.0)),
    }


# --- columnar helpers -----------------------------------------------------------------------
# Dates are int64 day numbers since 1970-01-01 until a frame is built; text columns are int
# ids into a Vocab (or a small tuple) until then, so a million rows cost arrays, not objects.
