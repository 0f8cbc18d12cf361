"""Plotly figures. Every geo chart takes PLOTLY_CONFIG so outlines come from our own server."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from rules import claims, documented

# plotly.js otherwise fetches outlines from its CDN: the page must call no host but ours.
PLOTLY_CONFIG = {
    "topojsonURL": "/app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
}

# Marker colours, strongest status first (rules/claims.py STATUSES: the one list of statuses).
STATUS_COLOURS = {s.name: s.map_colour for s in claims.STATUSES}


def plotly_text(values: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Record text for labels, legends and hover text. plotly.js reads <b>, <a href> and <span style> in them,
    and a style can fetch an image from another host; as entities, < > & are shown exactly as written."""
    return values.map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)


def county_outlines(shapes: dict, name: str | None = None) -> go.Choropleth:
    """County shapes drawn flat grey under the points: the ground a map is framed on."""
    ids = [f["id"] for f in shapes["features"]]
    return go.Choropleth(
        geojson=shapes,
        locations=ids,
        z=[0] * len(ids),
        showscale=False,
        colorscale=[[0, "#f2f2f2"], [1, "#f2f2f2"]],
        hoverinfo="skip",
        marker={"line": {"width": 0.4, "color": "#999"}},
        name=name,
    )


def agency_map(
    agencies: pd.DataFrame,
    policies: pd.DataFrame | None = None,
    researched: pd.DataFrame | None = None,
    extent: dict | None = None,
    outlines: dict | None = None,
) -> go.Figure:
    """Agencies by status over the US, with policies and (optionally) agencies researched without evidence.
    With an `extent` (the chosen states' box, queries.state_extent) the map is framed on it and on every point
    drawn; without one it shows the whole country. `outlines` (county shapes, counties_of) are drawn under
    everything: a framed map's own outlines have no state borders, and a state with no points still shows."""
    fig = go.Figure()
    if outlines and outlines.get("features"):
        fig.add_trace(county_outlines(outlines, name="counties"))
    if researched is not None and not researched.empty:
        # Drawn first, small and grey: known ground with nothing found, under the evidence.
        fig.add_trace(
            go.Scattergeo(
                lon=researched["longitude"],
                lat=researched["latitude"],
                name="researched or asked, nothing found",
                mode="markers",
                marker={"size": 4, "color": "#9e9e9e", "opacity": 0.6},
                customdata=plotly_text(researched[["agency_id", "name", "technologies"]])
                .assign(agency_id=researched["agency_id"])
                .values,  # the id goes back to the page as it is
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
            )
        )
    placed = agencies.dropna(subset=["latitude", "longitude"])
    # Every status carries its date; a status whose newest evidence is over five years old is drawn faded.
    last = placed["last_documented"] if "last_documented" in placed else pd.Series(None, index=placed.index)
    placed = placed.assign(when=[documented.when(d) for d in last], stale=[documented.is_stale(d) for d in last])
    for status in STATUS_COLOURS:
        part = placed[placed["status"] == status]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=part["longitude"],
                lat=part["latitude"],
                name=status,
                mode="markers",
                marker={
                    "size": 6 + 3 * part["evidence_count"].clip(upper=8),
                    "color": STATUS_COLOURS[status],
                    "line": {"width": 0.5, "color": "white"},
                    "opacity": [0.3 if old else 0.85 for old in part["stale"]],
                },
                customdata=plotly_text(
                    part[["agency_id", "name", "products", "evidence_count", "placement", "location_note", "when"]]
                )
                .assign(agency_id=part["agency_id"])
                .values,
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>status: " + status + ", %{customdata[6]}<br>%{customdata[2]}"
                    "<br>%{customdata[3]} evidence row(s)<br>%{customdata[4]}<br>%{customdata[5]}<extra></extra>"
                ),
            )
        )
    if policies is not None and not policies.empty:
        located = policies.dropna(subset=["latitude", "longitude"])
        if not located.empty:
            fig.add_trace(
                go.Scattergeo(
                    lon=located["longitude"],
                    lat=located["latitude"],
                    name="local policy",
                    mode="markers",
                    marker={
                        "symbol": "diamond",
                        "size": 11,
                        "color": STATUS_COLOURS["banned"],
                        "line": {"width": 1, "color": "white"},
                    },
                    customdata=plotly_text(located[["jurisdiction", "stance", "date_text"]].fillna("")).values,
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra>policy</extra>",
                )
            )
    fig.update_geos(
        scope="usa",
        projection_type="albers usa",
        showland=True,
        landcolor="#f5f5f5",
        showsubunits=True,
        subunitcolor="#999",
        showlakes=False,
    )
    if extent is not None:
        fig.update_geos(**framed(extent, fig.data, outlines))
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=520, legend={"title": "status", "orientation": "h", "y": -0.02}
    )
    return fig


