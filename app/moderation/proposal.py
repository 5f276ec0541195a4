"""What "Bruk forslaget" routes to: the effort area the model ranks first and, when one of its
sub-themes stands out in the text, that sub-theme.

The model (``routing``) ranks effort areas only. A sub-theme stands out when more of the text's words
meet its label (in any of the three languages) than any other sub-theme's of that area; a tie, or no
word in common, proposes none, and the moderator ticks one by hand if it fits.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.districts.models import EffortArea, SubTheme
from app.moderation import routing


@dataclass(frozen=True)
class Proposal:
    area: EffortArea
    sub_theme: SubTheme | None
    score: float | None      # the model's probability; None when it is the resident's own suggestion
    words: tuple[str, ...]   # what in the text pulls towards the area


def standout_sub_theme(text: str, area: EffortArea) -> SubTheme | None:
    words = set(routing.tokens(text))
    if not words:
        return None
    overlap = {theme: len(words & set(routing.tokens(f"{theme.label_nb} {theme.label_nn} {theme.label_en}")))
               for theme in area.sub_themes}
    ranked = sorted(overlap.values(), reverse=True)
    if not ranked or ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(overlap, key=lambda theme: overlap[theme])


# The model's first area is proposed only when it is more likely than all the others together: a text
# the model knows no words of scores 25 % for every area, and pre-selecting one of those would be a guess.
CONFIDENT = 0.5


def propose(text: str, suggestions: list[routing.Suggestion], areas: list[EffortArea],
            residents_choice: EffortArea | None) -> Proposal | None:
    """The model's first area when it is confident; else the resident's own choice; else nothing."""
    by_number = {area.number: area for area in areas}
    if suggestions and suggestions[0].number in by_number and suggestions[0].score >= CONFIDENT:
        top = suggestions[0]
        area = by_number[top.number]
        return Proposal(area, standout_sub_theme(text, area), top.score, tuple(top.words))
    if residents_choice is not None:
        return Proposal(residents_choice, standout_sub_theme(text, residents_choice), None, ())
    return None
