"""Vendors: each one's agencies over time, spend on record by year, and share of agencies."""

import plotly.express as px
import streamlit as st

from dashboard import charts, queries, ui

st.title("Vendors")
st.caption(
    "Who sells to whom, as far as the public record shows. A vendor counts here only when a source ties it "
    "to facial recognition; vendors of radios, cameras or hosting do not appear."
)

if ui.guard_database():
    summary = queries.vendor_summary()
    st.subheader("Share of agencies with evidence, by vendor")
    # Vendor names are record text: the charts get them with < > & as entities (charts.plotly_text).
    shares = summary.assign(vendor=charts.plotly_text(summary["vendor"]))
    st.plotly_chart(
        px.bar(
            shares,
            x="agencies",
            y="vendor",
            orientation="h",
            hover_data=[c for c in summary.columns if c not in ("vendor", "agencies", "spend_on_record")],
        ).update_layout(
            yaxis={"categoryorder": "total ascending"}, height=420, margin={"l": 0, "r": 0, "t": 10, "b": 0}
        ),
        config=charts.PLOTLY_CONFIG,
        key="vendor_share",
    )
    st.dataframe(
        summary,
        hide_index=True,
        column_config={"spend_on_record": st.column_config.NumberColumn("spend on record ($)", format="%.0f")},
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
        st.caption("Sums of award amounts in the data (USAspending awards), by the award's start year.")
        shown = spend.assign(vendor=charts.plotly_text(spend["vendor"]))
        st.plotly_chart(
            px.bar(shown, x="year", y="amount", color="vendor", hover_data=["awards"]).update_layout(
                height=340, margin={"l": 0, "r": 0, "t": 10, "b": 0}
            ),
            config=charts.PLOTLY_CONFIG,
            key="vendor_spend",
        )
        st.dataframe(spend, hide_index=True)
        ui.downloads(queries.spend_by_year, "spend-by-year", key="spend_dl")
