"""The product is the one the text names (issue 15): a vendor only the summary names gets a claim of its own, read
from its own sentences; a Vendor field the summary contradicts is kept as the source's other word (listed); the
agency page shows the two side by side."""

from __future__ import annotations

import re

from rules import claims
from tests.apptest import page, page_html, text_of

HARRIS = "TX1010000"  # Atlas current excerpt: Vendor IDEMIA, summary "purchased ... from Imagis Technologies, Inc."
RALEIGH = "NC0920100"  # Vendor DataWorks Plus; summary: "It also subscribed to Clearview AI's ... then ceased"
NAME_LISTS = {
    "clearview_ai": ["Clearview AI", "Clearview"],
    "dataworks_plus": ["DataWorks Plus", "Dataworks", "DataWorks"],
    "nec": ["NEC Corporation", "NEC"],
    "cognitec": ["Cognitec Systems", "Cognitec"],
    "idemia": ["IDEMIA", "MorphoTrust"],
    "vigilant_solutions": ["Vigilant Solutions", "Vigilant"],
    "aware": ["Aware"],
    "imagis": ["Imagis Technologies", "Imagis Technologies, Inc."],
}
NAMES = claims.VendorNames(NAME_LISTS)


def test_a_second_vendor_with_its_own_verb_is_found_in_order_of_mention():
    raleigh = (
        "The Raleigh Police Department began using Dataworks face recognition technology in 2015. It also subscribed "
        "to Clearview AI's face recognition system in 2019, but then ceased using the software after six months."
    )
    assert claims.summary_vendors(raleigh, ["dataworks_plus"], NAMES) == ["clearview_ai"]
    jnet = (
        "Since 2006, the Pennsylvania Justice Network (JNET) has managed face recognition software across police "
        "departments in Pennsylvania. The JNET uses Cognitec, NEC, and MorphoTrust algorithms."
    )
    # No face words in the naming sentence, but it names the Vendor field's own vendor (MorphoTrust is IDEMIA).
    assert claims.summary_vendors(jnet, ["idemia"], NAMES) == ["cognitec", "nec"]


def test_a_vendor_named_outside_face_recognition_or_as_a_plain_word_is_not_a_claim():
    lpr = (
        "The Plano Police Department uses Clearview AI's face recognition app. "
        "It also reads licence plates with Vigilant Solutions cameras."
    )
    assert claims.summary_vendors(lpr, ["clearview_ai"], NAMES) == []
    aware = "Officers were aware that the department had used face recognition before."
    assert claims.summary_vendors(aware, [], NAMES) == []
    # The longest name wins: "NEC Corporation" is NEC once, and "Clearview AI" is not also "Clearview".
    assert NAMES.named_in("NEC Corporation and Clearview AI face recognition") == ["nec", "clearview_ai"]


def test_the_vendor_field_the_text_contradicts_is_listed_and_says_why():
    harris = "The Harris County Sheriff's Office purchased a facial recognition system in 2002 from Imagis Technologies, Inc."
    others = [n for v, ns in NAME_LISTS.items() if v != "idemia" for n in ns]
    assert claims.kind_from_summary(harris, NAME_LISTS["idemia"], others) == ("listed", claims.OTHER_WORD)
    kind, why = claims.kind_from_summary(harris, NAME_LISTS["imagis"], [n for n in others if "Imagis" not in n])
    assert kind == "procured" and "purchased" in why


def test_the_build_makes_a_claim_for_each_vendor_the_text_names(db):
    claims_of = dict(
        db.execute(
            "SELECT agency_id || ' ' || vendor_id, status FROM views.claims WHERE list_contains($ids, agency_id)",
            {"ids": [HARRIS, RALEIGH]},
        ).fetchall()
    )
    assert claims_of[f"{HARRIS} imagis"] == "procured"
    assert claims_of[f"{HARRIS} idemia"] == "listed"  # the rule itself, no correction needed any more
    assert claims_of[f"{RALEIGH} clearview_ai"] == "ended"
    assert claims_of[f"{RALEIGH} dataworks_plus"] == "used"
    assert not db.execute("SELECT * FROM core.corrections WHERE evidence_id LIKE '%AOS009145%'").fetchall()
    sides = db.execute(
        "SELECT side, vendor_id FROM views.vendor_disagreements v JOIN core.evidence USING (evidence_id) "
        "WHERE v.agency_id = ? ORDER BY ALL",
        [HARRIS],
    ).fetchall()
    assert sides == [("summary", "imagis"), ("vendor field", "idemia")]


def test_the_agency_page_shows_the_vendor_field_and_the_text_side_by_side():
    at = page("app_pages/agency.py", agency=HARRIS)
    text = text_of(at)
    assert "The source's Vendor field and its text name different vendors" in text
    assert "Its Vendor field" in text and "Its text" in text
    assert "Imagis Technologies" in text and "IDEMIA" in text
    assert claims.OTHER_WORD in text
    # side by side: one table row, the Vendor field's cell and the text's cell
    assert re.search(r"<th>Its Vendor field</th><th>Its text</th>", page_html(at))


def test_the_public_agency_page_shows_both_sides_as_the_dashboard_does():
    from public import render

    html = render.agency_html(HARRIS)
    assert "The source's Vendor field and its text name different vendors" in html
    assert "Imagis Technologies" in html and "IDEMIA" in html
    assert html.index("Its Vendor field") < html.index("Its text")
