"""Screenshots of the pages people use, at phone (375 px) and desktop (1280 px) width, to look at.

    make screenshots                              # every page, Bokmål
    .venv/bin/python -m tests.browser.screenshots --only event --lang en
    .venv/bin/python -m tests.browser.screenshots --lang ar --only home,idea,event,insights   # right to left

Builds a throwaway SQLite database with the seed and the demo data (``flask demo``), serves it on
a free local port and opens each page in Debian's Chromium as a visitor, a resident, an organiser,
a moderator and an admin. The pictures go to ``instance/screenshots/`` (not committed), named
``<role>-<page>-<width>.png`` (``<role>-<page>-<lang>-<width>.png`` in another language than Bokmål); a page with a map also gets ``<role>-<page>-<width>-map.png``, the map and
its list alone, to look at closely. Nothing here is a test: it is for a person to open the pictures.

No map tiles are reachable from here, so the maps show the server's outline and pins (and, where the
map script runs, the same on a blank background). The script prints what a person would trip over at a
phone's width: a page wider than the screen, and links or buttons in a map smaller than 44 px.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pyotp
from playwright.sync_api import sync_playwright

from app import create_app
from app.cli import DEMO_PASSWORD, demo_command
from app.core.db import utcnow
from app.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.helpers import create_schema

WIDTHS = (375, 1280)
# What the "which district do I live in?" page is asked, and where an idea with a place is about.
ADDRESS = "Mellomveien 18"
ACCOUNTS = {
    "resident": "beboer@demo.medvirk.no",
    "organiser": "arrangor@demo.medvirk.no",
    "moderator": "moderator@demo.medvirk.no",
    "admin": "admin@demo.medvirk.no",
}


def _pages(app) -> dict[str, list[tuple[str, str]]]:
    """(name, path) per role, with ids picked from the demo data."""
    from app.accounts.models import User
    from app.events.models import Event, Registration
    from app.events.registration import manage_token
    from app.feedback.models import Feedback
    from app.meeting_places.models import MeetingPlace
    from app.organisations.models import Membership, Organisation
    from app.photos.models import Photo
    from app.submissions.models import Submission

    with app.app_context():
        idea = db.session.scalar(db.select(Submission.id).where(Submission.kind == "idea", Submission.hidden_at.is_(None))
                                 .order_by(Submission.id.desc()))
        photographed = db.session.scalar(db.select(Photo.submission_id).where(Photo.submission_id.is_not(None))
                                         .order_by(Photo.id))
        # The newest public idea with a place, for the idea page's small map.
        located = db.session.scalar(db.select(Submission.id).where(
            Submission.kind == "idea", Submission.hidden_at.is_(None), Submission.held_at.is_(None),
            Submission.withdrawn_at.is_(None), Submission.location_lat.is_not(None)).order_by(Submission.id.desc()))
        event = db.session.scalar(db.select(Event.id).where(Event.starts_at > utcnow()).order_by(Event.starts_at))
        place = db.session.scalar(db.select(MeetingPlace.id).order_by(MeetingPlace.id))
        # The receipt page a resident opens with the code they were given, for feedback that has been answered.
        receipt = db.session.scalar(db.select(Feedback.receipt_code).where(Feedback.status != "new")
                                    .order_by(Feedback.id.desc()))
        organisation = db.session.scalar(db.select(Organisation.id).order_by(Organisation.id))
        # The demo organiser's own organisation and its next event, for the organiser's pages.
        own = db.session.scalar(db.select(Membership.organisation_id).join(User, User.id == Membership.user_id)
                                .where(User.email == ACCOUNTS["organiser"]).order_by(Membership.organisation_id))
        own_event = db.session.scalar(db.select(Event.id).where(Event.organisation_id == own, Event.starts_at > utcnow())
                                      .order_by(Event.starts_at))
        # A registration for an upcoming event, and its personal page (the link from the mail).
        registration = db.session.scalar(
            db.select(Registration).join(Event).where(Event.starts_at > utcnow(), Event.status == "published",
                                                      Registration.status == "confirmed")
            .order_by(Event.starts_at))
        manage = f"/registrations/{manage_token(registration)}" if registration is not None else "/events/"
        # One item of each state the moderator's item page has: waiting to be routed, routed, a report.
        moderator = db.session.scalar(db.select(User).where(User.email == ACCOUNTS["moderator"]))
        mine = [d.id for d in moderator.districts] if moderator is not None else []

        def item_of(kind: str, *where) -> str:
            found = db.session.scalar(db.select(Submission.id).where(Submission.kind == kind, Submission.district_id.in_(mine),
                                                                     *where).order_by(Submission.id.desc()))
            return f"/moderation/items/{kind}/{found}" if found else "/moderation/"

        waiting = item_of("idea", Submission.status == "new")
        routed = item_of("idea", Submission.status != "new")
        report = item_of("report")
        # Feedback with a place: only the district's moderators see its point.
        placed = item_of("feedback", Submission.location_lat.is_not(None))
        # The demo survey: its round open now (to answer and to type paper forms in), and its results.
        from app.surveys.models import Survey, SurveyRound

        survey = db.session.scalar(db.select(Survey.id).order_by(Survey.id))
        open_round = db.session.scalar(db.select(SurveyRound.id).where(SurveyRound.closed_at.is_(None))
                                       .order_by(SurveyRound.id.desc()))
    return {
        "visitor": [
            ("home", "/"), ("district", "/districts/lademoen"), ("feedback", "/districts/lademoen/feedback"),
            ("feedback-start", "/feedback/"), ("feedback-code-unknown", "/feedback/ABCD-EFGH-JKLM"),
            ("receipt", f"/feedback/{receipt}"),
            ("effort-area", "/effort-areas/3"), ("ideas", "/ideas/"), ("idea", f"/ideas/{idea}"),
            ("ideas-map", "/ideas/?view=map"), ("idea-located", f"/ideas/{located}"),
            ("idea-photos", f"/ideas/{photographed}"),
            ("district-find", "/districts/find"),
            ("events", "/events/"), ("events-map", "/events/?view=map"), ("event", f"/events/{event}"), ("event-register", f"/events/{event}/register"),
            ("event-register-sent", f"/events/{event}/register/sent"),
            ("event-registration", manage), ("event-registration-cancel", f"{manage}/cancel"), ("places", "/meeting-places/"), ("place", f"/meeting-places/{place}"),
            ("event-poster", f"/events/{event}/poster"), ("place-poster", f"/meeting-places/{place}/poster"),
            ("district-poster", "/districts/lademoen/poster"),
            ("organisations", "/organisations/"), ("organisation", f"/organisations/{organisation}"),
            ("insights", "/insights/"), ("survey-results", f"/insights/surveys/{survey}"), ("surveys", "/surveys/"),
            ("survey", f"/surveys/{open_round}"), ("survey-print", f"/surveys/{open_round}/print"),
            ("open-data", "/open-data"), ("house-rules", "/house-rules"), ("privacy", "/privacy"),
            ("login", "/account/login"), ("register", "/account/register"),
        ],
        "resident": [("account", "/account/"), ("idea-new", "/ideas/new"), ("idea-form-errors", "/ideas/new"),
                     ("idea", f"/ideas/{idea}"),
                     ("event-register", f"/events/{event}/register")],
        "organiser": [("organiser", "/organiser/"), ("participants", f"/organiser/events/{own_event}"),
                      ("members", f"/organisations/{own}/members")],
        "moderator": [("queue", "/moderation/"), ("audit", "/moderation/audit"), ("item-waiting", waiting),
                      ("item-routed", routed), ("item-report", report), ("item-feedback-place", placed),
                      ("survey-paper", f"/surveys/{open_round}/paper")],
        "admin": [("admin", "/admin/"), ("people", "/admin/people"), ("settings", "/admin/settings")],
    }


def _build_site(folder: Path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'medvirk.sqlite3'}",
                                 "PHOTO_STORAGE_URL": f"file://{folder / 'photos'}"})
    with app.app_context():
        from app.accounts.models import User
        from app.districts.seed_data import DISTRICTS, EFFORT_AREAS
        from app.districts.services import seed

        create_schema()
        seed(DISTRICTS, EFFORT_AREAS)
        db.session.commit()
        result = app.test_cli_runner().invoke(demo_command, [])
        if result.exit_code:
            sys.exit(f"flask demo failed: {result.output}")
        _a_report(app)
        _photos_on_an_idea(app)
        # Staff have two-step login set up, so the script can enter their codes.
        for user in db.session.scalars(db.select(User).where(User.role != "resident")):
            user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
        db.session.commit()
    return app


def _a_report(app) -> None:
    """The demo reports nothing; one report on a comment in the moderator's district shows the report page."""
    from app.accounts.models import User
    from app.ideas.models import Comment
    from app.moderation import reports

    moderator = db.session.scalar(db.select(User).where(User.email == ACCOUNTS["moderator"]))
    reporter = db.session.scalar(db.select(User).where(User.email == ACCOUNTS["resident"]))
    if moderator is None or reporter is None:
        return
    comment = db.session.scalar(db.select(Comment).where(
        Comment.district_id.in_([d.id for d in moderator.districts]), Comment.hidden_at.is_(None),
        Comment.author_id != reporter.id).order_by(Comment.id.desc()))
    if comment is not None:
        with app.test_request_context():
            reports.report(comment, reporter, "harassment", "Dette er ikke greit å skrive om naboen.")
            db.session.commit()


