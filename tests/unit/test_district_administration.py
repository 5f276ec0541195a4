"""The rules for keeping districts, effort areas and sub-themes, and that every service refuses new
content in a retired district while what is already there can still be changed."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import User
from app.core.db import OSLO, utcnow
from app.core.models import AuditEntry
from app.core.rules import Forbidden, RuleBroken
from app.districts import administration
from app.districts.models import District, EffortArea, SubTheme
from app.districts.services import get_district, get_effort_area, open_districts, refuse_if_retired
from app.extensions import db
from tests.helpers import make_event, make_idea, make_organisation, make_user


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def admin(app, ctx):
    return db.session.get(User, make_user(app, role="admin").id)


def _retire(slug: str) -> District:
    district = get_district(slug)
    district.retired_at = utcnow()
    db.session.flush()
    return district


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


# --- keeping them --------------------------------------------------------------------------------


def test_only_admins_keep_districts(app, ctx):
    moderator = db.session.get(User, make_user(app, role="moderator").id)
    with pytest.raises(Forbidden):
        administration.update_district(get_district("lademoen"), moderator, {"name_nn": "Anna"})
    with pytest.raises(Forbidden):
        administration.create_district(moderator, "saupstad", {"name_nb": "Saupstad"})


@pytest.mark.parametrize("slug", ["", "a", "Saupstad", "sau pstad", "-sau", "sau-", "sau--pstad", "søndre", "x" * 65])
def test_a_short_name_is_lowercase_letters_digits_and_single_hyphens(admin, slug):
    with pytest.raises(RuleBroken) as refused:
        administration.create_district(admin, slug, {"name_nb": "Ny"})
    assert refused.value.field == "slug"


def test_a_taken_short_name_is_refused(admin):
    with pytest.raises(RuleBroken) as refused:
        administration.create_district(admin, "lademoen", {"name_nb": "Lademoen igjen"})
    assert refused.value.field == "slug"


def test_a_new_district_goes_last_and_is_open(admin):
    district = administration.create_district(admin, "saupstad-2", {"name_nb": "Saupstad"})
    assert district.position == 3 and district.name_nn == "" and district.active
    assert district in open_districts()
    [entry] = _entries("district.create")
    assert entry.changes == {"slug": [None, "saupstad-2"]}


def test_an_update_names_the_fields_that_changed_and_nothing_when_none_did(admin):
    district = get_district("lademoen")
    assert administration.update_district(district, admin, {"name_nb": "Lademoen"}, district.position) == []
    assert _entries("district.update") == []
    assert administration.update_district(district, admin, {"name_en": "Lademoen district", "description_nn": "Ny"}, 4) == [
        "name_en", "description_nn", "position"]
    [entry] = _entries("district.update")
    assert entry.changed_fields == ["description_nn", "name_en", "position"] and entry.changes == {}


def test_a_name_in_bokmaal_is_required(admin):
    with pytest.raises(RuleBroken) as refused:
        administration.update_district(get_district("lademoen"), admin, {"name_nb": ""})
    assert refused.value.field == "name_nb"


def test_retiring_and_reinstating(admin):
    district = get_district("mollenberg")
    administration.retire_district(district, admin)
    assert not district.active and district not in open_districts()
    assert district in open_districts(keep=district)
    with pytest.raises(RuleBroken):
        administration.retire_district(district, admin)
    administration.reinstate_district(district, admin)
    assert district.active
    with pytest.raises(RuleBroken):
        administration.reinstate_district(district, admin)
    assert [e.changes for e in _entries("district.retire") + _entries("district.reinstate")] == [
        {"retired": [False, True]}, {"retired": [True, False]}]


def test_one_district_stays_active(admin):
    administration.retire_district(get_district("mollenberg"), admin)
    administration.retire_district(get_district("tempe-sorgenfri"), admin)
    with pytest.raises(RuleBroken):
        administration.retire_district(get_district("lademoen"), admin)


def test_an_effort_area_update_names_the_fields(admin):
    area = get_effort_area(2)
    assert administration.update_effort_area(area, admin, {"title_nb": area.title_nb, "goal_nn": "Nytt mål"}) == ["goal_nn"]
    [entry] = _entries("effort_area.update")
    assert entry.target_id == str(area.id) and entry.changed_fields == ["goal_nn"]


def test_sub_themes_are_added_relabelled_and_removed_only_when_unused(app, admin):
    area = get_effort_area(1)
    theme = administration.add_sub_theme(area, admin, "trygge-skoleveier", {"label_nb": "Trygge skoleveier"})
    assert theme.position > max(t.position for t in area.sub_themes if t is not theme)
    with pytest.raises(RuleBroken) as taken:
        administration.add_sub_theme(get_effort_area(2), admin, "trygge-skoleveier", {"label_nb": "Igjen"})
    assert taken.value.field == "slug"
    assert administration.update_sub_theme(theme, admin, {"label_en": "Safe routes to school"}) == ["label_en"]
    db.session.commit()  # the helpers below work in a session of their own
    idea_id = make_idea(app, make_user(app))
    from app.ideas.models import Idea

    db.session.get(Idea, idea_id).sub_themes = [theme]
    db.session.flush()
    assert administration.sub_theme_uses([theme.id, area.sub_themes[0].id]) == {theme.id: 1}
    with pytest.raises(RuleBroken) as used:
        administration.remove_sub_theme(theme, admin)
    assert used.value.field == "remove"
    db.session.get(Idea, idea_id).sub_themes = []
    db.session.flush()
    administration.remove_sub_theme(theme, admin)
    assert db.session.scalar(db.select(SubTheme).where(SubTheme.slug == "trygge-skoleveier")) is None
    assert [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))] == [
        "sub_theme.create", "sub_theme.update", "sub_theme.delete"]


# --- nothing new in a retired district ---------------------------------------------------------------


def test_refuse_if_retired_raises_the_domains_own_error(ctx):
    class Refused(RuleBroken):
        pass

    refuse_if_retired(get_district("lademoen"))
    with pytest.raises(Refused) as refused:
        refuse_if_retired(_retire("mollenberg"), Refused)
    assert refused.value.field == "district"


def test_no_new_idea_and_no_idea_moved_into_a_retired_district(app, ctx):
    from app.ideas import services

    author = db.session.get(User, make_user(app).id)
    idea = services.create_idea(author, get_district("lademoen"), "Benker i parken", "Det trengs flere benker.", None)
    retired = _retire("mollenberg")
    with pytest.raises(services.IdeaError):
        services.create_idea(author, retired, "Benker ved elva", "Det trengs flere benker.", None)
    with pytest.raises(services.IdeaError):
        services.update_idea(idea, author, retired, "Benker", "Det trengs flere benker.", None)


def test_an_idea_already_in_a_retired_district_can_still_be_edited(app, ctx):
    from app.ideas import services
    from app.ideas.models import Idea

    author = make_user(app)
    idea = db.session.get(Idea, make_idea(app, author, district="mollenberg"))
    retired = _retire("mollenberg")
    services.update_idea(idea, db.session.get(User, author.id), retired, "Ny tittel her", "Det trengs flere benker.", None)
    assert idea.title == "Ny tittel her"


def test_no_feedback_about_a_retired_district(ctx):
    from app.feedback import services

    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(_retire("mollenberg"), "Mørkt ved undergangen.", {}, None, None, None, None, False,
                                 "192.0.2.9")


def test_no_new_event_and_no_event_moved_into_a_retired_district(app, ctx):
    from app.events import services
    from app.events.models import Event
    from app.organisations.models import Organisation

    organiser = make_user(app)
    organisation_id = make_organisation(app, organiser, districts=("lademoen",))
    event_id = make_event(app, organisation_id, district="lademoen")
    organisation, actor = db.session.get(Organisation, organisation_id), db.session.get(User, organiser.id)
    retired = _retire("mollenberg")
    starts = (utcnow() + timedelta(days=7)).astimezone(OSLO).replace(second=0, microsecond=0)
    values = {"title": "Dugnad", "description": "Vi rydder.", "district_id": retired.id, "meeting_place_id": None,
              "address": "Gata 1", "capacity": None, "effort_area_id": None, "languages": "nb", "audience": "everyone",
              "starts_at": starts, "ends_at": starts + timedelta(hours=2), "registration_deadline": None}
    with pytest.raises(services.EventError) as refused:
        services.create(organisation, values, 1, actor)
    assert refused.value.field == "district"
    with pytest.raises(services.EventError):
        services.update(db.session.get(Event, event_id), values, False, actor)


def test_no_new_meeting_place_in_a_retired_district(admin):
    from app.meeting_places import services

    values = {"name": "Nabohuset", "address": "Gata 2"}
    with pytest.raises(RuleBroken):
        services.save_place(None, _retire("mollenberg"), values, admin)


def test_no_organisation_applies_for_a_retired_district(app, ctx):
    from app.organisations import services

    applicant = db.session.get(User, make_user(app).id)
    with pytest.raises(services.OrganisationError) as refused:
        services.apply(applicant, "Elvelaget", "Vi rydder langs elva hver vår.", "lag@example.no",
                       [get_district("lademoen"), _retire("mollenberg")])
    assert refused.value.field == "districts"


def test_a_retired_district_is_still_read_and_counted(app, ctx):
    from app.districts.services import list_districts, shown_districts

    _retire("mollenberg")
    db.session.commit()
    assert "mollenberg" in [d.slug for d in list_districts()] and "mollenberg" in [d.slug for d in shown_districts()]
    assert "mollenberg" not in [d.slug for d in open_districts()]
    assert db.session.scalar(db.select(db.func.count()).select_from(EffortArea)) == 4
