"""Account pages: thin views over ``services``."""
from __future__ import annotations

import json
import time
from contextlib import suppress

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import TooManyRequests

from app.accounts import administration, services, throttle
from app.accounts import two_factor as second_factor
from app.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    MailPreferencesForm,
    ProfileForm,
    RecoveryCodeForm,
    RegisterForm,
    RenewRecoveryCodesForm,
    RequestResetForm,
    ResetPasswordForm,
    TwoFactorCodeForm,
)
from app.accounts.models import OPTIONAL_MAILS
from app.core.db import OSLO, utcnow
from app.core.drafts import SESSION_KEY as DRAFT_SESSION_KEY
from app.core.forms import ActionForm, safe_next, show_beside
from app.core.i18n import current_locale, ngettext
from app.core.i18n import gettext as _
from app.core.once import create_once
from app.core.permissions import (
    SECOND_FACTOR_KEY,
    Permission,
    Role,
    public,
    require,
    second_factor_passed,
    writes_on_get,
)
from app.events.registration import upcoming_for
from app.events.services import organiser_of
from app.extensions import db, limiter
from app.follows.services import followed_by, stop_action, target_of, target_url
from app.ideas.services import activity_for
from app.privacy import erasure
from app.privacy.export import personal_data

bp = Blueprint("accounts", __name__, template_folder="templates")


def _personal() -> None:
    request.personal_page = True


def _start_session(user) -> None:
    """A new session for a new login: nothing from before carries over, except a kept form draft."""
    draft = session.get(DRAFT_SESSION_KEY)
    session.clear()
    if draft:
        session[DRAFT_SESSION_KEY] = draft
    login_user(user)
    session["last_seen"] = int(time.time())


def _renew_session(user) -> None:
    """After every session of ``user`` was ended (a confirmed address), this one goes on if it is theirs,
    with the second factor it had passed."""
    if not current_user.is_authenticated or current_user.id != user.id:
        return
    passed = session.get(SECOND_FACTOR_KEY) == user.id
    _start_session(user)
    if passed:
        session[SECOND_FACTOR_KEY] = user.id


def _second_step(user, next_path: str):
    """Where staff go after the password: the code page, or setting the second factor up."""
    endpoint = "accounts.two_factor" if user.has_two_factor else "accounts.two_factor_setup"
    return redirect(url_for(endpoint, next=next_path))


def _landing(user) -> str:
    """Where a login without ``next`` leads: to the person's work (the moderation queue, the
    administration, their organisation's events), else to their own page."""
    if user.role == Role.ADMIN:
        return "admin.index"
    if user.role == Role.MODERATOR:
        return "moderation.index"
    if user.verified_at is not None and organiser_of(user):
        return "organiser.index"
    return "accounts.index"


def _too_many_attempts(wait: int):
    error = TooManyRequests()
    error.retry_after = wait
    return error


# --- registration -------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def register():
    form = RegisterForm()
    # Where the person was before (the login page's next): signed into the confirmation link.
    next_path = safe_next(request.args.get("next")) if request.args.get("next") else None
    if form.validate_on_submit():
        # The same answer whether this sending made the account, an earlier one did, or another
        # sending took the address at the same moment: the page never says which addresses have accounts.
        with suppress(IntegrityError):
            create_once(form, "register", lambda: services.register(
                form.email.data, form.display_name.data, form.password.data, current_locale(), next_path),
                target=lambda user: user.id if user else None)
        return redirect(url_for("accounts.register_sent"))
    return render_template("accounts/register.html", form=form, next_path=next_path), 400 if form.errors else 200


@bp.route("/register/sent")
@public
def register_sent():
    return render_template("accounts/check_mail.html", reason="register")


@bp.route("/verify/<token>")
@writes_on_get
@public
def verify(token: str):
    user = services.verify_email(token)
    if user is None:
        db.session.rollback()
        return render_template("accounts/link_invalid.html", resend=True), 400
    db.session.commit()
    _renew_session(user)
    flash(_("Thank you! Your email address is confirmed."), "success")
    back = services.verification_next(token)
    if current_user.is_authenticated:
        return redirect(safe_next(back, "accounts.index"))
    # Opened in another browser (a mail app's): log in there, then on to where they were.
    return redirect(url_for("accounts.login", next=safe_next(back, "accounts.index")) if back
                    else url_for("accounts.login"))


