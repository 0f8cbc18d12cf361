"""The Atlas rules' fast paths give what the plain rule gives, on real summaries from data/: the kind patterns'
lower-case twins and the words a pattern cannot match without (rules/literals.py), the sentence split's shortcut,
the vendor names grouped by first letter, and the transform's split of the distinct values among forked processes
(atlas.each)."""

from __future__ import annotations

import csv
import os
import random
import re
from pathlib import Path

import pytest

from ingest.build import build_database
from ingest.transform import atlas
from rules import claims, literals
from rules.redact import redact

DATA = Path(__file__).resolve().parent.parent / "data"
SUMMARY_FILES = (
    "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_full.csv",
    "atlas_of_surveillance/atlas_of_surveillance_2020-10-07_face_recognition.csv",
    "eff_campus_police_2021/scholars_unders_surveillance_dataset_03-03-2021.csv",
    "eff_border_communities_2020/aos-bordercounties_-_01.10.2020.csv",
)
# Words that set kinds, in the cases and letters that make lower-casing and re.I part ways: "ſ" (long s) and "K"
# (Kelvin sign) match "s" and "k" under re.I; "İ" lower-cases to two characters.
INSERTS = (
    "used",
    "USED",
    "Denied using",
    "ceased its use",
    "signed a contract",
    "FREE TRIAL",
    "has access",
    "plans to",
    "can access",
    "ran searches",
    "operates a",
    "uſes",
    "paid",
    "\u212aicked",
    "İ",
    "St.",
    "Clearview AI",
    "NEC",
    "face recognition",
)


def vendor_names() -> dict[str, list[str]]:
    with open(DATA / "catalog" / "vendors.csv", newline="", encoding="utf-8") as fh:
        return {r["vendor_id"]: [r["name"], *(a for a in r["aliases"].split("|") if a)] for r in csv.DictReader(fh)}


def real_summaries() -> list[str]:
    found: set[str] = set()
    for name in SUMMARY_FILES:
        with open(DATA / name, newline="", encoding="utf-8") as fh:
            found |= {r["Summary"] for r in csv.DictReader(fh) if r.get("Summary")}
    return sorted(found)


def varied_summaries() -> list[str]:
    """Every real summary, and for a thousand of them a copy in capitals, one with its case swapped and one with
    words of kinds (and letters re.I folds otherwise) put in."""
    real = real_summaries()
    rng = random.Random(17)
    varied = list(real)
    for summary in rng.sample(real, 1000):
        words = summary.split(" ")
        for _ in range(2):
            words.insert(rng.randrange(len(words) + 1), rng.choice(INSERTS))
        varied += [summary.upper(), summary.swapcase(), " ".join(words)]
    return varied


@pytest.fixture(scope="module")
def summaries() -> list[str]:
    varied = varied_summaries()
    assert len(varied) > 8000 and sum(not s.isascii() for s in varied) > 100
    return varied


def kinds(summaries: list[str], names: dict[str, list[str]]) -> list[tuple[str, str]]:
    ids = list(names)
    out = []
    for n, summary in enumerate(summaries):
        for vendor_id in (ids[n % len(ids)], "clearview_ai"):
            others = [x for v, ns in names.items() if v != vendor_id for x in ns]
            out.append(claims.kind_from_summary(summary, names[vendor_id], others))
    return out


def test_kinds_read_fast_are_the_kinds_read_by_the_plain_patterns(summaries, monkeypatch):
    names = vendor_names()
    fast = kinds(summaries, names)
    monkeypatch.setattr(claims, "LOWER_CASE_TWINS", dict.fromkeys(claims.LOWER_CASE_TWINS))
    monkeypatch.setattr(claims, "NEEDED_WORDS", dict.fromkeys(claims.NEEDED_WORDS))
    plain = kinds(summaries, names)
    assert fast == plain
    assert {k for k, _ in plain} == {k for k, _ in claims.KIND_RULES} | {"listed"}  # every kind is read


