"""What a summary says happened, sentence by sentence and vendor by vendor."""

import pytest

from rules.claims import kind_from_summary

CLEARVIEW = ["Clearview AI", "Clearview"]
DATAWORKS = ["DataWorks Plus", "Dataworks", "DataWorks"]
NEC = ["NEC"]


@pytest.mark.parametrize(
    "summary, own, others, kind",
    [
        (
            "In January 2020, the Volusia County Sheriff's Office completed a free 90-day trial of Clearview AI face "
            "recognition technology then paid $10,000 for six one-year licenses to continue using the system.",
            CLEARVIEW,
            DATAWORKS,
            "procured",
        ),
        (
            "The Chino Police Department began testing AFR Engine's face recognition technology in 2019.",
            ["AFR Engine"],
            CLEARVIEW,
            "trialled",
        ),
        (
            "The Raleigh Police Department began using Dataworks face recognition technology in 2015. It also subscribed "
            "to Clearview AI's face recognition system in 2019, but then ceased using the software after six months.",
            DATAWORKS,
            CLEARVIEW,
            "used",
        ),
        (
            "The Raleigh Police Department began using Dataworks face recognition technology in 2015. It also subscribed "
            "to Clearview AI's face recognition system in 2019, but then ceased using the software after six months.",
            CLEARVIEW,
            DATAWORKS,
            "ended",
        ),
        # A capability ("may upload") and sharing images with others are not use: the source only lists the agency.
        (
            "Investigators may upload an image to search more than 25-million Florida driver's license photos and mugshots.",
            ["Idemia"],
            CLEARVIEW,
            "listed",
        ),
        ("The Division shares images with agencies who sign a confidentiality agreement.", [], CLEARVIEW, "listed"),
        ("The police chief denied using Clearview AI.", CLEARVIEW, [], "denied"),
        ("The office denied a public records request about face recognition.", CLEARVIEW, [], "listed"),
        ("", CLEARVIEW, [], "listed"),
        # Real Atlas 2020 summaries (AOS5386, AOS2578, AOS5390, AOS5404, AOS5418, AOS2587, AOS1102, AOS2844, AOS3632).
        (
            "The Wylie Police Department included Vigilant Solutions FaceSearch face recognition software in its 2021 budget.",
            ["Vigilant Solutions"],
            CLEARVIEW,
            "planned",
        ),
        (
            "The Ohio Bureau of Criminal Investigation operates a massive face recognition system. Hundreds of local, state, "
            "and federal agencies were able to access the system until fall 2019, when the Ohio Attorney General cut off "
            "access. The Attorney General is pursuing a $21.4 million upgrade through the vendor NEC in 2021.",
            NEC,
            CLEARVIEW,
            "planned",
        ),
        (
            "Alabama’s Motor Vehicle Division responds to face recognition requests from FBI’s FACE Services.",
            [],
            CLEARVIEW,
            "listed",
        ),
        (
            "Maryland's Motor Vehicle Administration's face recognition database is directly accessible by the FBI. "
            "Immigration and Customs Enforcement agents can also access the database.",
            [],
            CLEARVIEW,
            "listed",
        ),
        (
            "The Pennsylvania Department of Transportation shares access to its photo repository via the Pennsylvania Justice "
            "Network. A variety of federal agencies also have access, including FBI and the Department of Homeland Security.",
            [],
            CLEARVIEW,
            "listed",
        ),
        (
            "The Bexar County Sheriff's Office began using NEC face recognition technology in 2014, at an initial cost of "
            "$3.4 million.",
            NEC,
            CLEARVIEW,
            "procured",
        ),
        (
            "According to a list of Clearview AI clients obtained by Buzzfeed News, the Indiana State Police has run more "
            "than 5,700 scans with the face recognition technology. It was Clearview AI's first paying customer.",
            CLEARVIEW,
            NEC,
            "procured",
        ),
        (
            "The Maryland State Police and police departments across the Baltimore region all told the Baltimore Sun that "
            "they access the Maryland Image Repository System, which includes face recognition.",
            [],
            CLEARVIEW,
            "used",
        ),
        (
            "The Alachua County Sheriff's Office is one of more than 275 law enforcement agencies with access to the Face "
            "Analysis Comparison & Examination System (FACES).",
            ["Idemia"],
            CLEARVIEW,
            "used",
        ),
    ],
)
def test_kind_from_summary(summary, own, others, kind):
    found, reason = kind_from_summary(summary, own, others)
    assert found == kind, reason
    assert reason


def test_the_reason_quotes_the_words_or_says_none_did():
    kind, why = kind_from_summary(
        "The Wylie Police Department included Vigilant Solutions FaceSearch face recognition "
        "software in its 2021 budget.",
        ["Vigilant Solutions"],
        CLEARVIEW,
    )
    assert kind == "planned" and "'budget'" in why and "2021 budget" in why
    kind, why = kind_from_summary(
        "The West Virginia Division of Motor Vehicles shares images with law enforcement "
        "agencies and government agencies who sign a confidentiality agreement.",
        [],
        CLEARVIEW,
    )
    assert kind == "listed"
    assert (
        why
        == "the source lists the agency for face recognition; its text states no use, access, purchase, trial or plan"
    )
    assert "reports use" not in why


def test_a_vendor_named_only_for_a_plan_is_planned_though_another_sentence_reports_use():
    summary = (
        "The Ohio Bureau of Criminal Investigation operates a massive face recognition system. "
        "The Attorney General is pursuing a $21.4 million upgrade through the vendor NEC in 2021."
    )
    assert kind_from_summary(summary, NEC, CLEARVIEW)[0] == "planned"
    # A vendor the text does not name is judged by the sentences that name no other vendor.
    assert kind_from_summary(summary, ["Idemia"], NEC)[0] == "used"


def test_the_quoted_sentence_is_whole_after_an_abbreviation():
    # Real Atlas 2020 summary (AOS3658): the quote used to start at "Lucie County ...".
    summary = (
        "The St. Lucie County Sheriff's Office is one of more than 275 law enforcement agencies with access to the "
        "Face Analysis Comparison & Examination System (FACES), a face recognition program maintained by the "
        "Pinellas County Sheriff's Office."
    )
    kind, why = kind_from_summary(summary, ["Idemia"], CLEARVIEW)
    assert kind == "used" and "\u201cThe St. Lucie County Sheriff's Office is one of" in why


@pytest.mark.parametrize(
    "summary",
    [
        # Real EFF summaries (AZMAR002, CASD011, EDU223) the first version of the rule called listed.
        "The Arizona Department of Transportation applies face recognition to the state's driver license database and "
        "will respond to requests from state and federal agencies.",
        "Law enforcement agencies in San Diego County use mobile face recognition technology through a program called the "
        "Tactical Identification System (TACIDS). TACIDS is managed by the Automated Regional Justice Information System "
        "(ARJIS), which is a division San Diego Association of Governments (SANDAG).",
        "The University of Southern California confirmed the use of facial recognition technology on campus to The "
        "College Fix.",
    ],
)
def test_words_of_use_beyond_the_atlas(summary):
    assert kind_from_summary(summary, [], CLEARVIEW)[0] == "used"
