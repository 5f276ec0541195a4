"""Command-line tools: ``flask seed``, ``flask demo`` and ``flask users ...``.

A command imports what only it needs inside its function, so ``flask --help`` and every other command
stay quick and do not load the demo generator or the routing model."""
from __future__ import annotations

import logging
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from app.accounts import services as accounts
from app.core import settings
from app.core.db import utcnow
from app.core.permissions import Role
from app.districts import services as districts
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts and roles.")
privacy_cli = AppGroup("privacy", help="Retention of personal data.")
mail_cli = AppGroup("mail", help="The mail outbox.")
mail_log = logging.getLogger("app.core.mail")
routing_cli = AppGroup("routing", help="Routing suggestions for moderators.")
moderation_cli = AppGroup("moderation", help="The moderation queue.")
events_cli = AppGroup("events", help="Events and registrations.")
insights_cli = AppGroup("insights", help="The figures on /insights.")
photos_cli = AppGroup("photos", help="Photo files and their rows.")
ideas_cli = AppGroup("ideas", help="Ideas and their kept tallies.")
survey_cli = AppGroup("survey", help="The area survey.")

# Demo accounts for trying the site locally; never created in production.
DEMO_PASSWORD = "demo-passord-for-medvirk"
DEMO_ORGANISER = "arrangor@demo.medvirk.no"
DEMO_USERS = (
    ("beboer@demo.medvirk.no", "Kari Beboer", Role.RESIDENT, ()),
    ("moderator@demo.medvirk.no", "Ola Moderator", Role.MODERATOR, ("lademoen", "mollenberg")),
    ("admin@demo.medvirk.no", "Anne Admin", Role.ADMIN, ()),
    (DEMO_ORGANISER, "Sigrid Arrangør", Role.RESIDENT, ()),  # organiser in every demo organisation
)


def _request_context():
    """Mail sent from the command line needs links to the real site."""
    return current_app.test_request_context(base_url=settings.get("BASE_URL"))


@click.command("seed")
@with_appcontext
def seed_command():
    """Load the districts and effort areas that are missing; existing ones keep their texts (safe to run again)."""
    from app.districts.seed_data import DISTRICTS, EFFORT_AREAS

    created = districts.seed(DISTRICTS, EFFORT_AREAS)
    db.session.commit()
    click.echo(
        f"Seeded: {created['districts']} new districts, {created['effort_areas']} new effort areas, "
        f"{created['sub_themes']} new sub-themes, plain names filled in for {created['public_names']} effort areas, "
        f"approximate boundaries for {created['boundaries']} districts "
        f"(existing texts left as they are)."
    )


@click.command("demo")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 100),
              help="Build this many times the base amount of content (1,000 ideas, 3,000 comments, 2,000 feedback, "
                   "120 events, 5,000 registrations).")
