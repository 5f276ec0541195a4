"""The read-only JSON API of public data, /api/v1/..., described at /api/openapi.json."""