def _corners(shapes: dict | None) -> list[tuple[float, float]]:
    """The (lon, lat) corners of each shape's box in a GeoJSON FeatureCollection."""
    corners = []
    for feature in (shapes or {}).get("features", []):
        flat = []
        stack = [(feature.get("geometry") or {}).get("coordinates", [])]
        while stack:
            item = stack.pop()
            if item and isinstance(item[0], (int, float)):
                flat.append(item)
            else:
                stack.extend(item)
        if flat:
            lons, lats = [c[0] for c in flat], [c[1] for c in flat]
            corners += [(min(lons), min(lats)), (max(lons), max(lats))]
    return corners


def framed(extent: dict, traces=(), outlines: dict | None = None) -> dict:
    """Geo settings that show the box `extent`, every point of `traces` and the `outlines` shapes, with a margin
    (county points alone would leave out the Florida Keys: Monroe County's point is on the mainland).

    Albers USA (the national view) ignores axis ranges and cannot be framed, and plotly.js fails to draw the
    "usa" scope in any other projection; so a framed map is the world outlines in Mercator (as the brief's map),
    with explicit ranges that anyone (and a test) can read in the layout.
    """
    lats = [extent["lat_min"], extent["lat_max"]]
    lons = [extent["lon_min"], extent["lon_max"]]
    for lon, lat in _corners(outlines):
        lats.append(lat)
        lons.append(lon)
    for trace in traces:
        trace_lats, trace_lons = getattr(trace, "lat", None), getattr(trace, "lon", None)
        for lat, lon in zip(() if trace_lats is None else trace_lats, () if trace_lons is None else trace_lons):
            if pd.notna(lat) and pd.notna(lon):
                lats.append(float(lat))
                lons.append(float(lon))
    # As in queries.state_extent: a point east of the antimeridian (Alaska's Aleutians) counts as far west, and
    # the box stops at 180 W rather than wrapping round the globe.
    lons = [max(lon - 360 if lon > 0 else lon, -180.0) for lon in lons]
    lat_min, lat_max, lon_min, lon_max = min(lats), max(lats), min(lons), max(lons)
    lat_pad = max(0.12 * (lat_max - lat_min), 0.4)
    lon_pad = max(0.12 * (lon_max - lon_min), 0.4)
    lat_range = [max(lat_min - lat_pad, -85.0), min(lat_max + lat_pad, 85.0)]
    lon_range = [max(lon_min - lon_pad, -180.0), min(lon_max + lon_pad, 180.0)]
    return {
        "scope": "world",
        "projection_type": "mercator",
        "showcountries": True,
        "lataxis_range": lat_range,
        "lonaxis_range": lon_range,
        "center": {"lat": sum(lat_range) / 2, "lon": sum(lon_range) / 2},
    }


TOPOJSON_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "static" / "topojson"


COUNTIES = TOPOJSON_DIR.parent / "geo" / "us_counties_10m.geojson"


@__import__("functools").lru_cache(maxsize=1)
def _counties() -> dict:
    import json

    return json.loads(COUNTIES.read_text())


def counties_of(fips_prefixes: tuple[str, ...]) -> dict:
    """The county shapes whose FIPS code starts with one of the given state (or county) codes."""
    features = [f for f in _counties()["features"] if str(f.get("id", "")).startswith(fips_prefixes)]
    return {"type": "FeatureCollection", "features": features}


def jurisdiction_counties(level: str, name: str, evidence: pd.DataFrame) -> list[str]:
    """The counties a jurisdiction's map outlines: none for a state, the county itself, or its agencies' counties."""
    return [] if level == "state" else ([name] if level == "county" else evidence["county"].dropna().unique().tolist())
