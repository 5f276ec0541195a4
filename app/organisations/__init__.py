"""Volunteer organisations: they apply, a moderator approves, and their members become organisers."""
