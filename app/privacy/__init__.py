"""Residents' rights and retention: personal data is kept only as long as the privacy notice says."""
