"""Keeping the districts, effort areas and sub-themes: what admins do in /admin/districts.

Functions take plain values and the acting admin, check the rules, flush and write the audit
entry; the view commits. Nothing here deletes a district: a retired one keeps its history.
The audit entries name the fields that changed; the texts themselves are not copied into the log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.core import audit
from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.params import page_count
from app.core.permissions import Permission, has_permission
from app.core.rules import Forbidden, RuleBroken
from app.districts.models import District, EffortArea, SubTheme
from app.districts.services import LOCALES
from app.extensions import db
from app.submissions.models import submission_sub_themes as links

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Pages that live beside the district pages: a district by that name could never be opened.
RESERVED_DISTRICT_SLUGS = frozenset({"find"})
DISTRICT_TEXTS = ("name", "description")
AREA_TEXTS = ("title", "goal", "description", "public_name", "public_explanation")
PER_PAGE = 50


def column_names(fields: tuple[str, ...]) -> list[str]:
    """``name`` → ``name_nb``, ``name_nn``, ``name_en``: the columns of a text in every language."""
    return [f"{field}_{locale}" for field in fields for locale in LOCALES]


def _require_admin(actor) -> None:
    if not has_permission(actor, Permission.ADMINISTER):
        raise Forbidden()


def _apply(obj, columns: list[str], texts: dict[str, str]) -> list[str]:
    """Set the columns given in ``texts``; the names of those that changed."""
    changed = []
    for column in columns:
        if column not in texts:
            continue
        value = texts[column] or ""
        if getattr(obj, column) != value:
            setattr(obj, column, value)
            changed.append(column)
    return changed


# --- reading -------------------------------------------------------------------------------------


@dataclass
class DistrictPage:
    items: list[District]
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def district_page(page: int = 1) -> DistrictPage:
    """Every district, retired ones too, in the order of the lists; two statements whatever the number."""
    total = db.session.scalar(select(func.count()).select_from(District)) or 0
    page = min(max(page, 1), page_count(total, PER_PAGE))
    items = db.session.scalars(select(District).order_by(District.position, District.slug)
                               .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return DistrictPage(list(items), page, total)


def sub_theme_uses(theme_ids: list[int]) -> dict[int, int]:
    """How many submissions (ideas, feedback, comments...) are sorted under each sub-theme: one statement."""
    if not theme_ids:
        return {}
    rows = db.session.execute(select(links.c.sub_theme_id, func.count()).where(links.c.sub_theme_id.in_(theme_ids))
                              .group_by(links.c.sub_theme_id))
    return {theme_id: count for theme_id, count in rows}


def in_use_message(count: int) -> str:
    return ngettext("It cannot be removed: %(num)d submission is sorted under it.",
                    "It cannot be removed: %(num)d submissions are sorted under it.", count)


# --- districts -----------------------------------------------------------------------------------


def _check_slug(slug: str, model, field: str = "slug") -> None:
    if not SLUG.fullmatch(slug or "") or not 2 <= len(slug) <= 64:
        raise RuleBroken(_l("Use 2 to 64 lowercase letters a–z, digits and hyphens, like “nye-byen”."), field=field)
    if model is District and slug in RESERVED_DISTRICT_SLUGS:
        raise RuleBroken(_l("That short name is taken. Choose another."), field=field)
    if db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        raise RuleBroken(_l("That short name is taken. Choose another."), field=field)


def next_district_position() -> int:
    """The place of a district added now: after the last one."""
    return (db.session.scalar(select(func.max(District.position))) or 0) + 1


def create_district(actor, slug: str, texts: dict[str, str], position: int | None = None) -> District:
    """A new district, open for ideas, feedback and events at once; last in the lists unless ``position`` says."""
    _require_admin(actor)
    _check_slug(slug, District)
    if position is None:
        position = next_district_position()
    district = District(slug=slug, position=position)
    for column in column_names(DISTRICT_TEXTS):
        setattr(district, column, "")
    _apply(district, column_names(DISTRICT_TEXTS), texts)
    if not district.name_nb:
        raise RuleBroken(_l("Give the name in Bokmål."), field="name_nb")
    db.session.add(district)
    db.session.flush()
    audit.record(actor, "district.create", district, column_names(DISTRICT_TEXTS), {"slug": (None, slug)})
    return district


def update_district(district: District, actor, texts: dict[str, str], position: int | None = None) -> list[str]:
    """Change the texts and the place in the lists; the fields that changed (nothing is written when none did)."""
    _require_admin(actor)
    changed = _apply(district, column_names(DISTRICT_TEXTS), texts)
    if not district.name_nb:
        raise RuleBroken(_l("Give the name in Bokmål."), field="name_nb")
    if position is not None and position != district.position:
        district.position = position
        changed.append("position")
    if changed:
        db.session.flush()
        audit.record(actor, "district.update", district, changed)
    return changed


def retire_district(district: District, actor) -> None:
    """The district takes nothing new and leaves the menus and every form; all it holds stays readable."""
    _require_admin(actor)
    if district.retired_at is not None:
        raise RuleBroken(_l("%(district)s is already retired.", district=district.name))
    others = select(func.count()).select_from(District).where(District.retired_at.is_(None), District.id != district.id)
    if not db.session.scalar(others):
        raise RuleBroken(_l("At least one district must stay active."), field="confirm")
    district.retired_at = utcnow()
    db.session.flush()
    audit.record(actor, "district.retire", district, changes={"retired": (False, True)})


def reinstate_district(district: District, actor) -> None:
    """The district is active again: back in the menus and the forms."""
    _require_admin(actor)
    if district.retired_at is None:
        raise RuleBroken(_l("%(district)s is already active.", district=district.name))
    district.retired_at = None
    db.session.flush()
    audit.record(actor, "district.reinstate", district, changes={"retired": (True, False)})


# --- effort areas and sub-themes -------------------------------------------------------------------


def update_effort_area(area: EffortArea, actor, texts: dict[str, str]) -> list[str]:
    """Change the title, goal, description and the plain name and explanation; the fields that changed."""
    _require_admin(actor)
    changed = _apply(area, column_names(AREA_TEXTS), texts)
    if not area.title_nb:
        raise RuleBroken(_l("Give the title in Bokmål."), field="title_nb")
    if "public_name_nb" in texts and not area.public_name_nb:
        # Cards, filters and forms show the plain name: without one residents would meet the official title.
        raise RuleBroken(_l("Give the plain name in Bokmål."), field="public_name_nb")
    if changed:
        db.session.flush()
        audit.record(actor, "effort_area.update", area, changed)
    return changed


def update_sub_theme(theme: SubTheme, actor, labels: dict[str, str]) -> list[str]:
    """Change a sub-theme's labels; the fields that changed."""
    _require_admin(actor)
    changed = _apply(theme, column_names(("label",)), labels)
    if not theme.label_nb:
        raise RuleBroken(_l("Give the label in Bokmål."), field="label_nb")
    if changed:
        db.session.flush()
        audit.record(actor, "sub_theme.update", theme, changed)
    return changed


