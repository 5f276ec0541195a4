"""Event pages."""
