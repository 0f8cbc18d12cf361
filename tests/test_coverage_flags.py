"""Coverage for every registry agency, and policy-against-practice flags on fixtures."""

from __future__ import annotations

import pytest

from ingest import db
from ingest.build import seed_ladder


def test_every_registry_agency_has_a_research_status(db):
    agencies = db.execute("SELECT count(*) FROM core.agencies").fetchone()[0]
    statuses = dict(db.execute("SELECT research_status, count(*) FROM views.coverage GROUP BY 1").fetchall())
    assert sum(statuses.values()) == agencies
    assert set(statuses) == {"evidence found", "researched, no face-recognition evidence found", "not researched"}
    assert statuses["evidence found"] == db.execute("SELECT count(DISTINCT agency_id) FROM core.evidence").fetchone()[0]
    # The 2020 Atlas lists Boise PD for drones only: researched, no face-recognition evidence, with its technology.
    row = db.execute("""SELECT research_status, technologies FROM views.coverage
                        WHERE name = 'Boise Police Department' AND state = 'ID'""").fetchone()
    assert row[0].startswith("researched") and "Drones" in row[1]


@pytest.fixture
def con():
    """A database with SYNTHETIC fixture rows only."""
    c = db.connect(":memory:")
    db.create_schema(c)
    seed_ladder(c)
    c.execute("""INSERT INTO meta.sources VALUES ('paper', 'Synthetic test source', 'atlas', '', 'http://127.0.0.1/p',
                 NULL, 'test', 'test', '2026', 'documented', 'synthetic', 'bundled')""")
    c.execute(
        "INSERT INTO meta.raw_files VALUES (1, 'paper', 1, 'x.csv', 'http://127.0.0.1/x', '2026', repeat('0', 64), 1, [])"
    )
    c.execute("INSERT INTO raw.records SELECT i, 'paper', 1, 1, i, md5(i::VARCHAR), '{}' FROM range(1, 9) t(i)")
    c.execute("""INSERT INTO core.agencies VALUES
        ('T1', NULL, 'Testville Police Department', 'City', 'Testville', 'Test County', 'ZZ', 1, 1, 'fbi', 'fbi_cde', 1),
        ('T2', NULL, 'Otherville Police Department', 'City', 'Otherville', 'Test County', 'ZZ', 1, 1, 'fbi', 'fbi_cde', 2)""")
    c.execute("""INSERT INTO core.policies VALUES ('ban1', 'Testville, Nowhere', 'city', 'Testville', 'ZZ', 'Ban',
                 'synthetic ban', DATE '2020-01-01', 'January 1, 2020', 'http://127.0.0.1/ban', NULL, NULL, 1, 1, 3)""")
    yield c
    c.close()


def add(con, n, agency, kind, when):
    con.execute(
        "INSERT INTO core.evidence VALUES (?, ?, 'ori', 100, NULL, NULL, ?, 'fixture', ?, 'day', NULL, "
        "'synthetic', 'paper', NULL, 'http://127.0.0.1/e', ?)",
        [f"e{n}", agency, kind, when, n],
    )


def flags(con, kind):
    return con.execute("SELECT agency_id, evidence_id, question FROM views.flags WHERE flag = ?", [kind]).fetchall()


def test_a_purchase_after_a_ban_raises_a_question(con):
    add(con, 1, "T1", "procured", "2021-03-01")
    found = flags(con, "after_ban")
    assert [(a, e) for a, e, _ in found] == [("T1", "e1")]
    assert found[0][2].endswith("?") and "Does the ban cover this agency" in found[0][2]


def test_no_flag_before_the_ban_or_outside_its_city(con):
    add(con, 1, "T1", "procured", "2019-03-01")
    add(con, 2, "T2", "procured", "2021-03-01")
    add(con, 3, "T1", "ended", "2021-03-01")
    assert flags(con, "after_ban") == []


def test_use_without_procurement_is_a_question(con):
    add(con, 1, "T2", "used", "2021-03-01")
    assert [a for a, _, _ in flags(con, "no_procurement")] == ["T2"]
    add(con, 2, "T2", "procured", "2021-04-01")
    assert flags(con, "no_procurement") == []


# ------------------------------------------------------------------ records requests against the other evidence


def ask(con, n, agency, outcome, filed, pages=0, about=True, document_vendors=()):
    """A SYNTHETIC records request about face recognition to `agency`, with its outcome."""
    con.execute(
        "INSERT INTO core.records_requests VALUES (?, 'muckrock', 'SYNTHETIC request', ?, '1', 'x', ?, ?, ?, "
        "[], ?, ?, ?, ?, [], [], [], ?, ?)",
        [
            f"muckrock:{n}",
            outcome,
            agency,
            filed,
            filed,
            f"http://127.0.0.1/r{n}",
            n,
            {"no_docs": "no documents"}.get(outcome, outcome),
            about,
            list(document_vendors),
            pages,
        ],
    )


def test_no_documents_against_evidence_of_use_is_a_question_citing_both(con):
    add(con, 1, "T2", "used", "2019-03-01")
    ask(con, 1, "T2", "no_docs", "2020-05-01")
    (flag,) = con.execute(
        "SELECT flag, evidence_id, request_id, request_url, question FROM views.flags WHERE request_id IS NOT NULL"
    ).fetchall()
    assert flag[:4] == ("request_no_documents", "e1", "muckrock:1", "http://127.0.0.1/r1")
    assert "no responsive documents" in flag[4] and "2019-03-01" in flag[4] and flag[4].endswith("?")


def test_a_request_filed_before_the_evidence_or_not_about_face_recognition_raises_nothing(con):
    add(con, 1, "T2", "used", "2021-03-01")
    ask(con, 1, "T2", "no_docs", "2020-05-01")  # asked before the source's date
    ask(con, 2, "T2", "no_docs", "2022-05-01", about=False)  # asked about something else
    assert con.execute("SELECT count(*) FROM views.request_gaps").fetchone()[0] == 0


def test_released_pages_silent_on_the_vendor_and_a_refusal_are_questions(con):
    add(con, 1, "T2", "procured", "2019-03-01")
    ask(con, 1, "T2", "done", "2020-05-01", pages=12)
    ask(con, 2, "T2", "done", "2020-05-01", pages=0)  # no pages read: silence claims nothing
    ask(con, 3, "T2", "rejected", "2020-06-01")
    gaps = dict(con.execute("SELECT request_id, gap FROM views.request_gaps").fetchall())
    assert gaps == {"muckrock:1": "request_documents_silent", "muckrock:3": "request_rejected"}
    question = con.execute("SELECT question FROM views.request_gaps WHERE request_id = 'muckrock:1'").fetchone()[0]
    assert "none of the 12 released pages we read" in question and question.endswith("?")


def test_asked_is_a_coverage_status_and_evidence_still_comes_first(con):
    ask(con, 1, "T1", "no_docs", "2020-05-01")
    ask(con, 2, "T1", "pending", "2021-05-01")
    ask(con, 3, "T2", "rejected", "2020-05-01")
    add(con, 1, "T2", "used", "2019-03-01")
    status = dict(con.execute("SELECT agency_id, research_status FROM views.coverage").fetchall())
    assert status == {"T1": "asked: no documents", "T2": "evidence found"}
    assert con.execute("SELECT records_requests FROM views.coverage WHERE agency_id = 'T1'").fetchone()[0] == 2
