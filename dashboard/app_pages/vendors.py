"""Vendors: each one's share of the agencies with evidence, its agencies over time, and spend on record."""

import plotly.express as px
import streamlit as st

from dashboard import charts, queries, ui
from rules import claims

st.title("Vendors")
st.caption(
    "Who sells to whom, as far as the public record shows. A vendor counts here only when a source ties it "
    "to facial recognition; vendors of radios, cameras or hosting do not appear."
)

if ui.guard_database():
    summary = queries.vendor_summary()
    total = int(queries.headline(queries.Filters())["agencies"])
    # A fraction: the table's "percent" format and the chart's axis both show it as a percentage.
    summary = summary.assign(share=summary["agencies"] / total if total else 0.0)

    st.subheader("Share of agencies with evidence, by vendor")
    st.caption(
        f"The percentage of the {total:,} agencies with evidence that have evidence naming each vendor. An agency "
        "can have evidence for several vendors, so the shares add up to more than 100%."
    )
    # Vendor names are record text: the charts get them with < > & as entities (charts.plotly_text).
    shares = summary.assign(vendor=charts.plotly_text(summary["vendor"]))
    st.plotly_chart(
        px.bar(
            shares,
            x="share",
            y="vendor",
            orientation="h",
            text="share",
            custom_data=["agencies"],
            labels={"share": "share of agencies with evidence", "vendor": "vendor"},
        )
        .update_traces(
            texttemplate="%{x:.1%}",
            textposition="outside",
            hovertemplate="<b>%{y}</b><br>%{x:.1%} of agencies with evidence (%{customdata[0]:,})<extra></extra>",
        )
        .update_layout(
            xaxis={"tickformat": ".0%", "rangemode": "tozero"},
            yaxis={"categoryorder": "total ascending"},
            height=420,
            margin={"l": 0, "r": 40, "t": 10, "b": 0},
        ),
        config=charts.PLOTLY_CONFIG,
        key="vendor_share",
    )
    st.dataframe(
        summary.assign(spend_on_record=summary["spend_on_record"].map(ui.dollars))[
            [
                "vendor",
                "agencies",
                "share",
                *[c for c in claims.LADDER if c in summary.columns],
                "other",
                "spend_on_record",
            ]
        ],
        hide_index=True,
        column_config={
            "agencies": "agencies with evidence",
            "share": st.column_config.NumberColumn("share of agencies", format="percent"),
            "spend_on_record": "spend on record",
        },
    )
    ui.downloads(queries.vendor_summary, "vendors", key="vendors_dl")

    st.subheader("Agencies by the year the record first shows them")
    by_year = queries.vendor_agencies_by_year()
    st.caption(
        "The year of each agency's earliest dated source for that vendor: when the public record first "
        "shows it, not necessarily when use began."
    )
    by_year = by_year.assign(vendor=charts.plotly_text(by_year["vendor"]))
    st.plotly_chart(
        px.bar(by_year, x="year", y="agencies", color="vendor").update_layout(
            height=380, margin={"l": 0, "r": 0, "t": 10, "b": 0}
        ),
        config=charts.PLOTLY_CONFIG,
        key="vendor_years",
    )

    st.subheader("Spend on record, by year")
    spend = queries.spend_by_year()
    if spend.empty:
        st.info("No amounts on record.")
    else:
        st.caption(
            "Sums of award amounts in the data (USAspending awards), by the award's start year. Only these awards "
            "carry an amount: for every other vendor the spend is not reported in the sources."
        )
        shown = spend.assign(vendor=charts.plotly_text(spend["vendor"]))
        st.plotly_chart(
            px.bar(shown, x="year", y="amount", color="vendor", custom_data=["awards"], labels={"amount": "spend"})
            .update_traces(hovertemplate="<b>%{x}</b><br>$%{y:,.0f} in %{customdata[0]} award(s)<extra></extra>")
            .update_layout(
                yaxis={"tickprefix": "$", "tickformat": ",.0f"},
                xaxis={"dtick": 1},
                height=340,
                margin={"l": 0, "r": 0, "t": 10, "b": 0},
            ),
            config=charts.PLOTLY_CONFIG,
            key="vendor_spend",
        )
        awards = queries.spend_awards()
        st.dataframe(
            awards.assign(
                agency_link="/agency?agency=" + awards["agency_id"],
                state=ui.state_or_national(awards),
                amount=awards["amount"].map(ui.dollars),
                source_url=ui.http_only(awards["source_url"]),
            )[["year", "vendor", "agency", "agency_link", "state", "amount", "source_url"]],
            hide_index=True,
            # Fixed widths keep the long agency names readable and the source column in view.
            column_config={
                "year": st.column_config.NumberColumn("year", format="%d", width=60),
                "vendor": st.column_config.TextColumn("vendor", width=140),
                "agency": st.column_config.TextColumn("agency", width=380),
                "agency_link": st.column_config.LinkColumn("evidence", display_text="open", width=80),
                "state": st.column_config.TextColumn("state", width=90),
                "amount": st.column_config.TextColumn("amount", width=110),
                "source_url": st.column_config.LinkColumn(
                    "source", display_text=r"https?://(?:www\.)?([^/]+)", width=200
                ),
            },
        )
        ui.downloads(queries.spend_by_year, "spend-by-year", key="spend_dl")
