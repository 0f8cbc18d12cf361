"""EFF's "Scholars Under Surveillance" dataset (2021): one row is one campus police agency and one technology,
with up to three dated links; like an Atlas row it says nothing about current use. Dates such as "16-Oct"
were mangled by a spreadsheet and read as unknown (rules/dates.py reads no date from them).

Scaffolded by `python -m ingest new-source eff_campus_police_2021 --platform eff_campus_police`
from data/eff_campus_police_2021/scholars_unders_surveillance_dataset_03-03-2021.csv.
Its rows are read in the Atlas's columns (ATLAS_COLUMNS below, ingest/transform/atlas_layout.py): the
face-recognition rows become evidence and the others coverage, by the Atlas's own rules. A dataset that
is not about agencies and their technologies writes its own core rows in its transform instead.
"""

DELIM = ","
# The columns every file of this platform must have: a file without one is refused, naming it.
REQUIRED = (
    "Ref",
    "Agency",
    "City",
    "County",
    "State",
    "TypeofLEA",
    "TypeofJuris",
    "Technology",
    "Vendor",
    "Summary",
    "Link1",
    "Link1Source",
    "Link1Date",
    "Link1DateComment",
    "Link1Type",
    "Link2",
    "Link2Source",
    "Link2Date",
    "Link2DateComment",
    "Link2Type",
    "Link3",
    "Link3Source",
    "Link3Date",
    "Link3DateComment",
    "Link3Type",
    "OtherLinks",
)
# Atlas column -> this dataset's column (OtherLinks and the LinkNDateComment notes stay in raw).
ATLAS_COLUMNS = {
    "AOSNUMBER": "Ref",
    "Agency": "Agency",
    "City": "City",
    "County": "County",
    "State": "State",
    "Type of LEA": "TypeofLEA",
    "Type of Juris": "TypeofJuris",
    "Technology": "Technology",
    "Vendor": "Vendor",
    "Summary": "Summary",
    "Link 1": "Link1",
    "Link 1 Source": "Link1Source",
    "Link 1 Type": "Link1Type",
    "Link 1 Date": "Link1Date",
    "Link 2": "Link2",
    "Link 2 Source": "Link2Source",
    "Link 2 Type": "Link2Type",
    "Link 2 Date": "Link2Date",
    "Link 3": "Link3",
    "Link 3 Source": "Link3Source",
    "Link 3 Type": "Link3Type",
    "Link 3 Date": "Link3Date",
}
# How this dataset writes the technology "Face Recognition" (exact values, as found in the file).
FACE_RECOGNITION = ("Face Recognition",)


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
