"""Which counted figures the public does not see, chosen so that none of them can be worked out from the others.

Official statistics protect tables of counts in two steps (primary and secondary, or
complementary, cell suppression: Hundepool et al., *Statistical Disclosure Control*, 2012,
chapter 4; the rule the ONS and Statistics Norway use for small counts), and so do we:

1. **Primary.** A figure built from fewer than ``SMALLEST_GROUP`` people is hidden.
2. **Complementary.** For each district and effort area, every year, quarter and month is
   published, and they nest: a year is its four quarters, a quarter its three months. Where such a
   sum holds exactly one hidden figure, subtraction gives it back. So a second figure of that sum
   is hidden too, the smallest non-empty one of its parts, and this is repeated until no sum holds
   exactly one hidden figure. The figure above (a year, a quarter) is never the one chosen, so a
   year is hidden only when it is small itself: the figures researchers lean on most stay.

Why that is enough. The only equations a visitor can write between figures are these sums within
one district and effort area, and "submissions = ideas + feedback" within one cell: totals over
districts, effort areas or several periods are only ever shown as sums of figures that are shown
(``Figures.total``). Within a district and area the sums form a tree, in which every figure is in
at most two sums (as a part, and as the whole of its own parts) and a year in one. When each sum
holds either no hidden figure or at least two, one can add 1 to any hidden figure and keep every
sum true by moving a chain of other hidden figures that ends at a hidden month or year, which is
in no further sum; so the published figures fix none of the hidden ones (the test
``tests/security/round_two/test_insights_disclosure.py`` checks this with exact linear algebra).
Submissions, and what is counted from them (answered and the share answered), are hidden wherever
ideas or feedback is: two independently protected tables, so their sum is fixed only where both
parts are, which is nowhere.

Figures about the same people are hidden together: registrations, attendance and unique
participants follow the registrations' pattern (participants do not add up exactly, but are
protected as if they did). Medians and mean ratings are in no sum, so the primary rule applies to
them, and a district's median over all effort areas is hidden when the median of one of its areas
is. One more sum hides in the ratings: where everyone who sent feedback in a district and quarter
rated, the number of ratings *is* the district's feedback of that quarter over every effort area.
So a rating is hidden when its number equals that total and a feedback figure of the district and
quarter is hidden; a number of ratings that is shown is then either not that total, or a total of
figures that are all shown. Events are public, so their number is never hidden.

The pattern is worked out once for every period a visitor can ask for and every district, from
the counts of all of them, so a figure is hidden or shown the same on the page, in the downloads
and in the API, whatever period, step or districts were asked for (medians and ratings depend on
their own cell only, so that holds for them too).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.insights.indicators import SMALLEST_GROUP
from app.insights.periods import tree

Key = tuple[int, int | None, str]          # district id, effort area id (None: not routed), bucket
Pair = tuple[float | int | None, int | None]   # value, people (None: it counts no people)

# Figures about the same people, hidden together; the first one's value chooses the complements.
TOGETHER = (("ideas",), ("feedback",), ("comments",), ("supports",), ("registrations", "attendance", "participants"))
# Submissions are ideas plus feedback; answered and the share answered are counted from them.
PARTS = ("ideas", "feedback")
SUMS = ("submissions", "answered", "answered_share")
# Medians are in no sum: hidden only when small themselves (``hide_medians``).
MEDIANS = ("days_to_routing", "days_to_answer")


def small(value, people: int | None) -> bool:
    """Built from fewer than SMALLEST_GROUP people (a figure that counts no one, such as a 0, is not)."""
    if people is None or people >= SMALLEST_GROUP:
        return False
    return bool(people) or value not in (0, None)


@dataclass(frozen=True)
class Hidden:
    """What the public does not see: (cell, indicator), ((district id, bucket), median over every
    effort area) and ((district id, quarter), rating)."""

    cells: frozenset[tuple[Key, str]]
    district_medians: frozenset[tuple[tuple[int, str], str]]
    ratings: frozenset[tuple[tuple[int, str], str]]


def complete(hidden: set[str], values: dict[str, float | int]) -> set[str]:
    """``hidden`` (buckets of one district and effort area) and the complements that keep each of them
    from being worked out: until no sum of the tree holds exactly one hidden bucket, hide the
    smallest non-empty other part of such a sum (an empty one only when there is nothing else)."""
    hidden = set(hidden)
    sums = [found for year in sorted({bucket[:4] for bucket in hidden}) for found in tree(year)]
    settled = False
    while not settled:
        settled = True
        for whole, parts in sums:
            if sum(bucket in hidden for bucket in (whole, *parts)) == 1:
                shown = [bucket for bucket in parts if bucket not in hidden]
                hidden.add(min(shown, key=lambda bucket: (not values.get(bucket), values.get(bucket, 0), bucket)))
                settled = False
    return hidden


def _series(district_id: int, area_id: int | None, buckets: dict[str, dict[str, Pair]]) -> set[tuple[Key, str]]:
    """The hidden figures of one district and effort area."""
    def smalls(name: str) -> set[str]:
        return {bucket for bucket, values in buckets.items() if name in values and small(*values[name])}

    def values(name: str) -> dict[str, float | int]:
        return {bucket: found[name][0] or 0 for bucket, found in buckets.items() if name in found}

    primary = {group[0]: set().union(*(smalls(name) for name in group)) for group in TOGETHER}
    # A small sum hides its non-empty parts (people add up, so they are small too; this does not rely on it).
    for bucket in set().union(*(smalls(name) for name in SUMS)):
        found = buckets.get(bucket, {})
        for part in [part for part in PARTS if found.get(part, (0, 0))[0]] or PARTS:
            primary[part].add(bucket)
    protected = {lead: complete(primary[lead], values(lead)) for lead in primary}
    hidden = {name: protected[group[0]] for group in TOGETHER for name in group}
    hidden |= {name: protected["ideas"] | protected["feedback"] for name in SUMS}
    return {((district_id, area_id, bucket), name) for name, found in hidden.items() for bucket in found}


def _smalls(figures: dict[tuple, dict[str, Pair]]) -> frozenset:
    return frozenset((key, name) for key, values in figures.items() for name, pair in values.items() if small(*pair))


def hide(cells: dict[Key, dict[str, Pair]], ratings: dict[tuple[int, str], dict[str, Pair]]) -> Hidden:
    """The public's hidden counts and ratings, from those counted for every bucket of every district."""
    series: dict[tuple[int, int | None], dict[str, dict[str, Pair]]] = defaultdict(dict)
    for (district_id, area_id, bucket), values in cells.items():
        series[(district_id, area_id)][bucket] = values
    hidden: set[tuple[Key, str]] = set()
    for (district_id, area_id), buckets in series.items():
        hidden |= _series(district_id, area_id, buckets)
    return Hidden(frozenset(hidden), frozenset(), _smalls(ratings) | _totals_in_ratings(cells, hidden, ratings))


