"""Records-law deadlines: business days across holidays, calendar days, and no fixed deadline."""

from dataclasses import replace
from datetime import date

from dashboard import queries
from dashboard.documents.letter import build_letter, law_from_row
from rules.deadlines import add_business_days, due_date


def test_federal_foia_20_business_days_across_thanksgiving():
    # Nov 16, 2026 (a Monday): Thanksgiving (Nov 26) is skipped; the day after is a working day.
    found = due_date(date(2026, 11, 16), "US", 20, "business", "FOIA")
    assert found.due == date(2026, 12, 15)
    assert "20 business days" in found.explanation


def test_business_days_skip_weekends_and_new_year():
    assert add_business_days(date(2026, 12, 31), 1, "US") == date(2027, 1, 4)  # Jan 1 is a Friday holiday


def test_a_state_with_calendar_days():
    law = law_from_row(queries.records_law("CA"), "CA")
    assert (law.response_days, law.day_type) == (10, "calendar")
    assert law.deadline(date(2026, 11, 16)).due == date(2026, 11, 26)  # calendar days count the holiday
    assert "7922.535" in law.citation


def test_a_state_with_no_fixed_deadline_says_so():
    law = law_from_row(queries.records_law("AL"), "AL")
    found = law.deadline(date(2026, 11, 16))
    assert found.due is None and "no fixed response deadline" in found.explanation
    assert "no fixed response deadline" in law.deadline_sentence(date(2026, 11, 16))


def test_unknown_day_kinds_give_both_readings():
    # Every state in our table now says which days it counts; a law that does not (as the compiled table once
    # did for most) gets both readings rather than a guess.
    law = replace(law_from_row(queries.records_law("MI"), "MI"), day_type="unknown")
    found = law.deadline(date(2026, 11, 16))
    assert found.due is None and (found.earliest, found.latest) == (date(2026, 11, 21), date(2026, 11, 23))
    assert "between November 21, 2026 and November 23, 2026" in law.deadline_sentence(date(2026, 11, 16))


def test_federal_letter_names_its_due_date():
    law = law_from_row(queries.records_law("US"), "US")
    assert "that is by December 15, 2026" in law.deadline_sentence(date(2026, 11, 16))


# Sourced corrections (data/corrections.csv, source_id public_records_laws): each case checks the rule, the
# due date it gives, and that the source URL read for it is carried to the row's caveat.


def test_new_mexico_counts_fifteen_calendar_days():
    row = queries.records_law("NM")
    law = law_from_row(row, "NM")
    assert (law.response_days, law.day_type) == (15, "calendar")  # the compiled table left the days blank
    assert law.deadline(date(2026, 11, 16)).due == date(2026, 12, 1)  # Thanksgiving counts
    assert "https://www.nmag.gov/public-records-inspection-request.aspx" in row["caveat"]
    assert "within 15 calendar days, that is by December 1, 2026" in law.deadline_sentence(date(2026, 11, 16))


def test_south_carolina_is_ten_business_days_not_the_tables_fifteen():
    row = queries.records_law("SC")
    law = law_from_row(row, "SC")
    assert (law.response_days, law.day_type) == (10, "business")
    assert law.deadline(date(2026, 11, 16)).due == date(2026, 12, 1)  # ten business days, skipping Thanksgiving
    assert "https://masc.sc/node/1169" in row["caveat"] and "Corrects the compiled table's 15" in row["caveat"]


def test_pennsylvania_five_business_days_with_the_extension_in_the_caveat():
    row = queries.records_law("PA")
    law = law_from_row(row, "PA")
    assert (law.response_days, law.day_type) == (5, "business")
    # Monday Nov 23, 2026: skips Thanksgiving, the day after (a Pennsylvania holiday in `holidays`) and the weekend.
    assert law.deadline(date(2026, 11, 23)).due == date(2026, 12, 2)
    assert "67.901" in law.citation  # the table cited the pre-2009 law
    assert "section-67901-general-rule" in row["caveat"] and "§ 67.902(b)" in row["caveat"]
    assert "that is by December 2, 2026" in law.deadline_sentence(date(2026, 11, 23))


