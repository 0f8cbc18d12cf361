"""Small PDF writer over fpdf2 with a Unicode font, so quotes and names print as written."""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
WEB_ADDRESS = re.compile(r"(?i)https?://[^\s]+")


def web_link(url) -> str:
    """The URL if it is an http(s) address, else '': a PDF reader opens a link's target as it is (javascript:,
    file:, a local program), so only web addresses become links. The address is still printed as text."""
    url = url.strip() if isinstance(url, str) else ""
    return url if WEB_ADDRESS.fullmatch(url) else ""


class Document(FPDF):
    def __init__(self, title: str, footer: str = ""):
        super().__init__(format="Letter")
        self.footer_text = footer
        self.set_title(title)
        self.set_creator("Who's Watching")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.add_page()

    def footer(self) -> None:
        if self.footer_text:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7)
            self.set_text_color(110)
            self.cell(0, 5, f"{self.footer_text} · page {self.page_no()}", align="C")
            self.set_text_color(0)

    def heading(self, text: str, size: float = 13) -> None:
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", markdown=False)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 9.5, gap: float = 1.5, link: str = "") -> None:
        """Text as written: markdown stays off (fpdf2 would read **, __ and -- in record text as styling)."""
        self.set_font("DejaVu", "", size)
        # Left-aligned: justified lines with a long URL or name in them stretch into gaps wider than the words.
        self.multi_cell(
            0, size * 0.48, text, new_x="LMARGIN", new_y="NEXT", link=web_link(link), markdown=False, align="L"
        )
        self.ln(gap)

    def bytes(self) -> bytes:
        return bytes(self.output())


def text_to_pdf(title: str, text: str, footer: str = "") -> bytes:
    """A plain letter: each blank-line-separated block is a paragraph."""
    doc = Document(title, footer)
    for block in text.split("\n\n"):
        doc.paragraph(block.strip("\n"), size=10.5, gap=2.5)
    return doc.bytes()
