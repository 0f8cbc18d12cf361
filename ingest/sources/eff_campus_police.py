"""TODO: one sentence on what a row of eff_campus_police_2021 is, and what it cannot tell you.

Scaffolded by `python -m ingest new-source eff_campus_police_2021 --platform eff_campus_police` from data/eff_campus_police_2021/scholars_unders_surveillance_dataset_03-03-2021.csv.
Its rows are read in the Atlas's columns (ATLAS_COLUMNS below, ingest/transform/atlas_layout.py): the
face-recognition rows become evidence and the others coverage, by the Atlas's own rules. A dataset that
is not about agencies and their technologies writes its own core rows in ingest/transform/eff_campus_police.py.
"""
DELIM = ","
# The columns every file of this platform must have: a file without one is refused, naming it.
REQUIRED = (
    'Ref',
    'Agency',
    'City',
    'County',
    'State',
    'TypeofLEA',
    'TypeofJuris',
    'Technology',
    'Vendor',
    'Summary',
    'Link1',
    'Link1Source',
    'Link1Date',
    'Link1DateComment',
    'Link1Type',
    'Link2',
    'Link2Source',
    'Link2Date',
    'Link2DateComment',
    'Link2Type',
    'Link3',
    'Link3Source',
    'Link3Date',
    'Link3DateComment',
    'Link3Type',
    'OtherLinks',
)
# Atlas column -> this dataset's column. TODO: check the guesses, map what the dataset has, delete the rest.
ATLAS_COLUMNS = {
    'Agency': 'Agency',   # TODO: guessed, check
    'City': 'City',   # TODO: guessed, check
    'County': 'County',   # TODO: guessed, check
    'State': 'State',   # TODO: guessed, check
    'Type of LEA': 'TypeofLEA',   # TODO: guessed, check
    'Type of Juris': 'TypeofJuris',   # TODO: guessed, check
    'Technology': 'Technology',   # TODO: guessed, check
    'Vendor': 'Vendor',   # TODO: guessed, check
    'Summary': 'Summary',   # TODO: guessed, check
    'Link 1': 'Link1',   # TODO: guessed, check
    'Link 1 Source': 'Link1Source',   # TODO: guessed, check
    'Link 1 Type': 'Link1Type',   # TODO: guessed, check
    'Link 1 Date': 'Link1Date',   # TODO: guessed, check
    'Link 2': 'Link2',   # TODO: guessed, check
    'Link 2 Source': 'Link2Source',   # TODO: guessed, check
    'Link 2 Type': 'Link2Type',   # TODO: guessed, check
    'Link 2 Date': 'Link2Date',   # TODO: guessed, check
    'Link 3': 'Link3',   # TODO: guessed, check
    'Link 3 Source': 'Link3Source',   # TODO: guessed, check
    'Link 3 Type': 'Link3Type',   # TODO: guessed, check
    'Link 3 Date': 'Link3Date',   # TODO: guessed, check
    # 'AOSNUMBER': '',
    # 'Link 1 Snapshot': '',
    # 'Link 2 Snapshot': '',
    # 'Link 3 Snapshot': '',
}
# How this dataset writes the technology "Face Recognition" (exact values, as found in the file). TODO: check.
FACE_RECOGNITION = ('Face Recognition',)


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
