"""Our catalog of facial-recognition vendors and products (data/catalog/)."""

DELIM = ","
VENDOR_COLUMNS = ("vendor_id", "name", "aliases", "homepage_url", "source_url", "other_lines", "notes")
PRODUCT_COLUMNS = ("product_id", "vendor_id", "name", "aliases", "product_terms", "source_url", "notes")


def required_columns(path) -> tuple[str, ...]:
    return PRODUCT_COLUMNS if "product" in path.name else VENDOR_COLUMNS