def plain_sentences(text: str) -> list[str]:
    """rules.claims.sentences as it read before its shortcut: SENTENCE.split on every text."""
    out: list[str] = []
    for piece in claims.SENTENCE.split(" ".join(text.split())):
        if out and claims.ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def test_sentences_split_without_the_regex_where_it_cannot_split(summaries):
    spaced = [
        "",
        " ",
        "One.",
        "a.  B",
        "a.\u00a0B",
        "a.\u2003B",
        "x!\tY",
        "U.S. Marshals. Then",
        "a?\n\n1",
        "St. Lucie. Next",
    ]
    for text in summaries + spaced:
        assert claims.sentences(text) == plain_sentences(text), text


def test_every_match_holds_one_of_the_needed_words(summaries):
    sentences = [s for summary in summaries for s in claims.sentences(summary) if s.isascii()]
    for kind, pattern in claims.KIND_RULES:
        words = claims.NEEDED_WORDS[kind]
        assert words, kind
        matched = [s for s in sentences if pattern.search(s)]
        assert matched, kind
        assert all(any(w in s.lower() for w in words) for s in matched), kind


@pytest.mark.parametrize(
    "pattern, words",
    [
        (r"\b(denied|denies) (ever )?using\b", {"denie"}),
        (r"\bno longer (uses?|using)\b|\bpreviously\b[^.]{0,40}\bused\b", {"no longer ", "previously"}),
        (r"(?<![\w.])(?:NEC|Cognitec)(?!\w)", {"nec", "cognitec"}),
        (r"\b(to|can)( \w+)?\s*$", {"to", "can"}),
        (r"x?y*", None),  # nothing is needed
        (r"[a-z]+|used", None),  # one alternative needs no word, so none is needed
    ],
)
def test_needed_words_of_a_pattern(pattern, words):
    assert literals.needed_words(re.compile(pattern, re.I)) == (frozenset(words) if words else None)


def test_vendor_names_grouped_by_letter_find_what_one_list_longest_first_finds(summaries):
    names = vendor_names()
    grouped = claims.VendorNames(names)
    every = sorted(grouped.vendor_of, key=len, reverse=True)
    plain = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, every)) + r")(?!\w)")
    for summary in summaries:
        expected = list(dict.fromkeys(grouped.vendor_of[m.group(0)] for m in plain.finditer(summary)))
        assert grouped.named_in(summary) == expected, summary


def test_split_among_processes_gives_the_answers_in_order(summaries, monkeypatch):
    monkeypatch.setattr(atlas, "SPLIT_FROM", 0)
    monkeypatch.setattr(atlas, "PROCESSES", 2)
    shown = atlas.each(lambda t: (redact(t.strip()), os.getpid()), summaries)
    assert [s for s, _ in shown] == [redact(t.strip()) for t in summaries]
    assert os.getpid() not in {pid for _, pid in shown} and len({pid for _, pid in shown}) == 2


PLAIN_PART = atlas._run_part


def noted_part(bounds: tuple[int, int]) -> list:
    """atlas._run_part, noting the process it ran in (a function of this module: the pool sends it by name)."""
    with open(os.environ["TEST_SPLIT_PIDS"], "a", encoding="ascii") as fh:
        fh.write(f"{os.getpid()}\n")
    return PLAIN_PART(bounds)


def test_a_build_whose_rules_run_in_forked_processes_stores_the_same_evidence(db, tmp_path, monkeypatch):
    # The bundled data has far fewer summaries than SPLIT_FROM, so the session's build read them here; this one
    # splits every rule of the Atlas transform among two forked processes.
    monkeypatch.setattr(atlas, "SPLIT_FROM", 0)
    monkeypatch.setattr(atlas, "PROCESSES", 2)
    monkeypatch.setattr(atlas, "_run_part", noted_part)
    monkeypatch.setenv("TEST_SPLIT_PIDS", str(tmp_path / "pids"))
    split = build_database(tmp_path / "split.duckdb").database
    pids = set((tmp_path / "pids").read_text(encoding="ascii").split())
    assert len(pids) >= 2 and str(os.getpid()) not in pids
    session = db.execute("SELECT current_database()").fetchone()[0]
    db.execute("ATTACH ? AS split (READ_ONLY)", [str(split)])
    try:
        for table in ("evidence", "evidence_links", "vendor_disagreements", "agencies", "vendors"):
            query = "SELECT * FROM {}.core." + table + " ORDER BY ALL"
            assert db.execute(query.format("split")).fetchall() == db.execute(query.format(session)).fetchall(), table
    finally:
        db.execute("DETACH split")
