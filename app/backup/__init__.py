"""Backups of the embedded SQLite database (PostgreSQL is backed up with pg_dump: see docs/operations.md)."""
