"""USAspending.gov awards: the bundled flattened rows, and the live spending_by_award API.

Live: one POST per catalog vendor (as recipient) and award-type group, paged 100 at a time while
`page_metadata.hasNext`. The contract is in fedspendingtransparency/usaspending-api,
usaspending_api/api_contracts/contracts/v2/search/spending_by_award.md.
"""
from __future__ import annotations

import csv
from datetime import date, timedelta

from ingest.http import rebase
from ingest.paths import DATA_DIR
from ingest.sources._live import FetchContext, Outcome, json_body, records_at, require_fields

DELIM = ","
REQUIRED = ("vendor", "awardId", "recipient", "amount", "agency", "subAgency", "startDate", "endDate",
            "awardType", "description", "url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED


# --- live API ------------------------------------------------------------------------------------
RECORDS_PATH = "results"
KEY = "generated_internal_id"
PAGE_SIZE = 100
MAX_PAGES = 200            # 20,000 awards for one vendor and group: more means the query is wrong
EARLIEST = date(2007, 10, 1)   # the API's earliest start date for searches
OVERLAP = timedelta(days=31)   # re-read the last month: late-reported awards; the content hash drops repeats
GROUPS = {
    "contracts": ("A", "B", "C", "D"),
    "idvs": ("IDV_A", "IDV_B", "IDV_B_A", "IDV_B_B", "IDV_B_C", "IDV_C", "IDV_D", "IDV_E"),
    "grants": ("02", "03", "04", "05"),
}
COMMON_FIELDS = ("Award ID", "Recipient Name", "Award Amount", "Description", "Start Date", "End Date",
                 "Awarding Agency", "Awarding Sub Agency")
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
        "filters": {"award_type_codes": list(GROUPS[group]), "recipient_search_text": [term],
                    "time_period": [{"start_date": start.isoformat(), "end_date": end.isoformat()}]},
        "fields": [*COMMON_FIELDS, TYPE_FIELD[group]],
        "page": page, "limit": PAGE_SIZE, "sort": "Award Amount", "order": "desc", "subawards": False,
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
    fetched = 0
    for term in search_terms():
        for group in GROUPS:
            for page in range(1, MAX_PAGES + 1):
                body = request_body(term, group, start, today, page)
                response = ctx.client.post(url, json=body)
                ctx.run.save_response(response, ext="json", params={"recipient": term, "group": group, "page": page},
                                      extra={"request": body})
                where = f"spending_by_award ({term}, {group}, page {page})"
                document = json_body(response)
                rows = records_at(document, RECORDS_PATH, where)
                require_fields(rows, (*LIVE_REQUIRED, *COMMON_FIELDS), where)
                fetched += len(rows)
                ctx.advance(len(rows))
                if not (document.get("page_metadata") or {}).get("hasNext") or not rows:
                    break
    return Outcome(fetched, {"through": today.isoformat()}, [f"awards from {start.isoformat()}"])
