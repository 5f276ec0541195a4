"""Who may do what, for every route of the URL map and every role: one table, tried against real objects.

Each (endpoint, method) has one row in ``EXPECTED`` saying what each role gets
(see ``tests/security/world.py`` for the roles and the outcomes). The test is
parametrised over the URL map itself, so a route added later fails here until
its row is written; a row for a route that is gone fails too.

Requests are sent as a person would send them, but empty (no form fields, CSRF
off): the question is whether the role gets in, not whether the form is
filled in. A request that could change something (a POST, or a GET that writes, like a
link from mail) and is refused must change nothing in the database.
"""
from __future__ import annotations

import pytest

from tests.helpers import build_app, discard_app
from tests.security.world import (
    ADMIN,
    AUTHOR,
    CODE,
    FORBIDDEN,
    INVALID,
    LOGIN,
    MODERATOR,
    MODERATOR_OTHER,
    NOT_FOUND,
    OK,
    ORGANISER,
    ORGANISER_OTHER,
    REFUSED,
    RESIDENT,
    ROLES,
    SURVEY_STAFF,
    UNVERIFIED,
    VISITOR,
    WITHOUT_CODE,
    MissingValue,
    World,
    changed_tables,
    changes_state,
    choices,
    outcome_of,
    routes,
    snapshot,
)

# --- the table ---------------------------------------------------------------------------------------------------------


