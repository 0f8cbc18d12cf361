"""What a summary says happened, sentence by sentence and vendor by vendor."""
import pytest

from ingest.claims import kind_from_summary

CLEARVIEW = ["Clearview AI", "Clearview"]
DATAWORKS = ["DataWorks Plus", "Dataworks", "DataWorks"]
NEC = ["NEC"]


@pytest.mark.parametrize("summary, own, others, kind", [
    ("In January 2020, the Volusia County Sheriff's Office completed a free 90-day trial of Clearview AI face "
     "recognition technology then paid $10,000 for six one-year licenses to continue using the system.",
     CLEARVIEW, DATAWORKS, "procured"),
    ("The Chino Police Department began testing AFR Engine's face recognition technology in 2019.",
     ["AFR Engine"], CLEARVIEW, "trialled"),
    ("The Raleigh Police Department began using Dataworks face recognition technology in 2015. It also subscribed "
     "to Clearview AI's face recognition system in 2019, but then ceased using the software after six months.",
     DATAWORKS, CLEARVIEW, "used"),
    ("The Raleigh Police Department began using Dataworks face recognition technology in 2015. It also subscribed "
     "to Clearview AI's face recognition system in 2019, but then ceased using the software after six months.",
     CLEARVIEW, DATAWORKS, "ended"),
    ("Investigators may upload an image to search more than 25-million Florida driver's license photos and mugshots.",
     ["Idemia"], CLEARVIEW, "used"),
    ("The Division shares images with agencies who sign a confidentiality agreement.", [], CLEARVIEW, "used"),
    ("The police chief denied using Clearview AI.", CLEARVIEW, [], "denied"),
    ("The office denied a public records request about face recognition.", CLEARVIEW, [], "used"),
    ("", CLEARVIEW, [], "used"),
])
def test_kind_from_summary(summary, own, others, kind):
    found, reason = kind_from_summary(summary, own, others)
    assert found == kind, reason
    assert reason
