"""Feedback to the municipality, with or without an account."""
