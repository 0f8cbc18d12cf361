"""The status ladder on small fixtures: strongest evidence wins, denials stand beside the rest,
a weak source alone is only 'unconfirmed'. Fixture rows are synthetic and labelled so."""

from __future__ import annotations

import pytest

from ingest import db
from ingest.build import seed_ladder


@pytest.fixture
def con():
    c = db.connect(":memory:")
    db.create_schema(c)
    seed_ladder(c)
    c.execute("""INSERT INTO meta.sources VALUES
        ('paper', 'Synthetic test publication', 'atlas', '', 'http://127.0.0.1/p', NULL, 'test', 'test', '2026', 'documented', 'synthetic', 'bundled'),
        ('leak', 'Synthetic test leak', 'file', '', 'http://127.0.0.1/l', NULL, 'test', 'test', '2026', 'weak', 'synthetic', 'live')""")
    c.execute(
        "INSERT INTO meta.raw_files VALUES (1, 'paper', 1, 'x.csv', 'http://127.0.0.1/x', '2026', repeat('0', 64), 1, [])"
    )
    c.execute("""INSERT INTO raw.records SELECT i, 'paper', 1, 1, i, md5(i::VARCHAR), '{"synthetic": true}'
                 FROM range(1, 20) t(i)""")
    c.execute(
        "INSERT INTO core.agencies VALUES ('T1', NULL, 'Synthetic Test Police Department', 'City', NULL, NULL, "
        "'ZZ', NULL, NULL, NULL, 'atlas', 1)"
    )
    c.execute(
        "INSERT INTO core.vendors VALUES ('v', 'Synthetic Vendor', [], NULL, 'http://127.0.0.1/v', NULL, true, NULL)"
    )
    yield c
    c.close()


def add(con, n, kind, when=None, source="paper", product="p1"):
    con.execute(
        "INSERT INTO core.evidence VALUES (?, 'T1', 'ori', 100, 'v', ?, ?, 'fixture', ?, 'day', NULL, "
        "'synthetic', ?, NULL, 'http://127.0.0.1/e', ?)",
        [f"e{n}", product, kind, when, source, n],
    )


def claim(con, product="p1"):
    con.execute(
        "INSERT INTO core.products VALUES (?, 'v', ?, [], [], 'http://127.0.0.1/p', NULL) ON CONFLICT DO NOTHING",
        [product, product],
    )
    return con.execute(
        "SELECT status, contested, evidence_count FROM views.claims WHERE product_id = ?", [product]
    ).fetchone()


def test_procurement_outranks_use_and_trial(con):
    add(con, 1, "trialled", "2019-01-01")
    add(con, 2, "used", "2019-06-01")
    add(con, 3, "procured", "2020-01-01")
    assert claim(con) == ("procured", False, 3)


def test_ended_only_when_it_is_the_latest_word(con):
    add(con, 1, "used", "2018-01-01")
    add(con, 2, "ended", "2020-01-01")
    assert claim(con)[0] == "ended"
    add(con, 3, "procured", "2021-01-01")  # bought again after it ended
    assert claim(con)[0] == "procured"


def test_a_denial_beside_other_evidence_is_contested_not_erased(con):
    add(con, 1, "denied", "2021-01-01")
    assert claim(con) == ("denied", False, 1)
    add(con, 2, "used", "2020-01-01", source="leak")
    status, contested, count = claim(con)
    assert contested and count == 2 and status != "denied"


def test_a_weak_source_alone_is_unconfirmed(con):
    add(con, 1, "used", "2020-01-01", source="leak")
    assert claim(con)[0] == "unconfirmed"
    add(con, 2, "used", "2020-02-01", source="paper")
    assert claim(con)[0] == "used"


def test_each_product_is_its_own_claim(con):
    add(con, 1, "procured", "2020-01-01", product="p1")
    add(con, 2, "trialled", "2020-01-01", product="p2")
    assert claim(con, "p1")[0] == "procured" and claim(con, "p2")[0] == "trialled"


def test_planned_and_listed_sit_below_trial_and_above_nothing(con):
    add(con, 1, "listed", "2019-01-01")
    assert claim(con)[0] == "listed"
    add(con, 2, "planned", "2020-01-01")
    assert claim(con)[0] == "planned"
    add(con, 3, "trialled", "2020-06-01")
    assert claim(con)[0] == "trialled"
    add(con, 4, "used", "2021-01-01")
    assert claim(con)[0] == "used"


def test_a_later_listing_or_plan_does_not_undo_an_end(con):
    add(con, 1, "used", "2018-01-01")
    add(con, 2, "ended", "2019-01-01")
    add(con, 3, "listed", "2020-01-01")  # a list naming the agency says nothing of use
    assert claim(con)[0] == "ended"
    add(con, 4, "planned", "2021-01-01")  # nor does a plan: the use it reports is still ended
    assert claim(con)[0] == "ended"
    add(con, 5, "trialled", "2022-01-01")  # a trial after the end reopens the claim (its strongest word: the use)
    assert claim(con)[0] == "used"


def test_the_ladder_table_has_the_new_rungs_in_order(con):
    rows = con.execute("SELECT status FROM views.status_ladder ORDER BY rank").fetchall()
    assert [r[0] for r in rows][:5] == ["procured", "used", "trialled", "planned", "listed"]


def test_a_correction_can_set_every_kind_evidence_carries():
    # A correction that lowers an overstated row to "listed" or "planned" must not be quarantined.
    from ingest.transform import corrections, statements
    from rules.claims import LADDER

    assert corrections.KINDS == set(LADDER) - {"unconfirmed"}
    assert statements.KINDS <= set(LADDER) and "planned" in statements.KINDS
