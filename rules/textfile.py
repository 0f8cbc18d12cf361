"""Reading a table of text that someone handed us (a workbench upload, a file given to `ingest run file`):
one decoding for both, the characters no cell should keep, and how long a cell may be.

Encodings, in the order they are tried: a byte order mark (UTF-8, UTF-16 LE or BE); UTF-16 without one,
told by where its NUL bytes fall; UTF-8; and Latin-1, which reads any bytes at all.
"""

from __future__ import annotations

import csv
import io

from rules.redact import clear_cut

# The longest cell an upload keeps, in characters: longer ones are cut and say so. Enough for any agency name
# or note; it bounds what one cell costs to redact, match and draw.
CELL_MAX = 10_000
CUT_MARK = f"… [cut at {CELL_MAX:,} characters]"
# The longest text compared with agency names (the longest in the registry is under 100 characters).
NAME_MAX = 300
# The largest file the workbench accepts, in megabytes (Streamlit's uploader refuses larger ones itself).
UPLOAD_MAX_MB = 100

# NUL and the byte order mark (U+FEFF, the BOM when it is not the first character): invisible in a table,
# yet they make two equal names differ. They are removed wherever they stand.
INVISIBLE = {0: None, 0xFEFF: None}
SNIFF_BYTES = 4096

# Python's csv module refuses fields over 128 KiB: a long cell should be cut and reported, not make the file
# unreadable. The limit is process-wide, so it is only ever raised.
if csv.field_size_limit() < UPLOAD_MAX_MB * 1024 * 1024:
    csv.field_size_limit(UPLOAD_MAX_MB * 1024 * 1024)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text without NULs or stray BOMs, and the encoding it was read as."""
    text, encoding = _decode(data)
    return clean(text), encoding


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    guess = utf16_without_bom(data)
    if guess:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            pass  # an odd byte count or a broken surrogate: not UTF-16 after all
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the file looks like UTF-16 with no BOM, else None.

    Text that is mostly Latin script has a NUL as the high byte of nearly every character: at odd
    offsets in little-endian, at even offsets in big-endian. UTF-8 and Latin-1 text has no NULs at all."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.3 and nul_even < 0.05:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.05:
        return "utf-16-be"
    return None


def clean(text: str) -> str:
    return text.translate(INVISIBLE) if ("\x00" in text or "\ufeff" in text) else text


def cap(text: str) -> tuple[str, bool]:
    """The cell cut to CELL_MAX characters with CUT_MARK at its end, and whether it was cut.

    The cut never falls inside an email address, phone number or named contact: half of one would no longer
    be recognised by redaction, and would be shown."""
    if len(text) <= CELL_MAX:
        return text, False
    return text[: clear_cut(text, CELL_MAX)] + CUT_MARK, True


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]], str]:
    """A CSV file's header, its rows and the encoding it was read as (see `decode`)."""
    text, encoding = decode(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return (rows[0] if rows else []), rows[1:], encoding
