"""Reading and seeding districts and effort areas."""
from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db


def list_districts() -> list[District]:
    return list(db.session.scalars(db.select(District).order_by(District.position, District.slug)))


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
    from app.core.page_cache import cached_value

    return cached_value(("districts",), lambda: _detached(db.select(District).order_by(District.position, District.slug)))


def shown_effort_areas() -> list[EffortArea]:
    """The effort areas with their sub-themes, for showing: as ``shown_districts``."""
    from app.core.page_cache import cached_value

    return cached_value(("effort_areas",), lambda: _detached(
        db.select(EffortArea).options(joinedload(EffortArea.sub_themes)).order_by(EffortArea.number)))


def shown_district(slug: str) -> District | None:
    return next((d for d in shown_districts() if d.slug == slug), None)


def get_district(slug: str) -> District | None:
    return db.session.scalar(db.select(District).where(District.slug == slug))


def get_effort_area(number: int) -> EffortArea | None:
    return db.session.scalar(
        db.select(EffortArea).options(selectinload(EffortArea.sub_themes)).where(EffortArea.number == number)
    )


LOCALES = ("nb", "nn", "en")


def _set_localized(obj, field: str, values: dict[str, str]) -> None:
    for locale in LOCALES:
        setattr(obj, f"{field}_{locale}", values[locale])


def seed(districts: list[dict], effort_areas: list[dict]) -> dict[str, int]:
    """Create or update the districts and effort areas from the agreement.

    Idempotent: running it again updates texts and adds what is missing,
    never duplicates. Returns how many rows were created.
    """
    created = {"districts": 0, "effort_areas": 0, "sub_themes": 0}
    for position, data in enumerate(districts):
        district = get_district(data["slug"])
        if district is None:
            district = District(slug=data["slug"])
            db.session.add(district)
            created["districts"] += 1
        district.position = position
        _set_localized(district, "name", data["name"])
        _set_localized(district, "description", data["description"])
    for data in effort_areas:
        area = get_effort_area(data["number"])
        if area is None:
            area = EffortArea(number=data["number"])
            db.session.add(area)
            created["effort_areas"] += 1
        for field in ("title", "goal", "description"):
            _set_localized(area, field, data[field])
        existing = {theme.slug: theme for theme in area.sub_themes}
        for position, theme_data in enumerate(data["sub_themes"]):
            theme = existing.get(theme_data["slug"])
            if theme is None:
                theme = SubTheme(slug=theme_data["slug"])
                area.sub_themes.append(theme)
                created["sub_themes"] += 1
            theme.position = position
            _set_localized(theme, "label", theme_data["label"])
    db.session.flush()
    return created
