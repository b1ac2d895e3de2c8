"""Fiscal-year rollover (issue 18): carry a year's indicators into the next, keeping lineage."""
