"""The maps of the public pages, drawn as inline SVG when the page is rendered: no script, no tiles, no request.

State outlines come from the bundled topojson (static/topojson/, Plotly's Natural Earth shapes: `subunits`, one
per state by its two-letter code). Positions are a plain equirectangular projection with the width scaled by the
cosine of the middle latitude, which is close enough at a state's or the country's size; the national map puts
Alaska, Hawaii and Puerto Rico in insets, as printed maps of the US do."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPOJSON = ROOT / "static" / "topojson"
NATIONAL_SIZE = (960, 600)
STATE_SIZE = (640, 440)
# More dots than this on one map are gathered into one dot per small square, with the count in its title: a
# page of 20,000 circles is megabytes that no reader can tell apart at that size anyway.
MAX_DOTS = 2_000
CELL = 5  # SVG units per square when dots are gathered


@dataclass(frozen=True)
class Frame:
    """Projects longitude and latitude inside `bbox` (west, south, east, north) into the box (x, y, w, h)."""

    bbox: tuple[float, float, float, float]
    box: tuple[float, float, float, float]

    @property
    def _fit(self) -> tuple[float, float, float, float]:
        west, south, east, north = self.bbox
        squeeze = math.cos(math.radians((south + north) / 2))
        x, y, w, h = self.box
        scale = min(w / max((east - west) * squeeze, 1e-6), h / max(north - south, 1e-6))
        # centred in the box
        dx = x + (w - (east - west) * squeeze * scale) / 2
        dy = y + (h - (north - south) * scale) / 2
        return squeeze * scale, scale, dx, dy

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        sx, sy, dx, dy = self._fit
        west, _, _, north = self.bbox
        return dx + (lon - west) * sx, dy + (north - lat) * sy


# The national map: the lower 48 and DC fill the page; Alaska, Hawaii and Puerto Rico (with the Virgin Islands)
# sit in the empty corners. Guam, the Northern Mariana Islands and American Samoa are listed, not drawn.
LOWER_48 = Frame((-125.0, 24.0, -66.5, 49.5), (10, 10, 940, 520))
INSETS = {
    "AK": Frame((-170.0, 51.0, -129.0, 71.5), (10, 440, 170, 150)),
    "HI": Frame((-160.5, 18.8, -154.5, 22.3), (190, 520, 130, 70)),
    "PR": Frame((-67.4, 17.6, -64.5, 18.6), (820, 545, 120, 45)),
    "VI": Frame((-67.4, 17.6, -64.5, 18.6), (820, 545, 120, 45)),
}
NOT_DRAWN = frozenset({"GU", "MP", "AS", "UM"})


def _lon(state: str | None, lon: float) -> float:
    # The Aleutians cross the antimeridian: draw them west of the rest of Alaska, not at the other edge.
    return lon - 360 if state == "AK" and lon > 0 else lon


def national_frame(state: str | None) -> Frame | None:
    if state in NOT_DRAWN:
        return None
    return INSETS.get(state or "", LOWER_48)


@cache
def _topology(name: str) -> dict:
    path = TOPOJSON / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


@cache
def _arcs(name: str) -> list[list[tuple[float, float]]]:
    """The topology's arcs as absolute longitude and latitude (topojson stores quantised deltas)."""
    topology = _topology(name)
    if not topology:
        return []
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)
    return arcs


@cache
def outlines(name: str = "usa_110m") -> dict[str, list[list[tuple[float, float]]]]:
    """Each state's rings of (lon, lat), by its two-letter code; {} when the shapes are not installed."""
    topology = _topology(name)
    if not topology:
        return {}
    arcs = _arcs(name)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indices:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part[1:] if points else part)
        return points

    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["subunits"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[geometry["id"]] = [ring(r) for polygon in polygons for r in polygon]
    return shapes


def path(rings: list[list[tuple[float, float]]], project) -> str:
    """An SVG path of the rings through `project` (lon, lat) -> (x, y), at a tenth of a unit."""
    parts = []
    for points in rings:
        last = None
        out = []
        for lon, lat in points:
            x, y = project(lon, lat)
            here = f"{x:.1f},{y:.1f}"
            if here != last:
                out.append(here)
                last = here
        if len(out) > 2:
            parts.append("M" + "L".join(out) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    title: str
    href: str
    count: int = 1
    area_href: str = ""  # where a gathered dot links: the page of the area it stands in (its state's)


def national_shapes() -> list[tuple[str, str]]:
    """(state, SVG path) for every state drawn on the national map."""
    shapes = []
    for state, rings in sorted(outlines("usa_110m").items()):
        frame = national_frame(state)
        if frame is not None:
            shapes.append((state, path(rings, lambda lon, lat, s=state, f=frame: f.project(_lon(s, lon), lat))))
    return shapes


def state_frame(state: str, points: list[tuple[float, float]]) -> Frame | None:
    """A frame that fits the state's outline, or its agencies' positions where no outline is bundled."""
    rings = outlines("usa_50m").get(state) or outlines("usa_110m").get(state)
    coordinates = [(_lon(state, lon), lat) for ring in rings or [] for lon, lat in ring] or [
        (_lon(state, lon), lat) for lon, lat in points
    ]
    if not coordinates:
        return None
    lons, lats = [c[0] for c in coordinates], [c[1] for c in coordinates]
    pad = 0.3 if rings else 0.5
    bbox = (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)
    return Frame(bbox, (10, 10, STATE_SIZE[0] - 20, STATE_SIZE[1] - 20))


def state_shape(state: str, frame: Frame) -> str:
    rings = outlines("usa_50m").get(state) or outlines("usa_110m").get(state) or []
    return path(rings, lambda lon, lat: frame.project(_lon(state, lon), lat))


def gather(dots: list[Dot], rank: dict[str, int], many: str) -> list[Dot]:
    """At most about MAX_DOTS dots: past that, one per CELL square, coloured by its strongest status (the
    first by `rank`), titled with how many agencies it holds (`many` formatted with the count) and linked to
    the area its strongest agency stands in (or, for one agency, to that agency)."""
    if len(dots) <= MAX_DOTS:
        return dots
    cells: dict[tuple[int, int], list[Dot]] = {}
    for dot in dots:
        cells.setdefault((int(dot.x // CELL), int(dot.y // CELL)), []).append(dot)
    gathered = []
    for (cx, cy), inside in sorted(cells.items()):
        strongest = min(inside, key=lambda d: rank.get(d.colour, 99))
        title = strongest.title if len(inside) == 1 else many.format(n=len(inside))
        href = strongest.href if len(inside) == 1 else strongest.area_href or strongest.href
        gathered.append(Dot((cx + 0.5) * CELL, (cy + 0.5) * CELL, strongest.colour, title, href, len(inside)))
    return gathered