def add_sub_theme(area: EffortArea, actor, slug: str, labels: dict[str, str]) -> SubTheme:
    """A new sub-theme, last under its effort area; moderators can route to it at once."""
    _require_admin(actor)
    if not SLUG.fullmatch(slug or "") or not 2 <= len(slug) <= 80:
        raise RuleBroken(_l("Use 2 to 80 lowercase letters a–z, digits and hyphens, like “safe-school-routes”."),
                         field="slug")
    if db.session.scalar(select(SubTheme.id).where(SubTheme.slug == slug)) is not None:
        raise RuleBroken(_l("That short name is taken. Choose another."), field="slug")
    position = (db.session.scalar(select(func.max(SubTheme.position)).where(SubTheme.effort_area_id == area.id))
                or 0) + 1
    theme = SubTheme(effort_area_id=area.id, slug=slug, position=position)
    for column in column_names(("label",)):
        setattr(theme, column, "")
    _apply(theme, column_names(("label",)), labels)
    if not theme.label_nb:
        raise RuleBroken(_l("Give the label in Bokmål."), field="label_nb")
    db.session.add(theme)
    db.session.flush()
    audit.record(actor, "sub_theme.create", theme, column_names(("label",)),
                 {"slug": (None, slug), "effort_area": (None, area.number)})
    return theme


def remove_sub_theme(theme: SubTheme, actor) -> None:
    """Remove a sub-theme nothing is sorted under; one in use stays (removing it would untag what was routed)."""
    _require_admin(actor)
    uses = sub_theme_uses([theme.id]).get(theme.id, 0)
    if uses:
        raise RuleBroken(in_use_message(uses), field="remove")
    audit.record(actor, "sub_theme.delete", theme, changes={"slug": (theme.slug, None)})
    theme.effort_area.sub_themes.remove(theme)  # the collection deletes what leaves it
    db.session.flush()
