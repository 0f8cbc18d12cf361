"""USAspending.gov award rows (flattened spending_by_award results)."""
DELIM = ","
REQUIRED = ("vendor", "awardId", "recipient", "amount", "agency", "subAgency", "startDate", "endDate",
            "awardType", "description", "url")


def required_columns(path) -> tuple[str, ...]:
    return REQUIRED
