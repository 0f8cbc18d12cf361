"""USAspending.gov awards: the bundled flattened rows, and the live spending_by_award API.

Live: one POST per catalog vendor (as recipient) and award-type group, paged 100 at a time while
`page_metadata.hasNext`; then, for every award found, its detail (GET /api/v2/awards/{id}/: the full
description and the place of performance) and, for grants, its sub-awards (POST /api/v2/subawards/:
where a federal grant passes money on, e.g. to a local agency). The contracts are in
fedspendingtransparency/usaspending-api, usaspending_api/api_contracts/contracts/v2/search/spending_by_award.md,
v2/awards/award_id.md and v2/subawards.md.

The search pages are the source: any fault in them fails the run. A detail or a grant's sub-awards that
cannot be fetched (after the client's retries) only costs that award its extras: the failure is noted
in the run, nothing of it is archived, and the award keeps its search-page description. After
MAX_EXTRA_FAILURES such failures the host is taken to be down and no more extras are asked for.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from urllib.parse import quote

from ingest.http import FetchError, rebase
from ingest.paths import DATA_DIR
from ingest.raw import SchemaDrift
from ingest.sources._live import FetchContext, Outcome, json_body, records_at, require_fields

DELIM = ","
REQUIRED = (
    "vendor",
    "awardId",
    "recipient",
    "amount",
    "agency",
    "subAgency",
    "startDate",
    "endDate",
    "awardType",
    "description",
    "url",
)


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED


# --- live API ------------------------------------------------------------------------------------
RECORDS_PATH = "results"
KEY = "generated_internal_id"
PAGE_SIZE = 100
MAX_PAGES = 200  # 20,000 awards for one vendor and group: more means the query is wrong
EARLIEST = date(2007, 10, 1)  # the API's earliest start date for searches
OVERLAP = timedelta(days=31)  # re-read the last month: late-reported awards; the content hash drops repeats
GROUPS = {
    "contracts": ("A", "B", "C", "D"),
    "idvs": ("IDV_A", "IDV_B", "IDV_B_A", "IDV_B_B", "IDV_B_C", "IDV_C", "IDV_D", "IDV_E"),
    "grants": ("02", "03", "04", "05"),
}
COMMON_FIELDS = (
    "Award ID",
    "Recipient Name",
    "Award Amount",
    "Description",
    "Start Date",
    "End Date",
    "Awarding Agency",
    "Awarding Sub Agency",
)
# Procurement rows carry "Contract Award Type", assistance rows "Award Type" (the API contract says so).
TYPE_FIELD = {"contracts": "Contract Award Type", "idvs": "Contract Award Type", "grants": "Award Type"}
LIVE_REQUIRED = ("Award ID", "Recipient Name", "Award Amount", "generated_internal_id")


def required_fields(source, meta) -> tuple[str, ...]:
    return LIVE_REQUIRED


def search_terms(catalog_dir=DATA_DIR / "catalog") -> list[str]:
    """Recipient names to search: each catalog vendor's name (the API matches names, UEIs and DUNS)."""
    with open(catalog_dir / "vendors.csv", newline="", encoding="utf-8") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def request_body(term: str, group: str, start: date, end: date, page: int) -> dict:
    return {
        "filters": {
            "award_type_codes": list(GROUPS[group]),
            "recipient_search_text": [term],
            "time_period": [{"start_date": start.isoformat(), "end_date": end.isoformat()}],
        },
        "fields": [*COMMON_FIELDS, TYPE_FIELD[group]],
        "page": page,
        "limit": PAGE_SIZE,
        "sort": "Award Amount",
        "order": "desc",
        "subawards": False,
    }


def start_date(ctx: FetchContext) -> date:
    if ctx.since:
        return max(ctx.since, EARLIEST)
    if ctx.cursor.get("through"):
        return max(date.fromisoformat(ctx.cursor["through"]) - OVERLAP, EARLIEST)
    return EARLIEST


