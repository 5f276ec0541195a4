"""Reading and seeding districts and effort areas, and the rule that a retired district takes nothing new.

Two lists of districts: every district (``list_districts``, ``shown_districts``) for reading and for
filters, so a retired district's history stays findable; and the districts open for new content
(``open_districts``, ``shown_open_districts``) for every form where a district is chosen.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import joinedload, selectinload

from app.core.db import utcnow
from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken
from app.core.worker_cache import cached_value
from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db


class DistrictRetired(RuleBroken):
    """New content in a district that is no longer active."""


def list_districts() -> list[District]:
    """Every district, retired ones too: for reading and filtering."""
    return list(db.session.scalars(db.select(District).order_by(District.position, District.slug)))


def open_districts(keep: District | None = None) -> list[District]:
    """The districts that take new ideas, feedback, events, meeting places and organisations: for
    choosing. ``keep``, when retired, is kept in the list (the district a thing already is in, so
    editing it leaves it there)."""
    return [d for d in list_districts() if d.retired_at is None or (keep is not None and d.id == keep.id)]


def refuse_if_retired(district: District, error: type[RuleBroken] = DistrictRetired,
                      field: str | None = "district") -> None:
    """Raise ``error`` (a RuleBroken, or a domain's error with the same arguments) when ``district`` is retired."""
    if district.retired_at is not None:
        raise error(_l("%(district)s is no longer active and takes nothing new. What was posted there can still "
                       "be read.", district=district.name), field=field)


def list_effort_areas() -> list[EffortArea]:
    return list(
        db.session.scalars(
            db.select(EffortArea).options(selectinload(EffortArea.sub_themes)).order_by(EffortArea.number)
        )
    )


def _detached(stmt) -> list:
    """Rows loaded in a session of their own (on the request's connection) and closed, so no
    request's session ever holds them."""
    from sqlalchemy.orm import Session

    with Session(bind=db.session.connection(), expire_on_commit=False) as session:
        return list(session.scalars(stmt).unique())


def shown_districts() -> list[District]:
    """The districts, for showing and for reading filters: kept per worker until any write.
    Never change them or link a row to them; ``get_district`` gives one to work with."""
    return cached_value(("districts",), lambda: _detached(db.select(District).order_by(District.position, District.slug)))


def shown_effort_areas() -> list[EffortArea]:
    """The effort areas with their sub-themes, for showing: as ``shown_districts``."""
    return cached_value(("effort_areas",), lambda: _detached(
        db.select(EffortArea).options(joinedload(EffortArea.sub_themes)).order_by(EffortArea.number)))


def shown_open_districts() -> list[District]:
    """``shown_districts`` without the retired ones: for menus and the home page."""
    return [d for d in shown_districts() if d.retired_at is None]


def shown_district(slug: str) -> District | None:
    return next((d for d in shown_districts() if d.slug == slug), None)


def get_district(slug: str) -> District | None:
    return db.session.scalar(db.select(District).where(District.slug == slug))


def get_effort_area(number: int) -> EffortArea | None:
    return db.session.scalar(
        db.select(EffortArea).options(selectinload(EffortArea.sub_themes)).where(EffortArea.number == number)
    )


def sub_themes_named(slugs: list[str]) -> list[SubTheme]:
    return list(db.session.scalars(db.select(SubTheme).where(SubTheme.slug.in_(slugs)))) if slugs else []


LOCALES = ("nb", "nn", "en")


def _set_localized(obj, field: str, values: dict[str, str]) -> None:
    for locale in LOCALES:
        setattr(obj, f"{field}_{locale}", values[locale])


PUBLIC_TEXTS = ("public_name", "public_explanation")


def _fill_empty(obj, fields: tuple[str, ...], data: dict) -> bool:
    """Set each ``<field>_<locale>`` that is empty from ``data``; whether any was."""
    filled = False
    for field in fields:
        for locale in LOCALES:
            if not getattr(obj, f"{field}_{locale}") and data[field][locale]:
                setattr(obj, f"{field}_{locale}", data[field][locale])
                filled = True
    return filled


def _fill_boundaries(districts: list[dict]) -> int:
    """Give each district without a boundary the approximate one in the seed (marked not official); a
    boundary an admin uploaded is never replaced. How many were filled."""
    filled = 0
    by_slug = {d.slug: d for d in list_districts()}   # the query flushes the districts just added
    for data in districts:
        district = by_slug.get(data["slug"])
        if district is None or district.boundary or not data.get("boundary"):
            continue
        district.boundary = json.dumps(data["boundary"], separators=(",", ":"))
        district.boundary_official = False
        district.boundary_updated_at = utcnow()
        filled += 1
    return filled


def seed(districts: list[dict], effort_areas: list[dict]) -> dict[str, int]:
    """Create the districts and effort areas from the agreement that are missing.

    Runs on every ``make run``, so it never undoes an admin's work: a district or effort area that
    exists keeps its texts, its place in the list and its sub-themes as they are (an admin edits
    them in /admin/districts). A missing effort area is created with its sub-themes. An existing
    area's plain public name and explanation are filled only where empty (areas made before they
    existed), one language at a time. A district without a boundary gets the seed's approximate one. Idempotent: running it again creates and fills nothing.
    Returns how many rows were created and how many areas had plain names filled.
    """
    created = {"districts": 0, "effort_areas": 0, "sub_themes": 0, "public_names": 0}
    existing_districts = {d.slug for d in list_districts()}
    for position, data in enumerate(districts):
        if data["slug"] in existing_districts:
            continue
        district = District(slug=data["slug"], position=position)
        _set_localized(district, "name", data["name"])
        _set_localized(district, "description", data["description"])
        db.session.add(district)
        created["districts"] += 1
    created["boundaries"] = _fill_boundaries(districts)
    existing_areas = {a.number: a for a in list_effort_areas()}
    taken_slugs = set(db.session.scalars(db.select(SubTheme.slug)))
    for data in effort_areas:
        if data["number"] in existing_areas:
            if _fill_empty(existing_areas[data["number"]], PUBLIC_TEXTS, data):
                created["public_names"] += 1
            continue
        area = EffortArea(number=data["number"])
        for field in ("title", "goal", "description", *PUBLIC_TEXTS):
            _set_localized(area, field, data[field])
        db.session.add(area)
        created["effort_areas"] += 1
        for position, theme_data in enumerate(data["sub_themes"]):
            if theme_data["slug"] in taken_slugs:  # an admin made one by that name elsewhere: theirs stays
                continue
            theme = SubTheme(slug=theme_data["slug"], position=position)
            _set_localized(theme, "label", theme_data["label"])
            area.sub_themes.append(theme)
            created["sub_themes"] += 1
    db.session.flush()
    return created
