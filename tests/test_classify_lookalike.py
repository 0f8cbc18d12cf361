"""A word of a vendor's other product line counts against an award line only when the line names that product:
Rank One sells licence-plate recognition, but "SDK LICENSE" is a software licence (issue 15)."""

from __future__ import annotations

from rules.classify import Classifier


def verdict(vendor: str, description: str):
    return Classifier.from_csv().classify(vendor, description)


def test_a_software_licence_is_not_a_licence_plate_reader():
    found = verdict("RANK ONE COMPUTING CORPORATION", "SDK LICENSE")
    assert found.is_face_recognition == "uncertain", found.reason
    assert "the description says" not in found.reason


def test_the_product_named_with_its_licence_is_face_recognition():
    found = verdict("Rank One Computing", "Rank One SDK LICENSE")
    assert (found.is_face_recognition, found.product_id) == ("yes", "rank_one_roc")


def test_a_line_that_names_the_look_alike_product_still_counts_against():
    assert verdict("Rank One Computing", "License plate and text recognition add-on").is_face_recognition == "no"
    assert verdict("Microsoft Corporation", "Windows and Office software licences").is_face_recognition == "no"
    assert verdict("DataWorks Plus", "Mugshot management system upgrade").is_face_recognition == "no"
