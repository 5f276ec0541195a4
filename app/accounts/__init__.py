"""Accounts: registration, login (with a second step for staff), one's own account and its data."""
