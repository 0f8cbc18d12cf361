"""The reporter's workbench: reading hostile uploads, redacting people, matching without guessing."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui, workbench
from ingest.db import connect
from rules.matching import Agency, from_database

LEAK = (
    "Agency,State,Contact email,Officer,searches,Notes\n"
    'NYPD,NY,jane.roe@nypd.example.org,Jane Roe,1200,"called (212) 555-0147 re trial"\n'
    "Springfield Police Department,,x@y.example.com,John Doe,5,\n"
    'Detroit Police Department,MI,,,7,=HYPERLINK("http://evil.example")\n'
    "Macy's,NY,,,3,\n"
    "Atlanta Police Department,GA,,,2,\n"
)


def test_personal_columns_and_cells_are_redacted_before_anything_else():
    upload = workbench.read_upload("leak.csv", LEAK.encode())
    frame = upload.frame
    assert set(frame["Contact email"]) == {"[redacted: personal data]"}
    assert set(frame["Officer"]) == {"[redacted: personal data]"}
    text = frame.to_csv()
    for secret in ("jane.roe@", "Jane Roe", "555-0147", "John Doe"):
        assert secret not in text
    assert any("Officer" in n for n in upload.notes) and any("Notes" in n for n in upload.notes)
    assert frame["Agency"].tolist()[0] == "NYPD"


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-8-sig"])
def test_encodings(encoding):
    data = "Agency,State\nPolicía de Peñuelas,PR\nDetroit Police Department,MI\n".encode(encoding)
    upload = workbench.read_upload("list.csv", data)
    assert upload.frame["Agency"].tolist()[0] == "Policía de Peñuelas"


def test_xlsx_upload(tmp_path):
    buffer = io.BytesIO()
    pd.DataFrame({"Agency": ["Detroit Police Department"], "State": ["MI"]}).to_excel(buffer, index=False)
    upload = workbench.read_upload("list.xlsx", buffer.getvalue())
    assert upload.frame.loc[0, "Agency"] == "Detroit Police Department"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "empty"),
        ("list.pdf", b"%PDF-1.4", "CSV or an XLSX"),
        ("ragged.csv", b'a,b\n1,2,3,4\n"open', "has 4 cells but the header has 2"),
    ],
)
def test_unreadable_uploads_get_a_sentence_not_a_traceback(name, data, message):
    with pytest.raises(workbench.UploadError, match=message):
        workbench.read_upload(name, data)


def test_matching_an_upload_never_guesses(built_db):
    con = connect(built_db, read_only=True)
    try:
        matcher, state_names = from_database(con)
    finally:
        con.close()
    upload = workbench.read_upload("leak.csv", LEAK.encode())
    matched = workbench.match(upload.frame, matcher, state_names, "Agency", "State")
    assert matched["status"].tolist() == ["matched", "ambiguous", "matched", "unmatched", "matched"]
    assert matched.loc[0, "agency_id"] == "NY0303000" and matched.loc[2, "agency_id"] == "MI8234900"
    assert workbench.candidate_id(matched.loc[1, "candidates"][0]).startswith("CO")


def test_saving_keeps_only_the_redacted_table(tmp_path):
    upload = workbench.read_upload("leak.csv", LEAK.encode())
    path = workbench.save_upload(upload, tmp_path)
    assert path.name == f"{upload.sha256}.csv" and "jane.roe" not in path.read_text()


def review_boxes(at: AppTest) -> list:
    return [box for box in at.selectbox if box.label.startswith("Row ")]


def test_reporter_page_end_to_end():
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.switch_page("app_pages/reporter.py")
    at.run()
    assert not at.exception
    at.file_uploader[0].set_value(("leak.csv", LEAK.encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Matched": "3",
        "To review": "1",
        "Rejected by you": "0",
        "No match": "1",
    }
    shown = " ".join(str(df.value.to_csv()) for df in at.dataframe)
    assert "jane.roe" not in shown and "555-0147" not in shown
    # Every matched row beside its agency's claims, each with when it was last documented.
    claims = at.dataframe[0].value
    assert set(claims["agency_id"]) == {"NY0303000", "MI8234900", "GAAPD0000"}
    assert all(w.startswith(("last documented", "not documented since")) for w in claims["last documented"])
    # NYPD is in the leak with use on record but no procurement: the contradiction tab lists it, dated.
    unbought = at.dataframe[1].value
    assert "New York City Police Department" in unbought["name"].tolist()
    assert "Atlanta Police Department" not in unbought["name"].tolist()  # procured
    assert "documented" in unbought["statuses"].iloc[0]
    # The ambiguous row waits for a person: no decision is made for it, and it is exported as to review.
    (box,) = review_boxes(at)
    assert box.label == ui.md("Row 3: “Springfield Police Department”, no state in the file")  # shown as text
    assert box.value is None and box.options[-1] == "None of these: reject the match"
    export = at.dataframe[-1].value
    assert export.loc[1, "status"] == "to review" and "rejected" not in export["status"].tolist()
    # Accepting a candidate moves that row to matched, the counts follow, and the export names the agency.
    box.set_value("IL0840200").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["4", "0", "0", "1"]
    export = at.dataframe[-1].value
    assert export.loc[1, ["status", "agency_id", "agency_name", "method"]].tolist() == [
        "matched",
        "IL0840200",
        "Springfield Police Department",
        "reviewed",
    ]
    # "None of these" is the only way to a rejected row.
    review_boxes(at)[0].set_value(workbench.NONE_OF_THESE).run()
    assert [m.value for m in at.metric] == ["3", "0", "1", "1"]
    assert at.dataframe[-1].value.loc[1, "status"] == "rejected"


# ------------------------------------------------------------------------------------------ the review


def matched_leak(built_db) -> tuple[pd.DataFrame, object]:
    con = connect(built_db, read_only=True)
    try:
        matcher, state_names = from_database(con)
    finally:
        con.close()
    upload = workbench.read_upload("leak.csv", LEAK.encode())
    return workbench.match(upload.frame, matcher, state_names, "Agency", "State"), matcher


def test_an_unreviewed_row_is_exported_to_review_never_rejected(built_db):
    matched, matcher = matched_leak(built_db)
    table = workbench.reviewed(matched, {}, matcher.agencies)
    assert table["status"].tolist() == ["matched", "to review", "matched", "no match", "matched"]
    assert table.loc[1, "agency_id"] is None or pd.isna(table.loc[1, "agency_id"])
    assert "Springfield Police Department (IL0840200, IL)" in table.loc[1, "candidates"]
    assert table.loc[0, ["agency_id", "agency_name", "agency_state"]].tolist() == [
        "NY0303000",
        "New York City Police Department",
        "NY",
    ]
    assert workbench.counts(table) == {"matched": 3, "to review": 1, "rejected": 0, "no match": 1}
    # A decision that is not one of the row's candidates (a stale one) decides nothing.
    assert workbench.reviewed(matched, {1: "NY0303000"}, matcher.agencies).loc[1, "status"] == "to review"
    # Nor can a decision overrule a row the rules matched, or reject a row that matched no agency.
    ruled = workbench.reviewed(matched, {0: workbench.NONE_OF_THESE, 3: workbench.NONE_OF_THESE}, matcher.agencies)
    assert ruled["status"].tolist() == ["matched", "to review", "matched", "no match", "matched"]


def test_a_spelling_match_waits_for_a_person():
    assert workbench.review_status("matched", "spelling", None) == "to review"
    assert workbench.review_status("matched", "spelling", "MI8234900") == "matched"
    assert workbench.review_status("matched", "exact_name", None) == "matched"
    assert workbench.review_status("ambiguous", None, None) == "to review"
    assert workbench.review_status("ambiguous", None, workbench.NONE_OF_THESE) == "rejected"
    assert workbench.review_status("unmatched", None, None) == "no match"


@pytest.mark.parametrize(
    "state, label",
    [
        ("", "Row 3: “Springfield Police Department”, no state in the file"),
        (None, "Row 3: “Springfield Police Department”, no state in the file"),
        ("  ", "Row 3: “Springfield Police Department”, no state in the file"),
        ("IL", "Row 3: “Springfield Police Department”, state IL"),
    ],
)
def test_a_review_label_never_shows_empty_brackets(state, label):
    assert workbench.row_label(3, "Springfield  Police Department", state) == label
    assert "()" not in workbench.row_label(3, "", state)


def test_candidates_rank_by_the_rows_state_then_by_evidence():
    agencies = {
        "A": Agency("A", "Springfield Police Department", "CO"),
        "B": Agency("B", "Springfield Police Department", "IL"),
        "C": Agency("C", "Springfield Police Department", "MO"),
        "D": Agency("D", "Springfield Police Department", "VT"),
    }
    evidence = {"C": 1, "D": 4}
    assert workbench.rank_candidates(["A", "B", "C", "D"], None, agencies, evidence) == ["D", "C", "A", "B"]
    assert workbench.rank_candidates(["A", "B", "C", "D"], "IL", agencies, evidence) == ["B", "D", "C", "A"]
    assert (
        workbench.candidate_label("D", agencies, evidence) == "Springfield Police Department · VT · D · 4 evidence rows"
    )
    assert workbench.candidate_label("A", agencies, evidence).endswith("no evidence on record")


@pytest.mark.parametrize(
    "name, state, expected",
    [
        ("Miami-Dade Police Department, FL", None, ("Miami-Dade Police Department", "FL")),
        ("Miami-Dade Police Department , fl", None, ("Miami-Dade Police Department", "FL")),
        ("Miami-Dade Police Department, FL", "GA", ("Miami-Dade Police Department, FL", "GA")),  # the row's own
        ("Police Department, Town of", None, ("Police Department, Town of", None)),
        ("Sheriff's Office, ZZ", None, ("Sheriff's Office, ZZ", None)),  # no such state
    ],
)
def test_a_state_at_the_end_of_the_name_is_read_only_without_a_state(name, state, expected):
    assert workbench.split_state(name, state, {"FL": "Florida", "GA": "Georgia"}) == expected


def test_a_file_column_named_like_a_match_column_keeps_its_values(built_db):
    con = connect(built_db, read_only=True)
    try:
        matcher, state_names = from_database(con)
    finally:
        con.close()
    frame = pd.DataFrame(
        {"Agency": ["Detroit Police Department"], "State": ["MI"], "status": ["paid"], "agency_name": ["DPD"]}
    )
    matched = workbench.match(frame, matcher, state_names, "Agency", "State")
    assert matched.loc[0, "status (in the file)"] == "paid" and matched.loc[0, "status"] == "matched"
    table = workbench.reviewed(matched, {}, matcher.agencies)
    assert table.loc[0, ["agency_name (in the file)", "agency_name"]].tolist() == ["DPD", "Detroit Police Department"]


def test_each_matched_row_shows_its_agencys_claims_with_their_last_documented_date():
    table = pd.DataFrame(
        {
            "Agency": ["NYPD", "Nowhere PD", "Springfield Police Department"],
            "file_row": [2, 3, 4],
            "status": ["matched", "no match", "matched"],
            "agency_id": ["NY0303000", None, "IL0840200"],
            "agency_name": ["New York City Police Department", "", "Springfield Police Department"],
            "agency_state": ["NY", "", "IL"],
        }
    )
    claims = pd.DataFrame(
        {
            "agency_id": ["NY0303000"],
            "vendor": ["IDEMIA"],
            "product": ["IDEMIA (product not named)"],
            "status": ["used"],
            "contested": [False],
            "evidence_count": [1],
            "last_documented": [dt.date(2020, 3, 12)],
            "a_source": ["https://example.org/a"],
        }
    )
    rows = workbench.claims_by_row(table, "Agency", claims, today=dt.date(2026, 12, 6))
    assert rows[["file_row", "agency_name", "status", "last documented"]].values.tolist() == [
        [2, "New York City Police Department", "used", "not documented since 2020"],
        [4, "Springfield Police Department", "no claim on record", ""],
    ]
    assert workbench.dated_statuses(claims, today=dt.date(2021, 1, 1)) == {
        "NY0303000": "IDEMIA (product not named): used, last documented 2020"
    }


@pytest.mark.parametrize(
    "cell, code", [("FL", "FL"), ("Florida", "FL"), ("new  york", "NY"), ("Floride", "FLORIDE"), ("ny", "NY")]
)
def test_a_state_written_as_its_name_is_read_as_its_code(cell, code):
    assert workbench.state_code(cell, {"FL": "Florida", "NY": "New York"}) == code


def test_the_export_reads_row_name_status_agency_first(built_db):
    matched, matcher = matched_leak(built_db)
    table = workbench.in_reading_order(workbench.reviewed(matched, {}, matcher.agencies), "Agency")
    assert list(table.columns[:5]) == ["file_row", "Agency", "status", "agency_name", "agency_id"]
    assert set(table.columns) >= {"Contact email", "Officer", "searches", "Notes", "candidates"}
    assert len(table) == len(matched)


def test_decisions_on_another_page_of_the_review_are_kept():
    # 30 rows that fit several agencies: the review shows them 25 at a time, and a decision made on the second
    # page still counts (and still shows) after the reviewer goes back to the first.
    rows = "".join(f"Springfield Police Department,,{n}\n" for n in range(30))
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.switch_page("app_pages/reporter.py")
    at.run()
    at.file_uploader[0].set_value(("many.csv", f"Agency,State,n\n{rows}".encode(), "text/csv")).run()
    assert not at.exception
    assert len(review_boxes(at)) == 25 and [m.value for m in at.metric] == ["0", "30", "0", "0"]
    page = f"review_page_{at.session_state['leak_read'][1].sha256}"
    at.selectbox(key=page).set_value(25).run()
    assert review_boxes(at)[0].label.startswith(ui.md("Row 27:"))
    review_boxes(at)[0].set_value("IL0840200").run()
    at.selectbox(key=page).set_value(0).run()
    assert [m.value for m in at.metric] == ["1", "29", "0", "0"]
    at.selectbox(key=page).set_value(25).run()
    assert review_boxes(at)[0].value == "IL0840200"
    assert [m.value for m in at.metric] == ["1", "29", "0", "0"]


def test_a_review_label_shows_the_files_text_as_text():
    # Markup around a name does not stop it matching, so the file's own text reaches the question: shown as typed.
    name = "**Springfield Police Department** ![](#)"
    at = AppTest.from_file("../dashboard/app.py", default_timeout=60)
    at.switch_page("app_pages/reporter.py")
    at.run()
    at.file_uploader[0].set_value(("marked.csv", f'Agency\n"{name}"\n'.encode(), "text/csv")).run()
    assert not at.exception
    (box,) = review_boxes(at)
    assert box.label == ui.md(f"Row 2: “{name}”, no state in the file")
    assert "\\*\\*Springfield" in box.label and "\\!\\[\\]" in box.label
