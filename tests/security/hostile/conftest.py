"""The app for hostile input: no minimum time to fill in a form (the tests are faster than any person)."""
from __future__ import annotations

import pytest


@pytest.fixture
def app(app_factory):
    return app_factory(FEEDBACK_MIN_SECONDS=0, REGISTRATION_MIN_SECONDS=0, FOLLOW_MIN_SECONDS=0)