@with_appcontext
def demo_command(scale: int):
    """Add demo accounts and content for trying the site (safe to run again)."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not current_app.debug and not current_app.testing:
        raise click.ClickException("Refusing to add demo data to a production configuration.")
    from app.accounts.models import User
    from app.core.security import hash_password
    from app.demo.generate import BASE, build

    if not districts.list_districts():
        raise click.ClickException("Run 'flask seed' first.")
    added = 0
    for email, name, role, district_slugs in DEMO_USERS:
        if accounts.find_by_email(email) is not None:
            continue
        user = User(
            email=email, display_name=name, password_hash=hash_password(DEMO_PASSWORD),
            verified_at=utcnow(), role=role, locale="nb",
        )
        user.districts = [d for d in (districts.get_district(s) for s in district_slugs) if d]
        db.session.add(user)
        added += 1
    db.session.flush()
    total = sum(BASE[kind] for kind in ("ideas", "comments", "feedback", "registrations")) * scale
    with _progress(total, "Demo content") as advance:
        content = build(scale, progress=advance)
    db.session.commit()
    click.echo(
        f"Demo data: {added} new accounts, {content['ideas']} ideas, {content['comments']} comments, "
        f"{content['supports']} supports, {content['feedback']} feedback, {content['places']} meeting places, "
        f"{content['organisations']} organisations, {content['events']} events, "
        f"{content['registrations']} registrations, {content.get('survey_answer_sets', 0)} survey answers."
    )
    click.echo(f"Log in with any of these accounts using the password '{DEMO_PASSWORD}':")
    for email, _name, role, _ in DEMO_USERS:
        # The organiser's role is a resident's; what they are shown as is what they can do.
        shown = "organiser" if email == DEMO_ORGANISER else role.value
        click.echo(f"  {shown:<10} {email}")
    click.echo("The moderator and the admin set up two-step login (any authenticator app) at their first login.")


@contextmanager
def _progress(total: int, label: str):
    """Yields ``advance(stage, n)``: a progress bar in a terminal, elsewhere (a log, a pipe) a line at
    every tenth of the way, with the stage and the time so far."""
    started = time.monotonic()
    if sys.stderr.isatty():
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield lambda _stage, n: bar.update(n)
        return
    done, shown = 0, 0

    def advance(stage: str, n: int) -> None:
        nonlocal done, shown
        done += n
        tenths = min(10, done * 10 // max(1, total))
        if tenths > shown:
            shown = tenths
            click.echo(f"{label}: {tenths * 10} % ({stage}, {time.monotonic() - started:.0f} s)", err=True)

    yield advance


def _user_or_fail(email: str):
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    return user


def _district_or_fail(slug: str | None):
    if slug is None:
        return None
    district = districts.get_district(slug)
    if district is None:
        raise click.ClickException(f"No district '{slug}'.")
    return district


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", help="Display name (defaults to the part before @).")
def create_admin(email: str, name: str | None):
    """Create an admin (or make an account one) and mail a link to set the password."""
    with _request_context():
        accounts.create_admin(email, name)
        db.session.commit()
    click.echo(f"{email} is an admin. A link to choose a password has been mailed.")


ROLE_CHOICE = click.Choice([Role.MODERATOR.value, Role.ADMIN.value])


def _change_role(change, role: str, email: str, slug: str | None) -> None:
    user = _user_or_fail(email)
    with _request_context():  # a refusal's message is translated, which needs a request
        try:
            change(user, Role(role), _district_or_fail(slug))
        except accounts.AccountError as error:
            raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"{email}: role {user.role}, districts {', '.join(d.slug for d in user.districts) or '-'}.")


@users_cli.command("grant")
@click.argument("role", type=ROLE_CHOICE)
@click.argument("email")
@click.option("--district", "slug", help="A district the moderator covers.")
def grant(role: str, email: str, slug: str | None):
    """Give ROLE to the account EMAIL (and, for moderators, a district)."""
    _change_role(accounts.grant, role, email, slug)


@users_cli.command("revoke")
@click.argument("role", type=ROLE_CHOICE)
@click.argument("email")
@click.option("--district", "slug", help="Only take away this district.")
def revoke(role: str, email: str, slug: str | None):
    """Take ROLE (or one district of it) away from the account EMAIL."""
    _change_role(accounts.revoke, role, email, slug)


@users_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email: str):
    """Turn two-step login off for EMAIL (a lost phone) and end their sessions; they set it up again at login."""
    from app.accounts import two_factor

    user = _user_or_fail(email)
    if user.totp_secret is None:
        raise click.ClickException(f"{email} has no two-step login to reset.")
    two_factor.reset(user)
    db.session.commit()
    click.echo(f"{email}: two-step login is off and every session is ended. It is set up again at the next login.")


@privacy_cli.command("purge")
def purge():
    """Delete personal data past its retention period (run hourly from cron: access needs go when an event ends)."""
    from app.privacy.erasure import forget_on_disk
    from app.privacy.services import purge_expired

    removed = purge_expired()
    db.session.commit()
    forget_on_disk()
    click.echo("Purged: " + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in removed.items()) + ".")


@privacy_cli.command("reapply-erasures")
def reapply_erasures():
    """Erase again every account in the erasure log (run after restoring a backup)."""
    from app.privacy.erasure import forget_on_disk, reapply

    with _request_context():   # a cancelled seat mails whoever moves up from the waitlist
        erased = reapply()
        db.session.commit()
    forget_on_disk()
    click.echo(f"Erased again: {len(erased)} account(s) the backup brought back.")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000),
              help="Most messages to send in one round.")
@click.option("--watch", is_flag=True, help="Keep running: send what is due, wait, and again, until stopped "
                                            "(Ctrl-C or SIGTERM finish the round first).")
@click.option("--interval", default=10, show_default=True, type=click.IntRange(1, 3600),
              help="With --watch: seconds to wait between rounds.")
def send_mail_command(limit: int, watch: bool, interval: int):
    """Deliver queued mail over SMTP: every minute from cron, or once with --watch as a service."""
    if not watch:
        counts = _mail_round(limit)
        click.echo(f"Mail: {counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} given up.")
        return
    click.echo(f"Sending mail every {interval} seconds; stop with Ctrl-C.")
    with _stop_on_signal() as stopping:
        while not stopping.is_set():
            try:
                counts = _mail_round(limit)
            except (SQLAlchemyError, OSError) as error:   # the database restarting: try again next round
                db.session.rollback()
                mail_log.error("mail round failed: %s", type(error).__name__)
                counts = None
            finally:
                db.session.remove()
            if counts and any(counts.values()):
                click.echo(f"Mail: {counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} given up.")
            if counts and sum(counts.values()) >= limit:
                continue   # more may be due at once
            stopping.wait(interval)
    click.echo("Stopped.")


def _mail_round(limit: int) -> dict[str, int]:
    """One round in a transaction of its own."""
    from app.core.mail import deliver_queued

    counts = deliver_queued(limit)
    db.session.commit()
    return counts


class _Stopping:
    """Set from a signal handler: a plain flag (a lock taken there could be held by the code it interrupted)."""

    def __init__(self):
        self.asked = False

    def is_set(self) -> bool:
        return self.asked

    def wait(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while not self.asked and time.monotonic() < until:
            time.sleep(min(0.2, max(0.0, until - time.monotonic())))


@contextmanager
def _stop_on_signal():
    """A flag set by Ctrl-C or SIGTERM, so the round under way finishes and is committed (a message
    sent but not recorded as sent would go again). A second Ctrl-C stops at once."""
    stopping = _Stopping()

    def stop(signum, frame):
        stopping.asked = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    before = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopping
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@routing_cli.command("suggest")
@click.argument("text")
def routing_suggest(text: str):
    """Print the effort areas TEXT most likely belongs to, with scores and the words behind them."""
    from app.moderation.routing import model

    for suggestion in model().suggest(text):
        words = f"  ({', '.join(suggestion.words)})" if suggestion.words else ""
        click.echo(f"{suggestion.number}  {suggestion.score:.2f}{words}")


@routing_cli.command("evaluate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20),
              help="Folds for cross-validating over the stored routing decisions.")
def routing_evaluate(path: str, folds: int):
    """Measure the model on a CSV file with columns text,effort_area (never trained on it), and by
    k-fold cross-validation over the routing decisions stored in the database."""
    import csv

    from app.moderation.routing import cross_validate, evaluate

    with open(path, newline="", encoding="utf-8") as f:
        rows = [(row["text"], int(row["effort_area"])) for row in csv.DictReader(f)]
    result = evaluate(rows)
    click.echo(f"held-out file ({path}), the prior plus every stored decision:")
    click.echo(f"examples: {result['n']}")
    click.echo(f"top-1: {result['top1']:.2f}")
    click.echo(f"top-2: {result['top2']:.2f}")
    for area, recall in result["recall"].items():
        click.echo(f"recall area {area}: {recall:.2f}")
    stored = cross_validate(folds=folds)
    if stored["n"] >= folds:
        click.echo(f"stored decisions, {folds}-fold cross-validated "
                   f"({stored['decisions']} decisions, {stored['n']} distinct texts):")
        click.echo(f"cv top-1: {stored['top1']:.2f}")
        click.echo(f"cv top-2: {stored['top2']:.2f}")
    else:
        click.echo(f"stored decisions: {stored['n']} distinct texts, too few to cross-validate")


@moderation_cli.command("digest")
def moderation_digest():
    """Mail each moderator what waits in their districts (run daily from cron)."""
    from app.moderation.services import send_digests

    with _request_context():
        sent = send_digests()
        db.session.commit()
    click.echo(f"Digest sent to {sent} moderators.")


@events_cli.command("send-reminders")
def events_send_reminders():
    """Mail a reminder to everyone registered for an event that starts within 24 hours (run hourly from cron)."""
    from app.events.reminders import send_reminders

    with _request_context():
        sent = send_reminders()
        db.session.commit()
    click.echo(f"Reminders: {sent} sent.")


@insights_cli.command("rollup")
def insights_rollup():
    """Count the figures afresh and keep them for every worker (run every few minutes from cron, more
    often than INSIGHTS_CACHE_SECONDS, so that no visitor waits for the counting)."""
    from app.insights.figures import rollup

    with _request_context():
        kept = rollup()
    click.echo(f"Insights: {len(kept)} sets of figures kept.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Copy the SQLite database to PATH while the site runs, and check the copy."""
    from app.backup.sqlite import BackupError, backup_to

    try:
        made = backup_to(path)
    except BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Backup written to {made.path} ({made.size:,} bytes, {made.tables} tables, integrity ok).")


