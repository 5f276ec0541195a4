"""Residents' ideas: proposing, supporting, commenting, and what became of each."""
