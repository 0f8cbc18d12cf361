"""TODO: one sentence on what a row of eff_border_communities_2020 is, and what it cannot tell you.

Scaffolded by `python -m ingest new-source eff_border_communities_2020 --platform eff_border_communities` from data/eff_border_communities_2020/aos-bordercounties_-_01.10.2020.csv.
Its rows are read in the Atlas's columns (ATLAS_COLUMNS below, ingest/transform/atlas_layout.py): the
face-recognition rows become evidence and the others coverage, by the Atlas's own rules. A dataset that
is not about agencies and their technologies writes its own core rows in ingest/transform/eff_border_communities.py.
"""
DELIM = ","
# The columns every file of this platform must have: a file without one is refused, naming it.
REQUIRED = (
    'RefNo',
    'Agency',
    'City',
    'County',
    'State',
    'LEAType',
    'JurisdictionType',
    'TechnologyType',
    'Vendor',
    'Summary',
    'PrimaryLink',
    'ArchivedPrimaryLink',
    'DocumentType',
    'Source',
    'DocumentDate',
    'AdditionalLink1',
    'AdditionalLink2',
    'AdditionalLink3',
    'ArchivedAdditionalLink1',
    'AdditionalArchivedLink2',
    'AdditionalArchivedLink3',
)
# Atlas column -> this dataset's column. TODO: check the guesses, map what the dataset has, delete the rest.
ATLAS_COLUMNS = {
    'Agency': 'Agency',   # TODO: guessed, check
    'City': 'City',   # TODO: guessed, check
    'County': 'County',   # TODO: guessed, check
    'State': 'State',   # TODO: guessed, check
    'Vendor': 'Vendor',   # TODO: guessed, check
    'Summary': 'Summary',   # TODO: guessed, check
    'Technology': 'TechnologyType',   # TODO: guessed, check
    # 'AOSNUMBER': '',
    # 'Type of LEA': '',
    # 'Type of Juris': '',
    # 'Link 1': '',
    # 'Link 1 Source': '',
    # 'Link 1 Type': '',
    # 'Link 1 Date': '',
    # 'Link 1 Snapshot': '',
    # 'Link 2': '',
    # 'Link 2 Source': '',
    # 'Link 2 Type': '',
    # 'Link 2 Date': '',
    # 'Link 2 Snapshot': '',
    # 'Link 3': '',
    # 'Link 3 Source': '',
    # 'Link 3 Type': '',
    # 'Link 3 Date': '',
    # 'Link 3 Snapshot': '',
}
# How this dataset writes the technology "Face Recognition" (exact values, as found in the file). TODO: check.
FACE_RECOGNITION = ('Face Recognition', 'Face recognition')


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