def _photos_on_an_idea(app) -> None:
    """The demo has no photos; two drawn ones on the idea about benches in Lademoparken show the idea page
    with photos (a drawing, not a photo of anyone's street, with alt text as a resident would write it)."""
    from app.ideas.models import Idea
    from app.meeting_places.models import MeetingPlace
    from app.photos import services

    with app.test_request_context():
        idea = db.session.scalar(db.select(Idea).where(Idea.title == "Benker og skygge i Lademoparken",
                                                       Idea.hidden_at.is_(None)).order_by(Idea.id.desc()))
        if idea is None:
            return
        for position, (draw, alt) in enumerate(((_park_bench, "Den eneste benken i parken står midt i sola"),
                                                (_playground_path, "Stien ved lekeplassen, uten benker"))):
            services.add_photo(idea, _jpeg(draw()), alt_text=alt, by=idea.author, position=position)
        # The first meeting place's entrance, as its moderators would add it (the place page shows it first).
        place = db.session.scalar(db.select(MeetingPlace).order_by(MeetingPlace.id))
        if place is not None:
            services.add_photo(place, _jpeg(_entrance()), alt_text="Inngangen fra gata, med rampe ved siden av trappa",
                               by=None, position=0)
        db.session.commit()


def _jpeg(image) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _scene(sky=(150, 190, 225), ground=(92, 140, 70), horizon=560):
    """A phone-sized picture with sky and ground, a little grain so it is not flat."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), ground)
    draw = ImageDraw.Draw(image)
    for y in range(horizon):
        fade = y / horizon
        draw.line([(0, y), (1600, y)], fill=tuple(int(c + (245 - c) * fade * 0.7) for c in sky))
    grain = Image.effect_noise((1600, 1200), 18).convert("RGB")
    return Image.blend(image, grain, 0.06), horizon


def _park_bench():
    from PIL import ImageDraw

    image, horizon = _scene()
    draw = ImageDraw.Draw(image)
    draw.rectangle([320, horizon - 40, 350, horizon + 120], fill=(80, 60, 40))         # a tree far off
    draw.ellipse([120, horizon - 380, 560, horizon + 20], fill=(48, 96, 44))
    draw.polygon([(0, 1200), (700, horizon + 40), (900, horizon + 40), (1600, 1200)], fill=(196, 180, 150))
    for y in (760, 800, 840):                                                          # the bench
        draw.rectangle([1000, y, 1440, y + 26], fill=(120, 78, 44))
    for x in (1030, 1400):
        draw.rectangle([x, 866, x + 18, 960], fill=(40, 40, 40))
    return image


def _playground_path():
    from PIL import ImageDraw

    image, horizon = _scene(sky=(170, 200, 230), ground=(104, 150, 78), horizon=500)
    draw = ImageDraw.Draw(image)
    draw.polygon([(500, 1200), (760, horizon), (840, horizon), (1300, 1200)], fill=(205, 190, 160))
    draw.rectangle([120, 620, 420, 640], fill=(200, 60, 50))                          # a climbing frame
    for x in (130, 400):
        draw.rectangle([x, 620, x + 16, 900], fill=(60, 90, 160))
    draw.polygon([(1250, 900), (1450, 620), (1480, 640), (1290, 920)], fill=(230, 190, 40))   # a slide
    return image


def _entrance():
    from PIL import ImageDraw

    image, horizon = _scene(sky=(160, 185, 215), ground=(120, 120, 125), horizon=260)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 200, 1600, 980], fill=(214, 196, 160))                        # the house front
    draw.rectangle([620, 420, 900, 980], fill=(70, 90, 110))                          # the door
    draw.rectangle([880, 690, 895, 730], fill=(220, 200, 80))
    for n, y in enumerate((980, 1030, 1080)):                                        # the steps
        draw.rectangle([560 - n * 20, y, 960 + n * 20, y + 50], fill=(170, 170, 170))
    draw.polygon([(960, 980), (1500, 1130), (1500, 1160), (960, 1010)], fill=(150, 150, 155))   # the ramp
    draw.line([(960, 900), (1500, 1050)], fill=(60, 60, 60), width=10)
    for x in (200, 1150):                                                            # windows
        draw.rectangle([x, 380, x + 260, 640], fill=(190, 215, 235), outline=(250, 250, 250), width=14)
    return image


def _log_in(app, page, base: str, email: str) -> None:
    from app.accounts.models import User

    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    if "/account/two-factor" in page.url:
        with app.app_context():
            secret = db.session.scalar(db.select(User.totp_secret).where(User.email == email))
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("main form [type=submit]")


def _ask_for_an_address(page) -> None:
    """On the "which district?" page: type an address into its form and send it, to show the answer."""
    field = page.locator("main form input[type=search], main form input[type=text]").first
    if field.count():
        field.fill(ADDRESS)
        field.press("Enter")
        page.wait_for_load_state()


def _send_too_little(page) -> None:
    """On the idea form: a title too short and no text, sent to be previewed, to show the errors beside the fields."""
    page.fill("#title", "x")
    page.click("main button[name=preview]")
    page.wait_for_selector(".error-summary")


# What to do on a page before its picture is taken.
STEPS = {"district-find": _ask_for_an_address, "idea-form-errors": _send_too_little}
# Where a person trips over a page on a phone: wider than the screen, or a map's links and buttons too
# small to tap (44 px, the project's rule).
MEASURE = """() => {
  const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const small = [];
  for (const el of document.querySelectorAll('.place-map a, .place-map button, .place-map [tabindex="0"], .leaflet-control a')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.height < 44 || r.width < 44) && getComputedStyle(el).display !== 'inline') {
      small.push((el.getAttribute('aria-label') || el.textContent || el.className).trim().slice(0, 30) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
  }
  const map = document.querySelector('.place-map-svg, .leaflet-container');
  const height = map ? Math.round(map.getBoundingClientRect().height) : 0;
  return {wide, small: small.slice(0, 6), mapHeight: height};
}"""


def _look(page, target: Path, width: int) -> str:
    """The picture of the page (and of its map alone), and what a person would trip over on it."""
    page.screenshot(path=str(target), full_page=True)
    figure = page.locator("figure.place-map").first
    if figure.count():
        figure.screenshot(path=str(target.with_name(target.stem + "-map.png")))
    found = page.evaluate(MEASURE)
    notes = []
    if found["wide"] > 0:
        notes.append(f"{found['wide']} px wider than the screen")
    if found["mapHeight"]:
        notes.append(f"map {found['mapHeight']} px high")
    if found["small"] and width < 800:
        notes.append("small to tap: " + "; ".join(found["small"]))
    return ", ".join(notes)


def _quiet_server_log() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="instance/screenshots", help="folder for the pictures")
    parser.add_argument("--only", default="", help="only pages whose name contains this (or one of these, comma-separated)")
    parser.add_argument("--lang", default="nb", help="interface language (?lang=)")
    parser.add_argument("--no-script", action="store_true",
                        help="as a browser without JavaScript sees it (the maps are the server's drawing)")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)), help="screen widths in px, comma-separated")
    args = parser.parse_args(argv)
    out = Path(args.out)
    widths = [int(w) for w in args.widths.split(",")]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = _build_site(Path(folder))
        _quiet_server_log()
        server = LiveServer(app).start()
        taken = 0
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for role, pages in _pages(app).items():
                    wanted = [(name, path) for name, path in pages if any(part in name for part in args.only.split(","))]
                    if not wanted:
                        continue
                    context = browser.new_context(java_script_enabled=not args.no_script)
                    page = context.new_page()
                    page.goto(f"{server.url}/?lang={args.lang}")
                    if role in ACCOUNTS:
                        _log_in(app, page, server.url, ACCOUNTS[role])
                    for name, path in wanted:
                        for width in widths:
                            page.set_viewport_size({"width": width, "height": 900})
                            page.goto(server.url + path)
                            if name in STEPS:
                                STEPS[name](page)
                            language = "" if args.lang == "nb" else f"-{args.lang}"
                            target = out / f"{role}-{name}{language}-{width}.png"
                            notes = _look(page, target, width)
                            print(f"{target.name}: {notes or 'ok'}")
                            taken += 1
                    context.close()
                browser.close()
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()
    print(f"{taken} screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