def row(default: str, **roles: str) -> dict[str, str]:
    """Every role gets ``default``, except the roles named.

    Staff who gave their password but not the code are residents until they give it: where an
    admin gets in and a resident does not, they are asked for the code (unless named)."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"not roles: {unknown}"
    outcomes = {role: roles.get(role, default) for role in ROLES if role != WITHOUT_CODE}
    staff_only = outcomes[ADMIN] not in REFUSED and outcomes[RESIDENT] in REFUSED
    outcomes[WITHOUT_CODE] = roles.get(WITHOUT_CODE, CODE if staff_only else outcomes[RESIDENT])
    return outcomes


def only(base: dict[str, str], **roles: str) -> dict[str, str]:
    """``base`` with everyone it lets in refused (403), except the roles named, who get what is given."""
    return {role: roles.get(role, outcome if outcome in REFUSED else FORBIDDEN) for role, outcome in base.items()}


def empty_form(base: dict[str, str]) -> dict[str, str]:
    """``base`` for a form sent empty: whoever gets in gets the form back with its errors."""
    return {role: INVALID if outcome == OK else outcome for role, outcome in base.items()}


ANYONE = row(OK)
SIGNED_IN = row(OK, visitor=LOGIN)                                            # Permission.SIGN_IN
# Permission.CHANGE_LOGIN: a staff account's email, password and deletion need the code too.
CHANGE_LOGIN = row(OK, visitor=LOGIN, without_code=CODE)
PARTICIPANTS = row(OK, visitor=LOGIN, unverified=FORBIDDEN)                   # Permission.PARTICIPATE
STAFF = row(FORBIDDEN, visitor=LOGIN, moderator_other=OK, survey_staff=OK, moderator=OK, admin=OK)  # Permission.MODERATE
# Public pages that need a verified account once someone is signed in (a visitor uses them by email instead).
PUBLIC_BUT_VERIFIED = row(OK, unverified=FORBIDDEN)
# The home district's own: its moderator and the admins (the other district's moderator is refused).
HOME_STAFF = only(STAFF, moderator=OK, admin=OK)
ADMINS = only(STAFF, admin=OK)                                                  # Permission.ADMINISTER
# The area survey's builder: administrators and the moderators they name (services.may_run_surveys).
RUNS_SURVEYS = only(STAFF, survey_staff=OK, admin=OK)

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    # --- pages, lists and the API: everyone reads them --------------------------------------------------------------
    ("pages.home", "GET"): ANYONE,
    ("pages.privacy", "GET"): ANYONE,
    ("pages.accessibility", "GET"): ANYONE,
    ("pages.house_rules", "GET"): ANYONE,
    ("pages.healthz", "GET"): ANYONE,
    ("pages.manifest", "GET"): ANYONE,
    ("pages.favicon", "GET"): ANYONE,
    ("static", "GET"): ANYONE,
    ("districts.index", "GET"): ANYONE,
    ("places.find", "GET"): ANYONE,                      # opened bare: the address box
    ("districts.show", "GET"): ANYONE,
    ("districts.effort_area", "GET"): ANYONE,
    ("insights.index", "GET"): ANYONE,
    ("insights.about", "GET"): ANYONE,
    ("insights.export_csv", "GET"): ANYONE,
    ("insights.export_json", "GET"): ANYONE,
    ("insights.surveys", "GET"): ANYONE,
    ("insights.survey", "GET"): ANYONE,
    ("insights.survey_export_csv", "GET"): ANYONE,
    ("insights.survey_export_json", "GET"): ANYONE,
    ("api.survey_list", "GET"): ANYONE,
    ("api.survey_results", "GET"): ANYONE,
    ("api.openapi_document", "GET"): ANYONE,
    ("api.index", "GET"): ANYONE,
    ("api_docs.reference_page", "GET"): ANYONE,
    ("api.districts", "GET"): ANYONE,
    ("api.effort_areas", "GET"): ANYONE,
    ("api.indicators", "GET"): ANYONE,
    ("api.idea_list", "GET"): ANYONE,
    ("api.idea_detail", "GET"): ANYONE,
    ("api.event_list", "GET"): ANYONE,
    ("api.event_detail", "GET"): ANYONE,
    ("api.meeting_place_list", "GET"): ANYONE,
    ("api.meeting_place_detail", "GET"): ANYONE,
    ("api.district_features", "GET"): ANYONE,
    ("api.meeting_place_features", "GET"): ANYONE,
    ("api.idea_features", "GET"): ANYONE,
    ("ideas.index", "GET"): ANYONE,
    ("ideas.show", "GET"): ANYONE,
    ("events.index", "GET"): ANYONE,
    ("events.show", "GET"): ANYONE,
    ("events.poster", "GET"): ANYONE,
    ("meeting_places.poster", "GET"): ANYONE,
    ("districts.poster", "GET"): ANYONE,
    ("events.registration_sent", "GET"): ANYONE,
    ("events.event_ics", "GET"): ANYONE,
    ("events.district_ics", "GET"): ANYONE,
    ("meeting_places.index", "GET"): ANYONE,
    ("meeting_places.show", "GET"): ANYONE,
    ("organisations.index", "GET"): ANYONE,
    ("organisations.show", "GET"): ANYONE,
    ("follows.sent", "GET"): ANYONE,
    # A feedback photo's file (public photos are ANYONE's: tests/web/test_photo_files.py); a moderator
    # without the code moderates nothing yet and gets what a resident gets.
    ("photos.show", "GET"): row(NOT_FOUND, moderator=OK, admin=OK, without_code=NOT_FOUND),

    # --- administration: admins only -------------------------------------------------------------------------------
    ("admin.index", "GET"): ADMINS,
    ("admin.people", "GET"): ADMINS,
    ("admin.person", "GET"): ADMINS,
    ("admin.change_role", "POST"): empty_form(ADMINS),
    ("admin.invite", "GET"): ADMINS,
    ("admin.invite", "POST"): empty_form(ADMINS),
    ("admin.resend_invitation", "POST"): ADMINS,
    ("admin.resend_verification", "POST"): ADMINS,
    ("admin.block", "POST"): empty_form(ADMINS),
    ("admin.unblock", "POST"): ADMINS,
    ("admin.lift_posting_block", "POST"): ADMINS,
    ("admin.settings", "GET"): ADMINS,
    ("admin.settings", "POST"): ADMINS,          # an empty form puts every setting back to its default
    ("admin.mail", "GET"): ADMINS,
    ("admin.mail_retry", "POST"): ADMINS,
    ("admin.mail_retry_failed", "POST"): ADMINS,
    ("admin.places", "GET"): ADMINS,
    ("admin.place_retire", "GET"): ADMINS,
    ("admin.place_retire", "POST"): ADMINS,               # the page asked; the button retires
    ("admin.place_reinstate", "POST"): ADMINS,
    ("admin.place_merge", "GET"): ADMINS,
    ("admin.place_merge", "POST"): empty_form(ADMINS),
    ("admin.organisations", "GET"): ADMINS,
    ("admin.organisation", "GET"): ADMINS,
    ("admin.organisation_edit", "GET"): ADMINS,
    ("admin.organisation_edit", "POST"): empty_form(ADMINS),
    ("admin.organisation_retire", "GET"): ADMINS,
    ("admin.organisation_retire", "POST"): ADMINS,
    ("admin.organisation_reinstate", "POST"): ADMINS,
    ("admin.organisation_merge", "GET"): ADMINS,
    ("admin.organisation_merge", "POST"): empty_form(ADMINS),
    # Districts, effort areas and sub-themes. Retiring and reinstating get a district of their own (world.py).
    ("admin.districts", "GET"): ADMINS,
    ("admin.district_new", "GET"): ADMINS,
    ("admin.district_new", "POST"): empty_form(ADMINS),
    ("admin.district_edit", "GET"): ADMINS,
    ("admin.district_edit", "POST"): empty_form(ADMINS),
    ("admin.district_retire", "GET"): ADMINS,
    ("admin.district_retire", "POST"): empty_form(ADMINS),     # not without the confirmation box ticked
    ("admin.district_reinstate", "POST"): ADMINS,
    ("admin.district_boundary", "GET"): ADMINS,
    ("admin.district_boundary", "POST"): empty_form(ADMINS),   # neither a file nor a text: refused beside the field
    ("admin.effort_area_edit", "GET"): ADMINS,
    ("admin.effort_area_edit", "POST"): empty_form(ADMINS),
    ("admin.sub_theme_new", "GET"): ADMINS,
    ("admin.sub_theme_new", "POST"): empty_form(ADMINS),

    # The area survey's builder: a moderator runs surveys once an administrator names them (the survey staff).
    ("admin.surveys_index", "GET"): RUNS_SURVEYS,
    ("admin.survey_new", "GET"): RUNS_SURVEYS,
    ("admin.survey_new", "POST"): empty_form(RUNS_SURVEYS),       # no title in Bokmål
    ("admin.survey", "GET"): RUNS_SURVEYS,
    ("admin.survey_add_question", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.survey_question_new", "GET"): RUNS_SURVEYS,
    ("admin.survey_question_new", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.survey_question", "GET"): RUNS_SURVEYS,
    ("admin.survey_question", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.survey_question_up", "POST"): RUNS_SURVEYS,            # the last question: it may move up
    ("admin.round_new", "GET"): RUNS_SURVEYS,
    ("admin.round_new", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.survey_round", "GET"): RUNS_SURVEYS,
    ("admin.round_codes", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.round_invitations", "POST"): empty_form(RUNS_SURVEYS),
    ("admin.round_close", "POST"): RUNS_SURVEYS,
    ("admin.round_free_text", "GET"): RUNS_SURVEYS,               # never public, never the moderators'
    ("admin.survey_staff", "GET"): ADMINS,                        # naming survey staff: administrators only
    ("admin.survey_staff", "POST"): empty_form(ADMINS),
    ("admin.survey_staff_remove", "POST"): ADMINS,

    # --- accounts ---------------------------------------------------------------------------------------------------
    ("accounts.register", "GET"): ANYONE,
    ("accounts.register", "POST"): empty_form(ANYONE),
    ("accounts.register_sent", "GET"): ANYONE,
    ("accounts.login", "GET"): ANYONE,        # someone signed in is sent on to their account page
    ("accounts.login", "POST"): ANYONE,       # the form comes back with its errors, as 200
    ("accounts.request_reset", "GET"): ANYONE,
    ("accounts.request_reset", "POST"): ANYONE,
    ("accounts.reset_sent", "GET"): ANYONE,
    # Links from mail work for whoever holds them, signed in as anyone or not at all.
    ("accounts.verify", "GET"): ANYONE,
    ("accounts.confirm_email", "GET"): ANYONE,
    ("accounts.reset_password", "GET"): ANYONE,
    ("accounts.reset_password", "POST"): ANYONE,
    ("accounts.accept_invitation", "GET"): ANYONE,
    ("accounts.accept_invitation", "POST"): empty_form(ANYONE),
    ("accounts.unsubscribe", "GET"): ANYONE,
    ("accounts.unsubscribe", "POST"): ANYONE,
    # One's own account, verified or not.
    ("accounts.index", "GET"): SIGNED_IN,
    ("accounts.export", "GET"): SIGNED_IN,
    ("accounts.delete", "GET"): CHANGE_LOGIN,
    ("accounts.delete", "POST"): empty_form(CHANGE_LOGIN),
    ("accounts.logout", "POST"): SIGNED_IN,
    ("accounts.resend_verification", "POST"): SIGNED_IN,
    ("accounts.update_profile", "POST"): empty_form(SIGNED_IN),
    ("accounts.change_password", "POST"): empty_form(CHANGE_LOGIN),
    ("accounts.change_email", "POST"): empty_form(CHANGE_LOGIN),
    ("accounts.mail_preferences", "POST"): SIGNED_IN,   # every box unticked is a valid choice

    # Two-step login: the code page sends on whoever needs no code (everyone here has passed it or
    # needs none); setting it up is for staff only, and new recovery codes need a session that passed it.
    # Staff who have set it up are sent from the set-up page to the code page, which sends on whoever gave it;
    # the code page sends staff who have not set it up to the set-up page.
    ("accounts.two_factor", "GET"): SIGNED_IN,
    ("accounts.two_factor", "POST"): SIGNED_IN,
    ("accounts.two_factor_recovery", "POST"): SIGNED_IN,
    ("accounts.two_factor_setup", "GET"): row(NOT_FOUND, visitor=LOGIN, moderator_other=CODE, survey_staff=CODE, moderator=CODE, admin=CODE,
                                              without_code=OK),
    ("accounts.two_factor_setup", "POST"): row(NOT_FOUND, visitor=LOGIN, moderator_other=CODE, survey_staff=CODE, moderator=CODE, admin=CODE,
                                               without_code=INVALID),
    ("accounts.renew_recovery_codes", "POST"): empty_form(STAFF),

    # --- ideas ----------------------------------------------------------------------------------------------------------
    ("ideas.new", "GET"): PARTICIPANTS,
    ("ideas.new", "POST"): empty_form(PARTICIPANTS),
    ("ideas.comment", "POST"): empty_form(PARTICIPANTS),
    ("ideas.support", "POST"): PARTICIPANTS,            # the author is told one cannot support one's own idea
    ("ideas.report_idea", "GET"): PARTICIPANTS,
    ("ideas.report_idea", "POST"): empty_form(PARTICIPANTS),
    # Only the author changes or deletes their own comment; moderators do it through moderation.
    ("ideas.edit_comment", "GET"): only(PARTICIPANTS, author=OK),
    ("ideas.edit_comment", "POST"): empty_form(only(PARTICIPANTS, author=OK)),
    ("ideas.delete_comment", "GET"): only(PARTICIPANTS, author=OK),
    ("ideas.delete_comment", "POST"): only(PARTICIPANTS, author=OK),
    ("ideas.report_comment", "GET"): PARTICIPANTS,
    ("ideas.report_comment", "POST"): empty_form(PARTICIPANTS),
    ("photos.report", "GET"): PARTICIPANTS,
    ("photos.report", "POST"): empty_form(PARTICIPANTS),
    # Only the author changes or withdraws an idea; moderators act through moderation instead.
    ("ideas.edit", "GET"): only(PARTICIPANTS, author=OK),
    ("ideas.edit", "POST"): only(PARTICIPANTS, author=INVALID),
    ("ideas.withdraw", "GET"): only(PARTICIPANTS, author=OK),
    ("ideas.withdraw", "POST"): only(PARTICIPANTS, author=OK),
    # Only the author of hidden content asks for a review of it (unverified authors too: it is their content).
    ("ideas.request_review", "GET"): only(SIGNED_IN, author=OK),
    ("ideas.request_review", "POST"): only(SIGNED_IN, author=OK),
    ("ideas.request_comment_review", "GET"): only(SIGNED_IN, author=OK),
    ("ideas.request_comment_review", "POST"): only(SIGNED_IN, author=OK),

    # --- feedback: anonymous by design ----------------------------------------------------------------------------------
    ("feedback.new", "GET"): ANYONE,
    ("feedback.new", "POST"): empty_form(ANYONE),
    ("feedback.status", "GET"): ANYONE,                  # the receipt code is the key
    ("feedback.index", "GET"): ANYONE,
    ("feedback.find", "GET"): ANYONE,                    # opened bare: the page with the code box

    # --- the area survey: anyone answers (a code or an invitation is the key); staff type in paper forms --------------
    ("surveys.index", "GET"): ANYONE,
    ("surveys.code_any", "POST"): empty_form(ANYONE),
    ("surveys.round_page", "GET"): ANYONE,
    ("surveys.printed_code", "GET"): ANYONE,            # opening the printed link spends nothing
    ("surveys.start", "POST"): empty_form(ANYONE),
    ("surveys.enter_code", "POST"): empty_form(ANYONE),
    ("surveys.invitation", "GET"): ANYONE,
    ("surveys.invitation", "POST"): empty_form(ANYONE),
    # Without the browser's own token these lead to the survey's start page.
    ("surveys.carry_on", "GET"): ANYONE,
    ("surveys.question", "GET"): ANYONE,
    ("surveys.question", "POST"): ANYONE,
    ("surveys.review", "GET"): ANYONE,
    ("surveys.send", "POST"): ANYONE,
    ("surveys.thanks", "GET"): ANYONE,
    ("surveys.printable", "GET"): ANYONE,
    # The round covers the home district and the other moderator's: each types in their own district's forms.
    ("surveys.paper", "GET"): STAFF,
    ("surveys.paper", "POST"): empty_form(STAFF),

    # --- events and registrations -----------------------------------------------------------------------------------
    # An account whose address is not confirmed registers as a guest would (the place held for a mailed link).
    ("events.register", "GET"): ANYONE,
    ("events.register", "POST"): empty_form(ANYONE),
    # The manage link is the key: whoever holds it manages that registration.
    ("events.manage_registration", "GET"): ANYONE,
    ("events.manage_registration", "POST"): empty_form(ANYONE),
    ("events.registration_data", "GET"): ANYONE,
    ("events.cancel_registration", "GET"): ANYONE,      # the "are you sure?" page; only its POST cancels
    ("events.cancel_registration", "POST"): ANYONE,
    ("events.confirm_registration", "POST"): ANYONE,
    ("events.erase_registration", "GET"): ANYONE,
    ("events.erase_registration", "POST"): ANYONE,
    # Organisers of an organisation make its events; admins and moderators do not act as organisers.
    ("organiser.new_event", "GET"): only(PARTICIPANTS, organiser=OK, organiser_other=OK),
    ("organiser.new_event", "POST"): only(PARTICIPANTS, organiser=INVALID, organiser_other=INVALID),
    ("organiser.edit_event", "GET"): only(PARTICIPANTS, organiser=OK),
    ("organiser.edit_event", "POST"): only(PARTICIPANTS, organiser=INVALID),
    ("organiser.event_translations", "GET"): only(PARTICIPANTS, organiser=OK),
    ("organiser.event_translations", "POST"): only(PARTICIPANTS, organiser=INVALID),
    ("organiser.edit_event_translation", "GET"): only(PARTICIPANTS, organiser=OK),
    ("organiser.edit_event_translation", "POST"): only(PARTICIPANTS, organiser=INVALID),
    ("organiser.remove_event_translation", "POST"): only(PARTICIPANTS, organiser=OK),
    ("organiser.cancel_event", "GET"): only(PARTICIPANTS, organiser=OK),
    ("organiser.cancel_event", "POST"): only(PARTICIPANTS, organiser=OK),   # "this occurrence" is chosen already
    # The organiser page lists one's own events (none for most); the participants of one event are
    # read by its organisers and the moderators of its district, and changed by its organisers only.
    ("organiser.index", "GET"): PARTICIPANTS,
    ("organiser.participants", "GET"): only(PARTICIPANTS, organiser=OK, moderator=OK, admin=OK),
    ("organiser.participants_csv", "GET"): only(PARTICIPANTS, organiser=OK, moderator=OK, admin=OK),
    ("organiser.participants", "POST"): only(PARTICIPANTS, organiser=INVALID),
    ("organiser.attendance", "POST"): only(PARTICIPANTS, organiser=OK),
    ("organiser.message", "POST"): only(PARTICIPANTS, organiser=INVALID),

    # --- organisations and following ------------------------------------------------------------------------------------
    ("organisations.apply", "GET"): PARTICIPANTS,
    ("organisations.apply", "POST"): empty_form(PARTICIPANTS),
    ("organisations.members", "GET"): only(PARTICIPANTS, organiser=OK),
    ("organisations.members", "POST"): only(PARTICIPANTS, organiser=INVALID),
    # An invitation to join an organisation, sent to an address none of the roles has: it is refused to each.
    ("organisations.invitation", "GET"): only(PARTICIPANTS),
    ("organisations.invitation", "POST"): only(PARTICIPANTS),
    ("organisations.remove_member", "POST"): only(PARTICIPANTS, organiser=OK),
    # A resident follows with one click; a visitor gives an email address (sent empty here).
    ("follows.place", "GET"): PUBLIC_BUT_VERIFIED,
    ("follows.place", "POST"): row(OK, visitor=INVALID, unverified=FORBIDDEN),
    ("follows.organisation", "GET"): PUBLIC_BUT_VERIFIED,
    ("follows.organisation", "POST"): row(OK, visitor=INVALID, unverified=FORBIDDEN),
    ("follows.confirm", "GET"): ANYONE,
    ("follows.confirm", "POST"): ANYONE,
    ("follows.unsubscribe", "GET"): ANYONE,
    ("follows.unsubscribe", "POST"): ANYONE,

    # --- meeting places: kept by the moderators of their district -----------------------------------------------------
    ("meeting_places.new", "GET"): STAFF,                  # a place in one of one's own districts
    ("meeting_places.new", "POST"): empty_form(STAFF),
    ("meeting_places.edit", "GET"): HOME_STAFF,
    ("meeting_places.edit", "POST"): empty_form(HOME_STAFF),
    ("meeting_places.photos", "GET"): HOME_STAFF,                # the district's moderators keep its places' photos
    ("meeting_places.photos", "POST"): empty_form(HOME_STAFF),
    ("meeting_places.remove_photo", "POST"): HOME_STAFF,
    ("meeting_places.move_photo", "POST"): HOME_STAFF,

    # --- moderation --------------------------------------------------------------------------------------------------------
    ("moderation.index", "GET"): STAFF,                    # each moderator's queue holds their own districts
    ("moderation.audit", "GET"): STAFF,
    ("moderation.item", "GET"): HOME_STAFF,                # every kind of item
    ("moderation.act", "POST"): empty_form(HOME_STAFF),
    ("moderation.bulk", "POST"): HOME_STAFF,               # the items are named in the form
    # Answer templates belong to an effort area, shared by the moderators of every district.
    ("moderation.templates", "GET"): STAFF,
    ("moderation.templates", "POST"): empty_form(STAFF),
    ("moderation.edit_template", "GET"): STAFF,
    ("moderation.edit_template", "POST"): empty_form(STAFF),
    ("moderation.delete_template", "POST"): STAFF,
}

ROUTES = routes()


@pytest.fixture(scope="module")
def world():
    app = build_app(WTF_CSRF_ENABLED=False)
    yield World(app)
    discard_app(app)


@pytest.fixture
def app(world):
    """The module's one app, so ``client`` and ``login_as`` act on the world."""
    return world.app


