"""The brief's map drawn in the PDF itself: county outlines and one dot per agency, coloured by status.

Vector shapes in the page print sharply and take milliseconds; a picture through kaleido starts a browser and
took 2.5 of the 3 seconds a brief may take here."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rules.claims import STATUSES

COLOURS = {s.name: s.map_colour for s in STATUSES}
OUTLINE, LAND = (150, 150, 150), (242, 242, 242)
DOT_MM = 1.1
LEGEND_MM = 5


@dataclass(frozen=True)
class Frame:
    """Where map coordinates land on the page: a Web Mercator box fitted into x, y, w, h (mm)."""

    west: float
    north: float  # projected
    scale: float  # mm per projected unit
    x: float
    y: float

    def at(self, lon: float, lat: float) -> tuple[float, float]:
        return self.x + (lon - self.west) * self.scale, self.y + (self.north - mercator(lat)) * self.scale


def mercator(lat: float) -> float:
    """Latitude in the same units as longitude, as on a Web Mercator map (degrees of longitude)."""
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are not drawn: the land inside them is grey anyway)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def fit(lonlats: list[tuple[float, float]], x: float, y: float, w: float, h: float) -> Frame | None:
    """The frame that shows every point, centred in the box, with the same scale on both axes."""
    if not lonlats:
        return None
    lons = [p[0] for p in lonlats]
    ys = [mercator(p[1]) for p in lonlats]
    span_x, span_y = max(max(lons) - min(lons), 0.05), max(max(ys) - min(ys), 0.05)
    scale = min(w / span_x, h / span_y)
    pad_x, pad_y = (w - span_x * scale) / 2, (h - span_y * scale) / 2
    return Frame(min(lons), max(ys), scale, x + pad_x, y + pad_y)


@dataclass(frozen=True)
class Drawing:
    """The map placed in a box: county outlines and (x, y, status) dots, in the box's units."""

    polygons: list[list[tuple[float, float]]]
    dots: list[tuple[float, float, str]]


def place(shapes: dict, points: list[tuple[float, float, str]], x: float, y: float, w: float, h: float) -> Drawing:
    """County shapes and (lon, lat, status) points fitted into the box: the one drawing the PDF and the page share."""
    outlines = [ring for f in shapes.get("features", []) for ring in rings(f.get("geometry"))]
    everything = [tuple(p) for ring in outlines for p in ring] + [(lon, lat) for lon, lat, _ in points]
    frame = fit(everything, x, y, w, h)
    if frame is None:
        return Drawing([], [])
    return Drawing(
        [[frame.at(lon, lat) for lon, lat in ring] for ring in outlines],
        [(*frame.at(lon, lat), status) for lon, lat, status in points],
    )


def draw(doc, shapes: dict, points: list[tuple[float, float, str]], width: float, height: float) -> None:
    """County shapes and (lon, lat, status) dots in a box `width` x `height` mm, centred at the cursor, then a
    legend of the statuses shown, one line below it."""
    x, y = (doc.w - width) / 2, doc.get_y()
    drawing = place(shapes, points, x, y, width, height)
    if not drawing.polygons and not drawing.dots:
        return
    doc.set_draw_color(*OUTLINE)
    doc.set_fill_color(*LAND)
    doc.set_line_width(0.15)
    for polygon in drawing.polygons:
        doc.polygon(polygon, style="DF")
    doc.set_draw_color(255)
    for cx, cy, status in drawing.dots:
        doc.set_fill_color(COLOURS.get(status, "#888888"))
        doc.circle(cx, cy, DOT_MM, style="DF")
    doc.set_y(y + height + 1)
    legend(doc, [s for s in COLOURS if any(p[2] == s for p in points)])
    doc.set_draw_color(0)
    doc.set_line_width(0.2)


SVG_SCALE = 8  # SVG units per mm: the page's picture is the PDF's map at a screen's size


def svg(shapes: dict, points: list[tuple[float, float, str]], width: float, height: float) -> str:
    """The same map as an SVG picture for the page (numbers and our own colours only: no text from a source)."""
    w, h = width * SVG_SCALE, height * SVG_SCALE
    drawing = place(shapes, points, 0, 0, w, h)
    land = "#{:02x}{:02x}{:02x}".format(*LAND)
    line = "#{:02x}{:02x}{:02x}".format(*OUTLINE)
    paths = "".join(
        '<path d="M{}Z"/>'.format("L".join(f"{px:.1f},{py:.1f}" for px, py in polygon)) for polygon in drawing.polygons
    )
    dots = "".join(
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{DOT_MM * SVG_SCALE:.1f}" fill="{COLOURS.get(status, "#888888")}"/>'
        for cx, cy, status in drawing.dots
    )
    # The legend, as under the PDF's map: the statuses shown, our own words.
    shown = [s for s in COLOURS if any(p[2] == s for p in points)]
    widths = [20 + 11 * len(status) + 24 for status in shown]  # dot, label at about 11 units a letter, gap
    key, x, row = [], (w - sum(widths)) / 2, h + LEGEND_MM * SVG_SCALE / 2
    for status, width in zip(shown, widths):
        key.append(
            f'<circle cx="{x + 8:.0f}" cy="{row:.0f}" r="{DOT_MM * SVG_SCALE:.1f}" fill="{COLOURS[status]}"/>'
            f'<text x="{x + 20:.0f}" y="{row + 6:.0f}">{status}</text>'
        )
        x += width
    tall = h + LEGEND_MM * SVG_SCALE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {tall:.0f}" width="{w:.0f}" height="{tall:.0f}">'
        f'<g fill="{land}" stroke="{line}" stroke-width="1">{paths}</g>'
        f'<g stroke="#ffffff" stroke-width="1.5">{dots}</g>'
        f'<g font-family="sans-serif" font-size="18" fill="#333">{"".join(key)}</g></svg>'
    )


def legend(doc, statuses: list[str]) -> None:
    doc.set_font("DejaVu", "", 7)
    widths = [doc.get_string_width(s) + 2 * DOT_MM + 4 for s in statuses]
    x = (doc.w - sum(widths)) / 2
    y = doc.get_y()
    for status, width in zip(statuses, widths):
        doc.set_fill_color(COLOURS[status])
        doc.circle(x + DOT_MM, y + LEGEND_MM / 2, DOT_MM, style="F")
        doc.set_xy(x + 2 * DOT_MM + 1, y)
        doc.cell(width - 2 * DOT_MM - 1, LEGEND_MM, status)
        x += width
    doc.set_xy(doc.l_margin, y + LEGEND_MM + 1)