def fetch(ctx: FetchContext) -> Outcome:
    url = rebase(ctx.source.endpoint, ctx.base_url)
    start, today = start_date(ctx), date.today()
    fetched, awards = 0, {}  # awards: generated id -> award-type group, in the order found
    for term in search_terms():
        for group in GROUPS:
            for page in range(1, MAX_PAGES + 1):
                body = request_body(term, group, start, today, page)
                response = ctx.client.post(url, json=body)
                ctx.run.save_response(
                    response,
                    ext="json",
                    params={"recipient": term, "group": group, "page": page},
                    extra={"request": body},
                )
                where = f"spending_by_award ({term}, {group}, page {page})"
                document = json_body(response)
                rows = records_at(document, RECORDS_PATH, where)
                require_fields(rows, (*LIVE_REQUIRED, *COMMON_FIELDS), where)
                for row in rows:
                    if isinstance(row, dict) and row.get(KEY):
                        awards.setdefault(row[KEY], group)
                fetched += len(rows)
                ctx.advance(len(rows))
                if not (document.get("page_metadata") or {}).get("hasNext") or not rows:
                    break
    failures = fetch_extras(ctx, api_root(url), awards)
    return Outcome(fetched, {"through": today.isoformat()}, [f"awards from {start.isoformat()}", *failures])


# --- award detail and sub-awards -----------------------------------------------------------------
DETAIL_PATH = "/api/v2/awards/{}/"
SUBAWARDS_PATH = "/api/v2/subawards/"
SUBAWARD_FIELDS = ("id", "subaward_number", "recipient_name", "amount")
MAX_EXTRA_FAILURES = 5


def api_root(url: str) -> str:
    return url[: url.index("/api/")] if "/api/" in url else url.rstrip("/")


def fetch_extras(ctx: FetchContext, root: str, awards: dict[str, str]) -> list[str]:
    """Each award's detail, and each grant's sub-awards; returns a note per failure."""
    failures: list[str] = []

    def tolerated(what: str, fetch_one, *args):
        try:
            return fetch_one(*args)
        except (FetchError, SchemaDrift) as exc:
            failures.append(f"{what}: {exc}")
            return None

    for n, (award_id, group) in enumerate(awards.items()):
        if len(failures) >= MAX_EXTRA_FAILURES:
            failures.append(f"{len(awards) - n} award(s) left without detail: the host looks down")
            break
        detail = tolerated(
            f"detail of {award_id} not fetched, the award keeps its search-page row", fetch_detail, ctx, root, award_id
        )
        # A detail that says the grant has no sub-awards saves the request; no detail, ask anyway.
        if group == "grants" and (detail is None or detail.get("subaward_count") != 0):
            tolerated(f"sub-awards of {award_id} not fetched", fetch_subawards, ctx, root, award_id)
    return failures


def fetch_detail(ctx: FetchContext, root: str, award_id: str) -> dict:
    response = ctx.client.get(root + DETAIL_PATH.format(quote(award_id, safe="")))
    detail = json_body(response)
    served = detail.get("generated_unique_award_id") if isinstance(detail, dict) else None
    if str(served).upper() != award_id.upper():
        raise SchemaDrift(f"award detail of {award_id}: field 'generated_unique_award_id' is {served!r}")
    ctx.run.save_response(response, ext="json", kind="lookup", extra={"award_id": award_id})
    return detail


def fetch_subawards(ctx: FetchContext, root: str, award_id: str) -> int:
    """Every page before any is saved: a grant's sub-awards are archived whole or not at all."""
    pages = []
    for page in range(1, MAX_PAGES + 1):
        body = {"award_id": award_id, "page": page, "limit": PAGE_SIZE, "sort": "subaward_number", "order": "desc"}
        response = ctx.client.post(root + SUBAWARDS_PATH, json=body)
        where = f"sub-awards of {award_id}, page {page}"
        document = json_body(response)
        rows = records_at(document, "results", where)
        require_fields(rows, SUBAWARD_FIELDS, where)
        pages.append((response, body, len(rows)))
        if not (document.get("page_metadata") or {}).get("hasNext") or not rows:
            break
    for response, body, _ in pages:
        ctx.run.save_response(response, ext="json", kind="lookup", extra={"prime_award_id": award_id, "request": body})
    return sum(n for *_, n in pages)


def archived_rows(item) -> list[dict]:
    """A lookup is an award detail (one object, as served) or a page of a grant's sub-awards, each row
    tagged with the award it belongs to, which the page itself does not name."""
    document = json.loads(item.path.read_bytes())
    prime = item.meta.get("prime_award_id")
    if prime is None:
        return [document]
    return [{**row, "prime_award_id": prime} for row in document.get("results") or [] if isinstance(row, dict)]
