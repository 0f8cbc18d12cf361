"""The brief's map on the page is the PDF's own drawing (documents/pdfmap.place), as an SVG picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dashboard.documents import pdfmap

SQUARE = {
    "type": "FeatureCollection",
    "features": [{"geometry": {"type": "Polygon", "coordinates": [[(-81, 25), (-80, 25), (-80, 26), (-81, 26)]]}}],
}
POINTS = [(-80.5, 25.5, "used"), (-80.2, 25.8, "procured"), (-80.9, 25.1, "used")]
NS = "{http://www.w3.org/2000/svg}"


def test_the_pages_picture_has_the_pdfs_dots_where_the_pdf_puts_them_and_its_legend():
    svg = ET.fromstring(pdfmap.svg(SQUARE, POINTS, width=110, height=62))  # well-formed, or this raises
    drawn = [c for c in svg.iter(f"{NS}circle") if c.get("stroke") is None]
    in_pdf = pdfmap.place(SQUARE, POINTS, 0, 0, 110 * pdfmap.SVG_SCALE, 62 * pdfmap.SVG_SCALE)
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in drawn][: len(POINTS)]
    assert len(dots) == len(in_pdf.dots) == len(POINTS)
    assert all(abs(x - px) < 0.06 and abs(y - py) < 0.06 for (x, y), (px, py, _) in zip(dots, in_pdf.dots))
    assert [t.text for t in svg.iter(f"{NS}text")] == ["procured", "used"]  # the statuses shown, in ladder order
    assert len(list(svg.iter(f"{NS}path"))) == 1


def test_a_place_with_nothing_to_draw_gives_an_empty_drawing():
    assert pdfmap.place({"features": []}, [], 0, 0, 100, 60) == pdfmap.Drawing([], [])