def test_every_route_has_a_row_and_every_row_a_route():
    missing = sorted(set(ROUTES) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(ROUTES))
    assert not missing, f"add these rows to EXPECTED in {__name__}: {missing}"
    assert not stale, f"these rows of EXPECTED have no route any more: {stale}"


def test_rows_name_every_role():
    incomplete = {key: sorted(set(ROLES) - set(outcomes)) for key, outcomes in EXPECTED.items() if set(outcomes) != set(ROLES)}
    assert not incomplete


def test_the_roles_are_who_they_say(world, login_as):
    """The roles differ where the matrix relies on it: otherwise a row could pass for the wrong reason."""
    from app.accounts.models import User
    from app.extensions import db
    from app.organisations.models import Membership

    world.sign_in(login_as)
    with world.app.app_context():
        users = {role: db.session.get(User, info.id) for role, info in world.users.items() if info is not None}
        districts = {role: [d.slug for d in user.districts] for role, user in users.items()}
        member_of = {role: set(db.session.scalars(db.select(Membership.organisation_id).where(Membership.user_id == user.id)))
                     for role, user in users.items()}
    assert users[UNVERIFIED].verified_at is None
    assert {users[role].role for role in (MODERATOR, MODERATOR_OTHER)} == {"moderator"} and users[ADMIN].role == "admin"
    assert districts[MODERATOR] == ["lademoen"] and districts[MODERATOR_OTHER] == ["mollenberg"]
    assert users[SURVEY_STAFF].role == "moderator" and districts[SURVEY_STAFF] == ["mollenberg"]
    with world.app.app_context():
        from app.surveys.services import is_survey_staff

        assert [role for role, user in users.items() if is_survey_staff(user)] == [SURVEY_STAFF]
    assert member_of[ORGANISER] == {world.home_organisation}
    assert member_of[ORGANISER_OTHER] == {world.other_organisation}
    assert all(not member_of[role] for role in (UNVERIFIED, "resident", AUTHOR, MODERATOR, MODERATOR_OTHER, ADMIN))