def test_texas_business_days_and_the_statutes_promptly():
    row = queries.records_law("TX")
    law = law_from_row(row, "TX")
    assert (law.response_days, law.day_type) == (10, "business")
    sentence = law.deadline_sentence(date(2026, 11, 16))
    assert "within 10 business days" in sentence
    assert (
        "“means as soon as possible under the circumstances, that is, within a reasonable time, without delay.”"
        in sentence
    )
    assert "https://lexace.ai/us/statute/texas/552.221" in row["caveat"]


def test_florida_letter_quotes_the_statute_where_no_deadline_is_set():
    row = queries.records_law("FL")
    law = law_from_row(row, "FL")
    assert law.response_days is None and law.day_type == "none"
    found = law.deadline(date(2026, 11, 16))
    assert found.due is None and found.earliest is None and "no fixed response deadline" in found.explanation
    sentence = law.deadline_sentence(date(2026, 11, 16))
    assert sentence.startswith(
        "The Florida Public Records Law sets no fixed response deadline. Fla. Stat. § 119.07(1)(c)"
    )
    assert (
        "“acknowledge requests to inspect or copy records promptly and respond to such requests in good faith,”"
        in sentence
    )
    assert "https://myfloridalegal.com/node/2857" in row["caveat"]
    assert "our table" not in sentence  # a fact from a source, not a gap in the table


def test_ohio_no_fixed_deadline_in_the_letter_itself():
    agency = {"name": "Example Police Department", "city": "Columbus", "county": None, "state": "OH"}
    claims = queries.agency_claims("no-such-agency")
    law = law_from_row(queries.records_law("OH"), "OH")
    letter = build_letter(agency, claims, law, date(2026, 11, 28))
    assert "sets no fixed response deadline. Ohio Rev. Code § 149.43(B)(1)" in letter
    assert "“shall be promptly prepared and made available for inspection" in letter
    assert "ohiocourtofclaims.gov" in queries.records_law("OH")["caveat"]


def test_states_with_no_fixed_deadline_carry_the_statutes_words_and_a_source():
    for row in (queries.records_law(s) for s in ("AL", "AZ", "IA", "MN", "NC", "ND", "OK", "WI", "MT")):
        assert row["day_type"] == "none" and row["response_days"] is None and row["deadline_note"], row["state"]
        assert "http" in row["caveat"], row["state"]


def test_a_correction_that_contradicts_itself_is_quarantined_not_applied():
    """A bad corrections row must not stop the build or reach a letter: the compiled row stands."""
    import json

    from ingest import db
    from ingest.transform import records_laws

    con = db.connect(":memory:")
    db.create_schema(con)
    con.execute("""INSERT INTO meta.sources (source_id, name, platform, url, license, attribution, weight) VALUES
        ('laws', 'SYNTHETIC laws', 'public_records_laws', 'http://127.0.0.1/l', 'test', 'test', 'reference'),
        ('fixes', 'SYNTHETIC corrections', 'corrections', 'http://127.0.0.1/c', 'test', 'test', 'reference')""")
    law = {
        "state": "zz",
        "name": "Synthetic Records Act",
        "abbr": "",
        "statute": "ZZ 1",
        "responseWithinDays": "",
        "rcGuideUrl": "http://127.0.0.1/guide",
    }
    fixes = [
        {
            "source_id": "laws",
            "record_key": "zz",
            "field": f,
            "action": "replace",
            "value": v,
            "note": "test",
            "source": "http://127.0.0.1/s",
            "date": "2026-11-28",
        }
        for f, v in (("day_type", "none"), ("responseWithinDays", "10"))
    ]
    for n, (source, record) in enumerate([("laws", law)] + [("fixes", f) for f in fixes], start=1):
        con.execute(
            "INSERT INTO raw.records VALUES (?, ?, 1, 1, ?, md5(?), ?)", [n, source, n, str(n), json.dumps(record)]
        )
    records_laws.run(con)
    assert con.execute("SELECT response_days, day_type FROM core.records_laws").fetchall() == [(None, "unknown")]
    (reason,) = con.execute("SELECT reason FROM core.quarantine WHERE source_id = 'corrections'").fetchone()
    assert "day_type 'none' but 10 response days" in reason
