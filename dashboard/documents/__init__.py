"""Documents people take away: records-request letters and hearing briefs, as text and PDF."""