@bp.route("/verify/resend", methods=["POST"])
@limiter.limit("5 per hour")
@require(Permission.SIGN_IN)
def resend_verification():
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again."), "error")
    elif not current_user.is_verified:
        back = request.form.get("next")
        services.send_verification(current_user, safe_next(back) if back else None)
        db.session.commit()
        flash(_("We have sent a new link. It works for 48 hours."), "success")
    back = request.form.get("next")
    return redirect(safe_next(back, "accounts.index") if back else url_for("accounts.index"))


# --- logging in and out ---------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next"), _landing(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        wait = throttle.retry_after(email)
        if wait is not None:
            raise _too_many_attempts(wait)
        user = services.authenticate(email, form.password.data)
        if user is None:
            throttle.record_failure(email)
            db.session.rollback()
            form.password.errors.append(_("The email address or the password is not correct."))
        else:
            db.session.commit()
            _start_session(user)
            if user.is_staff:
                return _second_step(user, safe_next(form.next.data, _landing(user)))
            flash(_("You are logged in."), "success")
            return redirect(safe_next(form.next.data, _landing(user)))
    return render_template("accounts/login.html", form=form)


# --- the second factor (moderators and admins) ----------------------------------------------


def _pass_second_factor(user) -> None:
    """A new session, as at login, that now counts for staff pages too."""
    _start_session(user)
    session[SECOND_FACTOR_KEY] = user.id


def _throttled_code_attempt(user) -> None:
    wait = throttle.second_factor_retry_after(user.id)
    if wait is not None:
        raise _too_many_attempts(wait)


def _render_code_page(form=None, recovery_form=None, status: int = 200):
    _personal()
    form = TwoFactorCodeForm() if form is None else form
    recovery_form = RecoveryCodeForm() if recovery_form is None else recovery_form
    form.code.data = recovery_form.recovery_code.data = ""  # what was typed is not sent back
    return render_template("accounts/two_factor.html", form=form, recovery_form=recovery_form), status


def _before_code_page():
    """Where a person who needs no code page goes instead, or None."""
    next_path = safe_next(request.values.get("next"), _landing(current_user))
    if not current_user.is_staff or second_factor_passed(current_user):
        return redirect(next_path)
    if not current_user.has_two_factor:
        return redirect(url_for("accounts.two_factor_setup", next=next_path))
    return None


REFUSED = object()


def _code_checked(user, field, check):
    """What ``check`` of a typed code returns, with the second factor passed; REFUSED with the refusal
    beside ``field`` and the wrong code counted against the account (the owner is told when they pile up)."""
    _throttled_code_attempt(user)
    try:
        result = check()
    except second_factor.TwoFactorError as refused:
        db.session.rollback()
        second_factor.code_refused(user)
        db.session.commit()
        field.errors.append(refused.message)
        return REFUSED
    db.session.commit()
    _pass_second_factor(user)
    return result


@bp.route("/two-factor", methods=["GET", "POST"])
@require(Permission.SIGN_IN)
def two_factor():
    elsewhere = _before_code_page()
    if elsewhere is not None:
        return elsewhere
    form = TwoFactorCodeForm()
    if not form.validate_on_submit():
        return _render_code_page(form, status=400 if request.method == "POST" else 200)
    user = current_user._get_current_object()
    if _code_checked(user, form.code, lambda: second_factor.check_code(user, form.code.data)) is REFUSED:
        return _render_code_page(form, status=400)
    flash(_("You are logged in."), "success")
    return redirect(safe_next(form.next.data, _landing(current_user)))