def _totals_in_ratings(cells: dict[Key, dict[str, Pair]], hidden: set[tuple[Key, str]],
                       ratings: dict[tuple[int, str], dict[str, Pair]]) -> set:
    """Ratings whose number is their district's feedback of the quarter (everyone rated) while a
    feedback figure of that district and quarter is hidden: subtracting the areas shown would give it."""
    feedback: dict[tuple[int, str], int] = defaultdict(int)
    for (district_id, _area_id, bucket), values in cells.items():
        if "-Q" in bucket and "feedback" in values:
            feedback[(district_id, bucket)] += values["feedback"][0] or 0
    with_hidden = {(key[0], key[2]) for key, name in hidden if name == "feedback" and "-Q" in key[2]}
    return {(key, name) for key, values in ratings.items() if key in with_hidden
            for name, (_mean, number) in values.items() if number and number == feedback[key]}


def hide_medians(cells: dict[Key, dict[str, Pair]], district_medians: dict[tuple[int, str], dict[str, Pair]]) -> Hidden:
    """The public's hidden medians. They are in no sum, so each is decided on its own and they may be
    counted one step at a time; a district's median over every effort area is hidden with the median
    of any one of them."""
    hidden = _smalls(cells)
    with_hidden_area = {((key[0], key[2]), name) for key, name in hidden}
    medians = frozenset(
        (key, name) for key, values in district_medians.items() for name, pair in values.items()
        if small(*pair) or (key, name) in with_hidden_area
    )
    return Hidden(hidden, medians, frozenset())
