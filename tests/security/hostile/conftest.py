"""The app for hostile input: no minimum time to fill in a form (the tests are faster than any person).

The whole crawl is marked ``slow`` (minutes, not seconds): ``make test-fast`` leaves it out, ``make test``
and CI run it.
"""
from __future__ import annotations

import os

import pytest

HERE = os.path.dirname(__file__)


def pytest_collection_modifyitems(items):
    # A hook in a conftest sees every item of the run, so only those in this folder are marked.
    for item in items:
        if str(item.fspath).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def app(app_factory):
    return app_factory(FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0, FOLLOW_MIN_SECONDS=0)
