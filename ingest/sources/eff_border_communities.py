"""EFF's "Atlas of Surveillance: Southwestern Border Communities" dataset (2020): one row is one agency and one
technology in a border county of AZ, CA, NM or TX, with a primary link (its source, type, date and archived
copy) and up to three more. "Iris scanning" is not face recognition. Dates such as "17-Nov" were mangled by a
spreadsheet and read as unknown (rules/dates.py reads no date from them).

Scaffolded by `python -m ingest new-source eff_border_communities_2020 --platform eff_border_communities`
from data/eff_border_communities_2020/aos-bordercounties_-_01.10.2020.csv.
Its rows are read in the Atlas's columns (ATLAS_COLUMNS below, ingest/transform/atlas_layout.py): the
face-recognition rows become evidence and the others coverage, by the Atlas's own rules. A dataset that
is not about agencies and their technologies writes its own core rows in its transform instead.
"""

DELIM = ","
# The columns every file of this platform must have: a file without one is refused, naming it.
REQUIRED = (
    "RefNo",
    "Agency",
    "City",
    "County",
    "State",
    "LEAType",
    "JurisdictionType",
    "TechnologyType",
    "Vendor",
    "Summary",
    "PrimaryLink",
    "ArchivedPrimaryLink",
    "DocumentType",
    "Source",
    "DocumentDate",
    "AdditionalLink1",
    "AdditionalLink2",
    "AdditionalLink3",
    "ArchivedAdditionalLink1",
    "AdditionalArchivedLink2",
    "AdditionalArchivedLink3",
)
# Atlas column -> this dataset's column. The third additional link and its archived copy stay in raw only.
ATLAS_COLUMNS = {
    "AOSNUMBER": "RefNo",
    "Agency": "Agency",
    "City": "City",
    "County": "County",
    "State": "State",
    "Type of LEA": "LEAType",
    "Type of Juris": "JurisdictionType",
    "Vendor": "Vendor",
    "Summary": "Summary",
    "Technology": "TechnologyType",
    "Link 1": "PrimaryLink",
    "Link 1 Source": "Source",
    "Link 1 Type": "DocumentType",
    "Link 1 Date": "DocumentDate",
    "Link 1 Snapshot": "ArchivedPrimaryLink",
    "Link 2": "AdditionalLink1",
    "Link 2 Snapshot": "ArchivedAdditionalLink1",
    "Link 3": "AdditionalLink2",
    "Link 3 Snapshot": "AdditionalArchivedLink2",
}
# How this dataset writes the technology "Face Recognition" (exact values, as found in the file).
FACE_RECOGNITION = ("Face Recognition", "Face recognition")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
