"""flask seed, flask demo and flask users: idempotent and audited."""
from __future__ import annotations

from app.accounts.models import User
from app.core.models import AuditEntry
from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db
from tests.helpers import PASSWORD, Browser, link_in, make_user, outbox, soup


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_seed_is_idempotent_and_loads_the_agreement(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["seed"]).exit_code == 0
    assert _count(app, District) == 3
    assert _count(app, EffortArea) == 4
    with app.app_context():
        area3 = db.session.scalar(db.select(EffortArea).where(EffortArea.number == 3))
        assert [t.label_nb for t in area3.sub_themes][:4] == [
            "Sosial boligpolitikk", "Overordnet byplanlegging", "Lokalt bo- og nærmiljøarbeid",
            "Etablering av sosiale møteplasser lokalt",
        ]
        slugs = db.session.scalars(db.select(SubTheme.slug)).all()
        assert len(slugs) == len(set(slugs))
        for area in db.session.scalars(db.select(EffortArea)):
            assert area.title_nb and area.title_nn and area.title_en and area.sub_themes


def test_seed_leaves_what_an_admin_changed_and_adds_only_what_is_missing(app):
    with app.app_context():
        district = db.session.scalar(db.select(District).where(District.slug == "lademoen"))
        district.name_nn, district.description_nb, district.position = "Lademoen (retta)", "Retta tekst.", 7
        area = db.session.scalar(db.select(EffortArea).where(EffortArea.number == 2))
        area.description_nn = "Retta av ein administrator."
        removed = area.sub_themes[0]
        area.sub_themes.remove(removed)
        area.sub_themes[0].label_en = "Relabelled"
        db.session.delete(db.session.scalar(db.select(EffortArea).where(EffortArea.number == 4)))
        db.session.delete(db.session.scalar(db.select(District).where(District.slug == "mollenberg")))
        db.session.commit()
        removed_slug = removed.slug
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0 and "1 new districts, 1 new effort areas, 4 new sub-themes" in result.output
    with app.app_context():
        district = db.session.scalar(db.select(District).where(District.slug == "lademoen"))
        assert (district.name_nn, district.description_nb, district.position) == ("Lademoen (retta)", "Retta tekst.", 7)
        area = db.session.scalar(db.select(EffortArea).where(EffortArea.number == 2))
        assert area.description_nn == "Retta av ein administrator." and area.sub_themes[0].label_en == "Relabelled"
        assert removed_slug not in {t.slug for t in area.sub_themes}   # a removed sub-theme stays removed
        assert db.session.scalar(db.select(District).where(District.slug == "mollenberg")).name_nb == "Møllenberg"
        assert len(db.session.scalar(db.select(EffortArea).where(EffortArea.number == 4)).sub_themes) == 4


def test_demo_is_idempotent_and_its_accounts_can_log_in(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    users = _count(app, User)
    assert users >= 3
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert _count(app, User) == users
    from app.cli import DEMO_ORGANISER, DEMO_PASSWORD, DEMO_USERS

    # the organiser of every demo organisation is listed as what they can do, not as a plain resident
    assert f"organiser  {DEMO_ORGANISER}" in again.output

    response = client.submit("/account/login", {"email": DEMO_USERS[1][0], "password": DEMO_PASSWORD})
    assert response.status_code == 302

    # The demo resident's own page shows someone who takes part, and running the demo again adds nothing.
    resident = Browser(app)
    assert resident.submit("/account/login", {"email": DEMO_USERS[0][0], "password": DEMO_PASSWORD}).status_code == 302
    page = soup(resident.get("/account/"))

    def items(title: str) -> int:
        return len(page.find(id=title).find_parent("section").select("li"))

    assert items("my-ideas-title") == 2 and items("my-comments-title") == 1 and items("my-supports-title") == 3
    assert items("following-title") == 2 and items("my-registrations-title") == 1
    before = [section.get_text(" ", strip=True) for section in page.select("main section")]
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert [section.get_text(" ", strip=True) for section in soup(resident.get("/account/")).select("main section")] == before


def test_create_admin_mails_a_link_to_set_the_password_and_is_audited(app, client):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", "Sjef@Example.no"])
    assert result.exit_code == 0, result.output
    [mail] = outbox(app, "sjef@example.no")
    assert mail.template == "set_password"
    link = link_in(mail, "/account/reset/")
    assert client.submit(link, {"password": PASSWORD}).status_code == 302
    assert client.submit("/account/login", {"email": "sjef@example.no", "password": PASSWORD}).status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sjef@example.no"))
        assert user.role == "admin" and user.verified_at is not None
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.create_admin"))
        assert entry.target_id == str(user.id) and entry.changed_fields == ["role"]


def test_grant_and_revoke_moderator_districts_are_audited_without_personal_values(app):
    user = make_user(app, email="mod@example.no")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "grant", "moderator", "mod@example.no", "--district", "lademoen"]).exit_code == 0
    assert runner.invoke(args=["users", "grant", "moderator", "mod@example.no", "--district", "mollenberg"]).exit_code == 0
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.role == "moderator"
        assert sorted(d.slug for d in stored.districts) == ["lademoen", "mollenberg"]
    assert runner.invoke(args=["users", "revoke", "moderator", "mod@example.no", "--district", "lademoen"]).exit_code == 0
    assert runner.invoke(args=["users", "revoke", "moderator", "mod@example.no"]).exit_code == 0
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.role == "resident" and stored.districts == []
        entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["user.grant_moderator"] * 2 + ["user.revoke_moderator"] * 2
        for entry in entries:
            assert "mod@example.no" not in repr((entry.target_id, entry.changed_fields, entry.action))


def test_grant_refuses_unknown_accounts_and_districts(app):
    make_user(app, email="finnes@example.no")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "grant", "moderator", "ingen@example.no"]).exit_code != 0
    result = runner.invoke(args=["users", "grant", "moderator", "finnes@example.no", "--district", "oslo"])
    assert result.exit_code != 0 and "oslo" in result.output


def test_nobody_new_is_made_moderator_of_a_retired_district(app):
    make_user(app, email="ny@example.no")
    with app.app_context():
        db.session.scalar(db.select(District).where(District.slug == "mollenberg")).retired_at = db.func.now()
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "grant", "moderator", "ny@example.no", "--district", "mollenberg"])
    assert result.exit_code != 0 and "mollenberg" in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ny@example.no"))
        assert user.role == "resident" and user.districts == []


def test_revoking_a_role_ends_the_sessions_that_carried_it(app, client, login_as):
    user = login_as("admin")
    make_user(app, role="admin")       # the last administrator keeps the role
    assert client.get("/account/").status_code == 200
    assert app.test_cli_runner().invoke(args=["users", "revoke", "admin", user.email]).exit_code == 0
    assert client.get("/account/").status_code == 302
