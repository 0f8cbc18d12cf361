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
    db.migrate(c)
    seed_ladder(c)
    c.execute("""INSERT INTO meta.sources VALUES ('paper', 'Synthetic test source', 'atlas', '', 'http://127.0.0.1/p',
                 NULL, 'test', 'test', '2026', 'documented', 'synthetic', 'bundled')""")
    c.execute("INSERT INTO meta.raw_files VALUES (1, 'paper', 1, 'x.csv', 'http://127.0.0.1/x', '2026', repeat('0', 64), 1, [])")
    c.execute("INSERT INTO raw.records SELECT i, 'paper', 1, 1, i, md5(i::VARCHAR), '{}' FROM range(1, 9) t(i)")
    c.execute("""INSERT INTO core.agencies VALUES
        ('T1', NULL, 'Testville Police Department', 'City', 'Testville', 'Test County', 'ZZ', 1, 1, 'fbi', 'fbi_cde', 1),
        ('T2', NULL, 'Otherville Police Department', 'City', 'Otherville', 'Test County', 'ZZ', 1, 1, 'fbi', 'fbi_cde', 2)""")
    c.execute("""INSERT INTO core.policies VALUES ('ban1', 'Testville, Nowhere', 'city', 'Testville', 'ZZ', 'Ban',
                 'synthetic ban', DATE '2020-01-01', 'January 1, 2020', 'http://127.0.0.1/ban', NULL, NULL, 1, 1, 3)""")
    yield c
    c.close()


def add(con, n, agency, kind, when):
    con.execute("INSERT INTO core.evidence VALUES (?, ?, 'ori', 100, NULL, NULL, ?, 'fixture', ?, 'day', NULL, "
                "'synthetic', 'paper', NULL, 'http://127.0.0.1/e', ?)", [f"e{n}", agency, kind, when, n])


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
