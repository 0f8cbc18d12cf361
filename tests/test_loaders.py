"""Loading files into raw: both Atlas formats, malformed lines, reruns, schema drift."""

import json
from pathlib import Path

import pytest

from ingest import db, raw
from ingest.sources import atlas
from rules.dates import parse
from rules.redact import redact

ROOT = Path(__file__).resolve().parent.parent
ATLAS = ROOT / "data" / "atlas_of_surveillance"


@pytest.fixture
def con():
    c = db.connect(":memory:")
    db.create_schema(c)
    yield c
    c.close()


def load(con, path, **kw):
    return raw.load_csv(
        con, source_id="test", path=path, url="http://127.0.0.1/test.csv", fetched_at="2026-11-28", run_id=1, **kw
    )


def test_one_loader_reads_both_atlas_formats_and_says_which():
    old = atlas.detect_format(raw.csv_columns(ATLAS / "atlas_of_surveillance_2020-10-07_face_recognition.csv"))
    new = atlas.detect_format(raw.csv_columns(ATLAS / "atlas_of_surveillance_excerpt_fr.csv"))
    assert (old.name, len(old.columns), old.has_ori) == ("2020", 25, False)
    assert (new.name, len(new.columns), new.has_ori) == ("current", 28, True)
    assert "without NEWAOSNUMBER" in old.describe() and "with NEWAOSNUMBER" in new.describe()


def test_atlas_schema_drift_names_the_missing_field():
    columns = raw.csv_columns(ATLAS / "atlas_of_surveillance_excerpt_fr.csv")
    with pytest.raises(raw.SchemaDrift, match="'Agency'"):
        atlas.detect_format([c if c != "Agency" else "Agency Name" for c in columns])


@pytest.mark.parametrize(
    "value, ori, surrogate",
    [
        ("TX0430600FRT", "TX0430600", None),
        ("LA0600100BWC", "LA0600100", None),
        ("TXDPS4600ALPR", "TXDPS4600", None),
        ("XX0000083FRT", None, "XX0000083"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_ori_from_newaosnumber(value, ori, surrogate):
    assert atlas.ori_from_newaosnumber(value) == ori
    assert atlas.surrogate_id(value) == surrogate


def test_malformed_lines_are_quarantined_and_a_rerun_adds_nothing(con, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text('a,b\n1,2\n3,4,5\n"multi\nline",z\n1,2\n', encoding="utf-8")
    first = load(con, path, required=("a", "b"))
    assert (first.fetched, first.new) == (3, 2)
    reasons = [r[0] for r in con.execute("SELECT reason FROM core.quarantine ORDER BY row_number").fetchall()]
    assert any("identical to record 1" in r for r in reasons)
    assert any(r.startswith("malformed CSV line") for r in reasons)
    again = load(con, path, required=("a", "b"))
    assert again.new == 0
    assert con.execute("SELECT count(*) FROM raw.records").fetchone()[0] == 2
    assert con.execute("SELECT record->>'a' FROM raw.records WHERE record->>'b' = 'z'").fetchone()[0] == "multi\nline"


def test_a_missing_column_stops_the_load_before_anything_is_written(con, tmp_path):
    path = tmp_path / "drift.csv"
    path.write_text("vendor,award_id\nX,1\n", encoding="utf-8")
    with pytest.raises(raw.SchemaDrift, match="'awardId'"):
        load(con, path, required=("vendor", "awardId"))
    assert con.execute("SELECT count(*) FROM raw.records").fetchone()[0] == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7/31/2020", ("2020-07-31", "day")),
        ("08/08/2019", ("2019-08-08", "day")),
        ("11/08/19", ("2019-11-08", "day")),
        ("2012", ("2012-01-01", "year")),
        ("October 16th, 2019", ("2019-10-16", "day")),
        ("March, 2018", ("2018-03-01", "month")),
        ("13/45/2020", (None, None)),
        ("soon", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_dates_as_sources_write_them(text, expected):
    when, precision = parse(text)
    assert ((when.isoformat() if when else None), precision) == expected


def test_redaction_of_emails_phones_and_named_contacts():
    text = (
        "OVERALL POP: 9/26/2019 - 3/25/2023-COR/POC:  MAURICE LEE,(202) 732-7603, MAURICE.LEE@ICE.DHS.GOV; "
        "award P2019045458 for $10,000; call 202.555.0100 or +1 202 555 0100"
    )
    out = redact(text)
    for secret in ("MAURICE", "732-7603", "@ICE.DHS.GOV", "555.0100", "555 0100"):
        assert secret not in out
    assert "P2019045458" in out and "$10,000" in out and "9/26/2019" in out


def test_csv_rows_read_through_raw_records_as_json_with_their_sha256(con, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('Agency,Summary,Empty\n"Town PD","said ""yes"", then no",\nCounty SO,é ✓,x\n', encoding="utf-8")
    result = load(con, path)
    got = con.execute(
        "SELECT row_number, record::VARCHAR, content_hash FROM raw.records ORDER BY row_number"
    ).fetchall()
    # The text DuckDB gives each row read from the file as JSON, hashed: what the JSON table would hold.
    expected = con.execute(
        "SELECT to_json(t)::VARCHAR, sha256(to_json(t)::VARCHAR) FROM read_csv(?, all_varchar = true, header = true) t",
        [str(path)],
    ).fetchall()
    assert (result.fetched, result.new) == (2, 2)
    assert [(text, digest) for _, text, digest in got] == expected
    assert json.loads(got[0][1]) == {"Agency": "Town PD", "Summary": 'said "yes", then no', "Empty": None}
    assert [n for n, _, _ in got] == [1, 2]


def test_a_second_file_adds_only_its_new_rows_and_a_new_header_is_kept_as_it_is(con, tmp_path):
    first, second, renamed = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    first.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    second.write_text("a,b\n3,4\n5,6\n5,6\n", encoding="utf-8")
    renamed.write_text("a,B\n1,2\n", encoding="utf-8")
    assert load(con, first).new == 2
    again = load(con, second)
    assert (again.fetched, again.new, again.rejected) == (3, 1, 1)
    assert load(con, renamed).new == 1
    rows = con.execute(
        "SELECT record_id, raw_file_id, row_number, record::VARCHAR FROM raw.records ORDER BY record_id"
    ).fetchall()
    assert rows == [
        (1, 1, 1, '{"a":"1","b":"2"}'),
        (2, 1, 2, '{"a":"3","b":"4"}'),
        (3, 2, 2, '{"a":"5","b":"6"}'),
        (4, 3, 1, '{"a":"1","B":"2"}'),
    ]
    assert con.execute("SELECT reason FROM core.quarantine").fetchall() == [
        ("identical to record 2 of the same file: kept once",)
    ]