@bp.route("/two-factor/recovery", methods=["POST"])
@require(Permission.SIGN_IN)
def two_factor_recovery():
    elsewhere = _before_code_page()
    if elsewhere is not None:
        return elsewhere
    form = RecoveryCodeForm()
    if not form.validate_on_submit():
        return _render_code_page(recovery_form=form, status=400)
    user = current_user._get_current_object()
    left = _code_checked(user, form.recovery_code, lambda: second_factor.use_recovery_code(user, form.recovery_code.data))
    if left is REFUSED:
        return _render_code_page(recovery_form=form, status=400)
    flash(_("You are logged in with a recovery code. It cannot be used again."), "success")
    if left <= 3:
        flash(ngettext("You have %(num)d recovery code left. Make new ones on your account page.",
                       "You have %(num)d recovery codes left. Make new ones on your account page.", left), "info")
    return redirect(safe_next(form.next.data, _landing(current_user)))


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@writes_on_get
@require(Permission.SIGN_IN)
def two_factor_setup():
    if not current_user.is_staff:
        abort(404)
    next_path = safe_next(request.values.get("next"), _landing(current_user))
    if current_user.has_two_factor:
        return redirect(url_for("accounts.two_factor", next=next_path))
    _personal()
    user = current_user._get_current_object()
    if request.method == "POST" and user.totp_secret is None:  # no key was shown yet, so no code can match it
        flash(_("First add Medvirk to your authenticator app with the QR code below, then type the code it shows."),
              "error")
        return redirect(url_for("accounts.two_factor_setup", next=next_path))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        codes = _code_checked(user, form.code, lambda: second_factor.confirm_setup(user, form.code.data))
        if codes is not REFUSED:
            flash(_("Two-step login is on."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes, next_path=next_path)
    return _setup_page(user, form)


def _setup_page(user, form: TwoFactorCodeForm):
    form.code.data = ""
    # The same key as on the last visit until it is confirmed (see start_setup), never after.
    secret = second_factor.start_setup(user)
    db.session.commit()
    return render_template(
        "accounts/two_factor_setup.html", form=form, secret=second_factor.grouped(secret), issuer=second_factor.ISSUER,
        qr_code=second_factor.qr_code(user),
    ), 400 if form.errors else 200


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@limiter.limit("10 per hour")
# Staff only, and only once the second factor is passed: else the password alone could make codes that pass it.
@require(Permission.MODERATE)
def renew_recovery_codes():
    form = RenewRecoveryCodesForm(prefix="recovery")
    if form.validate_on_submit():
        try:
            codes = second_factor.renew_recovery_codes(current_user._get_current_object(), form.password.data)
        except second_factor.TwoFactorError as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(refused.message)
        else:
            db.session.commit()
            _personal()
            flash(_("You have new recovery codes. The old ones no longer work."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes, next_path=url_for("accounts.index"))
    return _render_account(400, recovery_form=form)


@bp.route("/logout", methods=["POST"])
@require(Permission.SIGN_IN)
def logout():
    if not ActionForm().validate_on_submit():
        flash(_("The page had expired. Press the button again to log out."), "error")
        return redirect(url_for("accounts.index"))
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("pages.home"))


# --- passwords --------------------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def request_reset():
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return redirect(url_for("accounts.reset_sent"))
    return render_template("accounts/request_reset.html", form=form)


@bp.route("/reset/sent")
@public
def reset_sent():
    return render_template("accounts/check_mail.html", reason="reset")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    _personal()
    user = services.user_for_reset(token)
    if user is None:
        return render_template("accounts/link_invalid.html", resend=False), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your new password is saved. Log in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


# --- accepting an invitation to be staff -------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """The link in an invitation mail: choose a password, and go straight on to set up the second factor."""
    _personal()
    user = administration.user_for_invitation(token)
    if user is None:
        return render_template("accounts/invitation_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        administration.accept_invitation(user, form.password.data)
        db.session.commit()
        _start_session(user)
        flash(_("Welcome to Medvirk! Your password is saved."), "success")
        if user.is_staff:
            flash(_("Now set up two-step login: staff pages need it."), "info")
            home = "admin.index" if user.role == Role.ADMIN else "moderation.index"
            return redirect(url_for("accounts.two_factor_setup", next=url_for(home)))
        return redirect(url_for("accounts.index"))
    return render_template("accounts/accept_invitation.html", form=form), 400 if form.errors else 200


# --- the account page ------------------------------------------------------------------------


def _account_forms(**override):
    forms = {
        "profile_form": ProfileForm(prefix="profile", formdata=None, obj=current_user),
        "password_form": ChangePasswordForm(prefix="password", formdata=None),
        "email_form": ChangeEmailForm(prefix="email", formdata=None),
        "mail_form": MailPreferencesForm(
            prefix="mail", formdata=None, **{kind: current_user.wants_mail(kind) for kind in OPTIONAL_MAILS}
        ),
        "recovery_form": RenewRecoveryCodesForm(prefix="recovery", formdata=None),
    }
    forms.update(override)
    return forms


def _following() -> list[dict]:
    """What the resident follows, each with its page and the address its stop button posts to."""
    rows = []
    for follow in followed_by(current_user):
        endpoint, values = target_url(follow)
        stop = stop_action(follow)
        rows.append({"name": target_of(follow).name, "url": url_for(endpoint, **values),
                     "place": follow.meeting_place_id is not None,
                     "stop": url_for(stop[0], **stop[1]) if stop else None})
    return rows


# How many of each list "Min side" shows (the latest; everything is in the download of one's data): what
# the page reads stays the same however long a person's history grows.
LATEST = 50


def _render_account(status: int = 200, **override):
    _personal()
    counts_codes = current_user.is_staff and current_user.has_two_factor
    activity = activity_for(current_user, LATEST)
    registrations = upcoming_for(current_user, LATEST + 1)
    if len(registrations) > LATEST:
        registrations, activity["more"] = registrations[:LATEST], (*activity["more"], "registrations")
    return render_template(
        "accounts/index.html", activity=activity, registrations=registrations,
        following=_following(),
        organises=organiser_of(current_user),
        recovery_codes_left=second_factor.recovery_codes_left(current_user) if counts_codes else None,
        **_account_forms(**override)
    ), status


@bp.route("/")
@require(Permission.SIGN_IN)
def index():
    return _render_account()


@bp.route("/export")
@require(Permission.SIGN_IN)
def export():
    _personal()
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=1)
    response = Response(body, content_type="application/json; charset=utf-8")
    day = utcnow().astimezone(OSLO).date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="medvirk-my-data-{day}.json"'
    return response


@bp.route("/delete", methods=["GET", "POST"])
@require(Permission.CHANGE_LOGIN)
@limiter.limit("10 per hour", methods=["POST"])
def delete():
    _personal()
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("accounts/delete.html", form=form), 400 if request.method == "POST" else 200
    try:
        erased = erasure.erase_own_account(current_user._get_current_object(), form.password.data)
    except erasure.ErasureRefused as refused:
        db.session.rollback()
        show_beside(form, refused)
        return render_template("accounts/delete.html", form=form), 400
    db.session.commit()
    erasure.remember(erased)
    erasure.forget_on_disk()
    logout_user()
    session.clear()
    flash(_("Your account and your personal data are deleted. Your public ideas and comments now show “deleted user”."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/profile", methods=["POST"])
@require(Permission.SIGN_IN)
def update_profile():
    form = ProfileForm(prefix="profile")
    if not form.validate_on_submit():
        return _render_account(400, profile_form=form)
    services.update_profile(current_user, form.display_name.data, form.locale.data)
    db.session.commit()
    # The new language applies at once, also over an earlier ?lang= choice.
    response = redirect(url_for("accounts.index", lang=form.locale.data))
    flash(_("Your profile is saved."), "success")
    return response


@bp.route("/password", methods=["POST"])
@limiter.limit("10 per hour")   # a session left open must not become a way to guess the password
@require(Permission.CHANGE_LOGIN)
def change_password():
    form = ChangePasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            user = current_user._get_current_object()
            _start_session(user)
            flash(_("Your password is changed. You have been logged out everywhere else."), "success")
            if user.is_staff:
                # The new session starts at the password, like a login: staff enter a code again.
                return _second_step(user, url_for("accounts.index"))
            return redirect(url_for("accounts.index"))
    return _render_account(400, password_form=form)


@bp.route("/email", methods=["POST"])
@limiter.limit("10 per hour")
@require(Permission.CHANGE_LOGIN)
def change_email():
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.current_password.data, form.new_email.data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("We have sent a link to the new address. Your email changes when you open it."), "success")
            return redirect(url_for("accounts.index"))
    return _render_account(400, email_form=form)


@bp.route("/email/confirm/<token>")
@writes_on_get
@public
def confirm_email(token: str):
    try:
        user = services.confirm_email_change(token)
    except services.AccountError as error:
        db.session.rollback()
        return render_template("accounts/link_invalid.html", message=error.message, resend=False), 400
    db.session.commit()
    _renew_session(user)
    flash(_("Your email address is changed."), "success")
    return redirect(url_for("accounts.index") if current_user.is_authenticated else url_for("accounts.login"))


@bp.route("/mail", methods=["POST"])
@require(Permission.SIGN_IN)
def mail_preferences():
    form = MailPreferencesForm(prefix="mail")
    if not form.validate_on_submit():
        return _render_account(400, mail_form=form)
    services.set_mail_preferences(current_user, {kind: getattr(form, kind).data for kind in OPTIONAL_MAILS})
    db.session.commit()
    flash(_("Your mail choices are saved."), "success")
    return redirect(url_for("accounts.index"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token: str):
    found = services.read_unsubscribe(token)
    if found is None:
        abort(404)
    user, kind = found
    form = ActionForm()
    if form.validate_on_submit():
        services.unsubscribe(user, kind)
        db.session.commit()
        return redirect(url_for("accounts.unsubscribe", token=token))
    status = 200
    if form.is_submitted():
        flash(_("The page had expired. Press the button again."), "error")
        status = 400
    return render_template("accounts/unsubscribe.html", kind=kind, done=not user.wants_mail(kind)), status
