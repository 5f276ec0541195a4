"""Insights: the indicators by district and period, as a page with charts, downloads and the API."""