def _format(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"  {role:16} expected {expected:10} got {got}" for role, expected, got in rows)


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{method} {endpoint}" for endpoint, method in ROUTES])
def test_each_role_gets_what_the_table_says(world, login_as, endpoint, method):
    expected = EXPECTED.get((endpoint, method))
    assert expected is not None, f"add a row for ({endpoint!r}, {method!r}) to EXPECTED in {__name__}"
    refused = [role for role in ROLES if expected[role] in REFUSED]
    allowed = [role for role in ROLES if role not in refused]
    writes = changes_state(world.app, endpoint, method)
    for rule in world.rules(endpoint, method):
        try:
            combinations = choices(rule)
        except MissingValue as missing:
            pytest.fail(str(missing))
        for choice in combinations:
            world.sign_in(login_as)
            seen: dict[str, str] = {}
            path, body = world.request(rule, choice)
            before = snapshot(world.app) if writes and refused else None
            for role in refused:
                with world.browsers[role].open(path, method=method, data=body) as response:
                    seen[role] = outcome_of(response)
            if before is not None:
                changed = changed_tables(before, snapshot(world.app))
                assert not changed, f"{method} {path} refused to {refused} changed the database: {changed}"
            for role in allowed:
                if writes:  # objects of its own: what this request does cannot spoil the next one's
                    path, body = world.request(rule, choice)
                with world.browsers[role].open(path, method=method, data=body) as response:
                    seen[role] = outcome_of(response)
                if method == "POST":
                    world.forget(role)  # the request may have ended the session (logging out, a new password)
            wrong = [(role, expected[role], seen[role]) for role in ROLES if seen[role] != expected[role]]
            assert not wrong, f"{method} {path} ({VISITOR} to {ADMIN}):\n{_format(wrong)}"
