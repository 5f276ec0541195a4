"""Fixtures of the data tests: a real S3-compatible server for the photo storage (tests/seaweedfs.py)."""
from tests.seaweedfs import bucket, s3_server  # noqa: F401  (fixtures, found by pytest by name)
