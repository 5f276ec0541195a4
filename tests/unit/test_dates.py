"""Dates and times read the way a Norwegian site writes them, in every language, in Oslo time."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from app.core.i18n import format_day, format_moment, format_period, format_when

# 11:00 UTC is 12:00 in Oslo in December (CET).
START = datetime(2026, 12, 19, 11, 0, tzinfo=timezone.utc)
END = datetime(2026, 12, 19, 12, 30, tzinfo=timezone.utc)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Saturday 19 December 2026, 12:00–13:30"),
    ("nb", "lørdag 19. desember 2026, 12:00–13:30"),
    ("nn", "laurdag 19. desember 2026, 12:00–13:30"),
])
def test_an_events_time_is_written_day_month_year_with_a_24_hour_clock(ctx, locale, expected):
    with force_locale(locale):
        assert format_period(START, END) == expected


def test_english_never_uses_the_american_order_or_am_pm(ctx):
    evening = datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc)  # 18:30 in Oslo (CEST)
    with force_locale("en"):
        assert format_day(evening) == "1 July 2026"
        assert format_day(evening, "medium") == "1 Jul 2026"
        assert format_when(evening, "short") == "01/07/2026, 18:30"
        assert "PM" not in format_when(evening, "medium") and "18:30" in format_when(evening, "medium")


def test_an_event_over_two_days_names_both_and_the_day_is_the_one_in_oslo(ctx):
    late = datetime(2026, 12, 19, 23, 30, tzinfo=timezone.utc)  # 00:30 on Sunday in Oslo
    with force_locale("en"):
        assert format_period(START, late) == "Saturday 19 December 2026, 12:00 – Sunday 20 December 2026, 00:30"
        assert format_day(late) == "20 December 2026"


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "6 December 2026, 17:43"),
    ("nb", "6. desember 2026, 17:43"),
    ("nn", "6. desember 2026, 17:43"),
])
def test_when_a_comment_was_written_reads_like_the_other_dates_on_the_site(ctx, locale, expected):
    written = datetime(2026, 12, 6, 16, 43, tzinfo=timezone.utc)  # 17:43 in Oslo
    with force_locale(locale):
        assert format_moment(written) == expected
