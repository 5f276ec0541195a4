"""Reading and seeding districts and effort areas."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

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
