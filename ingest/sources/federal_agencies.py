"""USAspending's authoritative agency list (2019-06-13): one row is one federal sub-tier agency under its
top-tier department, with the abbreviations USAspending gives. It lists every federal sub-agency, most of them
not police, and says nothing about technology: the registry takes from it only the law-enforcement and
homeland-security components named in SELECTED, by their department (CGAC) and sub-tier codes.

Scaffolded by `python -m ingest new-source federal_agencies_usaspending --platform federal_agencies`
from data/usaspending/usaspending_authoritative_agency_list_2019-06-13.csv. Not an Atlas-layout dataset: its
transform writes registry agencies and their aliases itself.
"""

DELIM = ","
# The columns the transform reads: a file without one is refused, naming it. (The file has 24 columns, one of
# them, REGISTERED IN ASP, twice.)
REQUIRED = (
    "CGAC AGENCY CODE",
    "AGENCY NAME",
    "AGENCY ABBREVIATION",
    "SUBTIER CODE",
    "SUBTIER NAME",
    "SUBTIER ABBREVIATION",
    "WEBSITE",
)

# The rule: a sub-tier is in the registry when its mission is federal policing, investigation, border,
# immigration or custody enforcement, or protection, or it is the office that buys for such components (so
# that their awards keep their agency). Listed by (CGAC department code, sub-tier code), each with why and the
# other names it goes by (beyond the list's own name and abbreviation), as the agency's own site writes them.
# A sub-tier listed under two departments (the Secret Service under Treasury before 2003) is taken under the
# current one only.
SELECTED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    # Department of Homeland Security (070)
    ("070", "7012"): (
        "immigration enforcement and Homeland Security Investigations",
        ("Immigration and Customs Enforcement",),
    ),
    ("070", "7014"): ("border and ports-of-entry enforcement, Border Patrol", ("Customs and Border Protection",)),
    ("070", "7009"): ("protective and financial-crimes investigations", ("Secret Service",)),
    ("070", "7013"): ("airport screening and Federal Air Marshals", ()),
    ("070", "7008"): ("maritime law enforcement", ("Coast Guard",)),
    ("070", "7015"): ("trains federal law-enforcement officers", ()),
    ("070", "7003"): ("immigration benefits with biometric identity checks", ("Citizenship and Immigration Services",)),
    ("070", "7032"): ("homeland-security intelligence", ()),
    ("070", "7001"): ("buys for DHS headquarters components: its awards name it as the buyer", ()),
    # Department of Justice (015)
    ("015", "1549"): ("federal criminal investigation", ()),
    ("015", "1524"): ("drug law enforcement", ()),
    ("015", "1544"): ("fugitive, court and witness protection enforcement", ("U.S. Marshals", "USMS")),
    ("015", "1540"): ("federal custody", ("Federal Bureau of Prisons", "Bureau of Prisons", "BOP")),
    (
        "015",
        "1560",
    ): (
        "firearms and explosives enforcement; USAspending names ATF by its acquisition division",
        ("Bureau of Alcohol, Tobacco, Firearms and Explosives", "ATF"),
    ),
    ("015", "1501"): ("buys for DOJ's offices and divisions: its awards name it as the buyer", ()),
    # Other departments' police and investigative services
    ("018", "1810"): ("postal law enforcement", ("Postal Inspection Service",)),
    ("019", "1938"): (
        "the State Department's law-enforcement and protective service",
        ("Diplomatic Security Service",),
    ),
}


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