@photos_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Say what would be removed, remove nothing.")
@with_appcontext
def photos_sweep_command(dry_run: bool) -> None:
    """Remove stored photo files that no photo names (older than an hour, so an upload in progress is safe),
    and report photos whose files are missing. Run it daily."""
    from app.photos.services import sweep

    report = sweep(dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {len(report.removed)} file(s) that no photo names.")
    for photo_id, name in report.missing:
        click.echo(f"Photo {photo_id} is missing its file {name}.", err=True)
    if report.missing:
        click.echo(f"{len(report.missing)} file(s) missing: upload those photos again or remove them.", err=True)


@ideas_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare the tallies with a count and report any difference.")
@with_appcontext
def ideas_recount_command(check: bool) -> None:
    """Count the tallies of shown ideas afresh from the ideas (the database keeps them itself; for a copy
    that came from elsewhere, or to check). With --check nothing is written; it exits with status 1 if a
    tally differs from the count, so cron can mail it."""
    from app.ideas.tallies import drift, rebuild

    if check:
        differences = drift()
        for key, kept, counted in differences:
            click.echo(f"Tally {key}: kept {kept}, counted {counted}.", err=True)
        if differences:
            raise click.ClickException(f"{len(differences)} tally(ies) differ from a count: run `flask ideas recount`.")
        click.echo("The tallies of shown ideas equal a count of the ideas.")
        return
    shown = rebuild()
    db.session.commit()
    click.echo(f"Ideas the public sees: {shown}, counted afresh.")


@survey_cli.command("codes")
@click.option("--round", "round_id", required=True, type=int, help="The round's number (its id).")
@click.option("--count", required=True, type=click.IntRange(1, 100_000), help="How many codes to make.")
@click.option("--district", "district_slug", required=True, help="The district the codes are for (its slug).")
@click.option("--out", "folder", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="The folder to write the two files in.")
@with_appcontext
def survey_codes_command(round_id: int, count: int, district_slug: str, folder: Path) -> None:
    """Make one-time codes for a round in a district: a CSV (code, district, URL) and a printable sheet with a
    QR code per code. Only the codes' hashes are kept in the database: these files are the only copy."""
    from app.core.files import private_folder
    from app.core.rules import RuleBroken
    from app.districts.models import District
    from app.surveys import codes
    from app.surveys.models import SurveyRound
    from app.surveys.services import make_codes

    survey_round = db.session.get(SurveyRound, round_id)
    if survey_round is None:
        raise click.ClickException(f"There is no round {round_id}.")
    district = db.session.scalar(db.select(District).where(District.slug == district_slug))
    if district is None:
        raise click.ClickException(f"There is no district {district_slug!r}.")
    try:
        made = make_codes(survey_round, district, count)
    except RuleBroken as refused:
        db.session.rollback()
        with _request_context(), force_locale("en"):   # a translatable refusal, said in English as the rest here
            raise click.ClickException(str(refused.message)) from None
    private_folder(folder)
    stem = f"survey-round-{round_id}-{district.slug}-{utcnow():%Y%m%d-%H%M%S}"
    csv_path, html_path = codes.write_sheets(folder, stem, round_id, district.slug,
                                             survey_round.survey.title_in("nb"), made)
    db.session.commit()   # after the files are written: codes nobody has cannot be kept
    click.echo(f"{len(made)} codes for round {round_id} in {district.slug}: {csv_path} and {html_path}. "
               "Keep them safe: the database has only their hashes.")


def init_app(app) -> None:
    app.cli.add_command(survey_cli)
    app.cli.add_command(photos_cli)
    app.cli.add_command(ideas_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(routing_cli)
    app.cli.add_command(moderation_cli)
    app.cli.add_command(events_cli)
    app.cli.add_command(insights_cli)
