"""What each indicator counts: the data dictionary behind ``/insights/about``, the exports and the API.

A definition that changes gets a new version and a line in CHANGES, so a
researcher comparing two downloads knows whether the figures mean the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import lazy_gettext as _l

DEFINITIONS_VERSION = "2"
CHANGES = (
    ("2026-11-26", "1", _l("First published definitions.")),
    ("2026-12-06", "2", _l("What is counted is unchanged, but more figures are hidden: besides the small ones, some "
                           "figures next to them, so that the small ones cannot be worked out by subtracting. See "
                           "“How small figures are protected”.")),
)

LICENCE = {
    "name": "Norsk lisens for offentlige data (NLOD) 2.0",
    "url": "https://data.norge.no/nlod/no/2.0",
}

# Statuses that mean a moderator has given the submission its outcome.
ANSWERED_STATUSES = ("answered", "done", "not_pursued")
SMALLEST_GROUP = 5


@dataclass(frozen=True)
class Indicator:
    key: str
    name: object          # lazy string
    counts: object        # what one unit is
    source: object        # where the figure comes from
    limits: object        # what to keep in mind when reading it
    summable: bool = True     # totals may add the cells shown
    suppressed: bool = True   # hidden in public when fewer than SMALLEST_GROUP people are behind it
    unit: str = "count"       # count, share, days or mean
    version: str = "1"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "ideas", _l("Ideas"), _l("Ideas proposed, by the month they were written."),
        _l("Ideas on /ideas/. The effort area is the one a moderator routed the idea to."),
        _l("Ideas withdrawn by their author or hidden by a moderator are not counted; ideas waiting for a moderator's approval are. People: the authors."),
    ),
    Indicator(
        "feedback", _l("Feedback forms"), _l("Feedback forms sent about a district."),
        _l("The district feedback form. Its text is never published."),
        _l("Feedback is anonymous, so each form counts as one person, even if one person sent several."),
    ),
    Indicator(
        "comments", _l("Comments"), _l("Comments written on ideas."),
        _l("Comments on /ideas/. The effort area is that of the idea."),
        _l("Hidden comments, and comments on ideas that are hidden or withdrawn, are not counted. People: the authors."),
    ),
    Indicator(
        "supports", _l("Supports"), _l("Residents' supports of ideas, by the month they were given."),
        _l("The support button on each idea."),
        _l("A support withdrawn later is no longer counted. People: the supporters."),
    ),
    Indicator(
        "submissions", _l("Submissions"), _l("Ideas and feedback together: what moderators route and answer."),
        _l("The sum of the ideas and feedback figures."),
        _l("Comments are not submissions."),
    ),
    Indicator(
        "answered", _l("Answered"), _l("Submissions that have their outcome: answered, done or not taken further."),
        _l("The status moderators set on ideas and feedback."),
        _l("Counted by the month the submission was written, with its status today."),
    ),
    Indicator(
        "answered_share", _l("Share answered"), _l("Answered submissions as a share of all submissions."),
        _l("Answered divided by submissions."),
        _l("Recent months have had less time to be answered."),
        summable=False, unit="share",
    ),
    Indicator(
        "days_to_routing", _l("Median days to routing"),
        _l("The median number of days from a submission being written until a moderator routed it to an effort area."),
        _l("The submission's history of status changes."),
        _l("Only submissions that have been routed are counted. The median of each cell, not an average."),
        summable=False, unit="days",
    ),
    Indicator(
        "days_to_answer", _l("Median days to a public answer"),
        _l("The median number of days from an idea being written until a moderator answered it in public."),
        _l("The first public answer in the idea's history."),
        _l("Feedback is answered by mail, never in public, so only ideas count here."),
        summable=False, unit="days",
    ),
    Indicator(
        "events", _l("Events"), _l("Published events, by the month they start."),
        _l("Events on /events/ posted by approved organisations."),
        _l("Cancelled events are not counted. Events are public, so they are never hidden."),
        suppressed=False,
    ),
    Indicator(
        "registrations", _l("Registrations"), _l("Registrations for events (confirmed and waitlisted), by the month the event starts."),
        _l("Registrations while they are kept, then the monthly figures they are folded into when their personal data is deleted."),
        _l("Cancelled registrations are not counted. People: those with a confirmed place, so a figure of people only on a waitlist is hidden; for months whose registrations are deleted, the largest monthly number of participants, as the people of several months may be the same."),
    ),
    Indicator(
        "attendance", _l("Attendance"), _l("People the organisers marked as present, counting everyone in a party."),
        _l("The organisers' attendance lists, then the monthly figures."),
        _l("Where organisers do not take attendance, the figure is too low, never a guess."),
    ),
    Indicator(
        "participants", _l("Unique participants"),
        _l("Different people with a confirmed place at an event in the cell: an account, else an email address, else a name and phone number."),
        _l("Registrations, then the monthly figures."),
        _l("A person is counted once per cell. A total over several periods or areas adds the cells, so a person who came in two of them counts twice."),
    ),
    Indicator(
        "rating_safety", _l("Safety (mean rating)"), _l("The mean of the 1–5 safety ratings in feedback, per district and quarter."),
        _l("The optional ratings in the district feedback form."),
        _l("Only people who chose to rate are counted; the number of ratings is given beside each mean."),
        summable=False, unit="mean",
    ),
    Indicator(
        "rating_wellbeing", _l("Well-being (mean rating)"),
        _l("The mean of the 1–5 well-being ratings in feedback, per district and quarter."),
        _l("The optional ratings in the district feedback form."),
        _l("Only people who chose to rate are counted; the number of ratings is given beside each mean."),
        summable=False, unit="mean",
    ),
    Indicator(
        "rating_belonging", _l("Belonging (mean rating)"),
        _l("The mean of the 1–5 belonging ratings in feedback, per district and quarter."),
        _l("The optional ratings in the district feedback form."),
        _l("Only people who chose to rate are counted; the number of ratings is given beside each mean."),
        summable=False, unit="mean",
    ),
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
RATINGS = ("rating_safety", "rating_wellbeing", "rating_belonging")
# Indicators counted per district × effort area × period (the ratings are per district and quarter).
CELL_INDICATORS = tuple(i.key for i in INDICATORS if i.key not in RATINGS)
