"""Configuration, read from environment variables.

Code never reads these directly: it goes through ``app.core.settings`` so
that values can later be overridden from the database.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _env_bool(name: str, default: bool) -> bool:
    return (_env(name, "1" if default else "0") or "").lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> frozenset[str]:
    raw = _env(name, default) or ""
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def _development_secret_key() -> str:
    """A random key kept in instance/, so development sessions survive restarts
    without a key written into the code."""
    INSTANCE_DIR.mkdir(mode=0o700, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'medvirk.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    MAIL_BACKEND = _env("MAIL_BACKEND", "console")  # console | outbox | smtp
    MAIL_SERVER = _env("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_FROM = _env("MAIL_FROM", "Medvirk <ikke-svar@medvirk.trondheim.kommune.no>")
    # `flask mail send`: a message the server did not take is tried again after 1, 2, 4, 8... times
    # MAIL_RETRY_BASE_SECONDS (never longer apart than MAIL_RETRY_MAX_SECONDS), and given up
    # (shown as failed in /admin/mail) after MAIL_MAX_ATTEMPTS tries.
    MAIL_RETRY_BASE_SECONDS = _env_int("MAIL_RETRY_BASE_SECONDS", 60)
    MAIL_RETRY_MAX_SECONDS = _env_int("MAIL_RETRY_MAX_SECONDS", 3600)
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 5)
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 10)   # connecting to and talking with the server

    # False: no limits at all (nothing counted). Set on every app: Flask-Limiter's limiter is one object
    # per process, and without it an app would take over the setting of the app made before it.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # While the storage (Redis) does not answer, limits are counted in each worker's memory; it is asked again this often.
    RATELIMIT_STORAGE_RETRY_SECONDS = _env_int("RATELIMIT_STORAGE_RETRY_SECONDS", 10)
    # Before every key this site writes in Redis (limits, the page cache's generation): sites sharing one Redis.
    RATELIMIT_KEY_PREFIX = _env("RATELIMIT_KEY_PREFIX", "")
    LOGIN_FAILURES_PER_MINUTE = _env_int("LOGIN_FAILURES_PER_MINUTE", 5)
    FEEDBACK_PER_HOUR = _env_int("FEEDBACK_PER_HOUR", 10)            # per client address
    FEEDBACK_MIN_SECONDS = _env_int("FEEDBACK_MIN_SECONDS", 3)       # faster than this is a robot
    RECEIPT_LOOKUP_FAILURES_PER_HOUR = _env_int("RECEIPT_LOOKUP_FAILURES_PER_HOUR", 20)  # wrong codes per client address
    # Guest registrations: fake sign-ups must not be able to take every seat.
    REGISTRATION_MIN_SECONDS = _env_int("REGISTRATION_MIN_SECONDS", 3)
    GUEST_REGISTRATIONS_PER_HOUR = _env_int("GUEST_REGISTRATIONS_PER_HOUR", 10)          # per client address
    EVENT_PENDING_GUESTS = _env_int("EVENT_PENDING_GUESTS", 60)  # per event, not yet confirmed at one time
    GUEST_HOLD_MINUTES = _env_int("GUEST_HOLD_MINUTES", 30)      # a guest's seat held for their mailed link
    # Following by email (visitors confirm by a mailed link)
    FOLLOW_MIN_SECONDS = _env_int("FOLLOW_MIN_SECONDS", 3)
    FOLLOW_REQUESTS_PER_HOUR = _env_int("FOLLOW_REQUESTS_PER_HOUR", 10)                  # per client address
    # Ids of erased accounts, kept outside the database: re-applied after a backup is restored.
    ERASURE_LOG = _env("ERASURE_LOG", str(INSTANCE_DIR / "erasures.log"))
    # Insights: counted figures are reused this long per worker (0 counts on every request).
    INSIGHTS_CACHE_SECONDS = _env_int("INSIGHTS_CACHE_SECONDS", 300)
    # Public pages for anonymous visitors (and the parts of pages that are the same for everyone) are
    # reused this long per worker; any committed write makes them stale at once (0 turns it off).
    PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 30)
    # Where the workers see each other's writes: a file in instance/ on one machine, or Redis.
    PAGE_CACHE_GENERATION_FILE = _env("PAGE_CACHE_GENERATION_FILE")
    PAGE_CACHE_REDIS_URL = _env("PAGE_CACHE_REDIS_URL")
    FOLLOW_MAILS_PER_ADDRESS_PER_HOUR = _env_int("FOLLOW_MAILS_PER_ADDRESS_PER_HOUR", 3)  # nobody floods an inbox
    FOLLOW_UNCONFIRMED_DAYS = _env_int("FOLLOW_UNCONFIRMED_DAYS", 7)                      # then the address is deleted
    # Drafts kept for people whose login ended while they typed (app/core/drafts.py), per client address.
    FORM_DRAFTS_PER_HOUR = _env_int("FORM_DRAFTS_PER_HOUR", 10)
    # Password resets, "someone tried to register", confirmation links and a registration's link mailed
    # again: mail that anyone can send to any address by typing it into a form.
    ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR = _env_int("ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR", 5)
    API_RATE_LIMIT = _env("API_RATE_LIMIT", "300 per minute")                            # per client address, whole API
    # What one account may post: enough for a lively discussion, too little to flood a thread.
    COMMENTS_PER_10_MINUTES = _env_int("COMMENTS_PER_10_MINUTES", 10)
    COMMENTS_PER_DAY = _env_int("COMMENTS_PER_DAY", 100)
    IDEAS_PER_DAY = _env_int("IDEAS_PER_DAY", 10)
    REPORTS_PER_HOUR = _env_int("REPORTS_PER_HOUR", 10)
    # Reports count towards hiding content only from accounts at least this old (with a confirmed
    # address and something they wrote still shown), so a few fresh accounts cannot hide anything.
    REPORT_STANDING_DAYS = _env_int("REPORT_STANDING_DAYS", 7)
    # An organiser invites a member by mail; the invitation lasts this long, and one organiser may send
    # this many an hour (an address is mailed at most ORGANISATION_INVITATION_MAILS_PER_ADDRESS_PER_HOUR).
    ORGANISATION_INVITATION_DAYS = _env_int("ORGANISATION_INVITATION_DAYS", 7)
    ORGANISATION_INVITATIONS_PER_HOUR = _env_int("ORGANISATION_INVITATIONS_PER_HOUR", 10)
    ORGANISATION_INVITATION_MAILS_PER_ADDRESS_PER_HOUR = _env_int("ORGANISATION_INVITATION_MAILS_PER_ADDRESS_PER_HOUR", 3)

    # Photos (app/photos/storage.py): file:///a/folder (empty: instance/photos) or s3://bucket[/prefix], where
    # several app servers share the files; endpoint empty for AWS itself.
    PHOTO_STORAGE_URL = _env("PHOTO_STORAGE_URL")
    PHOTO_S3_ENDPOINT_URL = _env("PHOTO_S3_ENDPOINT_URL")
    PHOTO_S3_ACCESS_KEY = _env("PHOTO_S3_ACCESS_KEY")
    PHOTO_S3_SECRET_KEY = _env("PHOTO_S3_SECRET_KEY")
    PHOTO_S3_REGION = _env("PHOTO_S3_REGION", "us-east-1")

    BABEL_DEFAULT_LOCALE = _env("BABEL_DEFAULT_LOCALE", "nb")
    BABEL_DEFAULT_TIMEZONE = _env("BABEL_DEFAULT_TIMEZONE", "Europe/Oslo")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    # The interface languages, one line each: code, its name in its own language and script, direction
    # ("ltr" or "rtl"), shown in the language switcher. Adding a language is its catalogue
    # (translations/README.md) and one line here. An administrator may switch one off in /admin/settings
    # (LANGUAGES_OFF); the default language never.
    LANGUAGES = (
        ("nb", "Bokmål", "ltr", True),
        ("nn", "Nynorsk", "ltr", True),
        ("en", "English", "ltr", True),
        ("ar", "العربية", "rtl", True),
        ("so", "Soomaali", "ltr", True),
        ("ti", "ትግርኛ", "ltr", True),
        ("pl", "Polski", "ltr", True),
        ("uk", "Українська", "ltr", True),
    )
    LANGUAGES_OFF: tuple[str, ...] = ()

    # Photos on public content are held by default: a photo of a neighbour's child is not for publishing
    # unchecked. "none" (or any list without "photos") publishes them at once.
    PREMODERATE = _env_list("PREMODERATE", "photos")
    MAX_REPORTS_BEFORE_HIDING = _env_int("MAX_REPORTS_BEFORE_HIDING", 3)
    REGISTRATION_RETENTION_DAYS = _env_int("REGISTRATION_RETENTION_DAYS", 30)
    FEEDBACK_CONTACT_RETENTION_DAYS = _env_int("FEEDBACK_CONTACT_RETENTION_DAYS", 365)
    # Survey free text is read by staff and never published; it may name people, so it goes in time.
    SURVEY_FREE_TEXT_RETENTION_DAYS = _env_int("SURVEY_FREE_TEXT_RETENTION_DAYS", 180)
    SURVEY_STARTS_PER_HOUR = _env_int("SURVEY_STARTS_PER_HOUR", 100)  # new open-link answers per client address (a meeting place shares one)
    SURVEY_CODE_FAILURES_PER_HOUR = _env_int("SURVEY_CODE_FAILURES_PER_HOUR", 20)  # wrong survey codes per client address
    OUTBOX_RETENTION_DAYS = _env_int("OUTBOX_RETENTION_DAYS", 90)
    AUDIT_RETENTION_DAYS = _env_int("AUDIT_RETENTION_DAYS", 1825)
    LOG_RETENTION_DAYS = _env_int("LOG_RETENTION_DAYS", 30)
    LOG_DIR = _env("LOG_DIR", None)   # one file a day here, deleted by `flask privacy purge`; unset: stderr only
    UNVERIFIED_ACCOUNT_RETENTION_DAYS = _env_int("UNVERIFIED_ACCOUNT_RETENTION_DAYS", 30)
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    CONTACT_ORGANISATION = _env("CONTACT_ORGANISATION", "Trondheim kommune, Områdesatsingene")
    CONTACT_EMAIL = _env("CONTACT_EMAIL", "omradesatsingene@trondheim.kommune.no")
    CONTACT_PHONE = _env("CONTACT_PHONE", "+47 72 54 00 00")
    CONTACT_ADDRESS = _env("CONTACT_ADDRESS", "Postboks 2300 Torgarden, 7004 Trondheim")
    CONTACT_DPO_EMAIL = _env("CONTACT_DPO_EMAIL", "personvernombud@trondheim.kommune.no")
    ACCESSIBILITY_STATEMENT_URL = _env("ACCESSIBILITY_STATEMENT_URL", "https://uustatus.no/")
    # Where a street light, a pothole or a water leak is reported so that it is fixed: the feedback and idea
    # forms send residents there before they write.
    MUNICIPAL_FAULT_REPORT_URL = _env("MUNICIPAL_FAULT_REPORT_URL", "https://www.trondheim.kommune.no/meldfeil/")

    # The address search behind "Which district do I live in?" (app/places/geocoder.py): Kartverket's open
    # "adresser" API, limited to Trondheim's municipality number; "fixture:" answers from a local file.
    GEOCODER_URL = _env("GEOCODER_URL", "https://ws.geonorge.no/adresser/v1/")
    GEOCODER_MUNICIPALITY = _env("GEOCODER_MUNICIPALITY", "5001")
    GEOCODER_TIMEOUT_SECONDS = 2.5   # the lookup's whole budget, so the page with the answer is out within 3 s
    # Machine translation of what people write (app/translation/): a LibreTranslate server's base address
    # (empty: no translation is offered anywhere), and its key if it needs one (from the environment only).
    TRANSLATE_URL = _env("TRANSLATE_URL")
    # Finding the language of a text: lingua's high-accuracy mode is surer on short texts but takes about 380 MB
    # per worker (the default, low accuracy, about 25 MB).
    LANGUAGE_DETECTION_HIGH_ACCURACY = _env_bool("LANGUAGE_DETECTION_HIGH_ACCURACY", False)
    TRANSLATE_API_KEY = _env("TRANSLATE_API_KEY")
    TRANSLATE_TIMEOUT_SECONDS = 2.5   # one page's translations in all, so the page is out within 3 s
    TRANSLATIONS_PER_HOUR = _env_int("TRANSLATIONS_PER_HOUR", 30)   # pages sent to the service, per client address
    MACHINE_TRANSLATION_RETENTION_DAYS = _env_int("MACHINE_TRANSLATION_RETENTION_DAYS", 30)   # then made again if asked
    # Private feedback is never sent to the translation service unless an administrator turns this on.
    FEEDBACK_MACHINE_TRANSLATION = False
    # Maps: the background tiles (a {z}/{y}/{x} or {z}/{x}/{y} URL; the page's CSP lets in this host only, and
    # only on pages with a map) and the credit shown on the map. Without tiles the maps still work.
    MAP_TILE_URL = _env("MAP_TILE_URL", "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png")
    MAP_TILE_ATTRIBUTION = _env("MAP_TILE_ATTRIBUTION", "© Kartverket")
    MAP_TILE_ATTRIBUTION_URL = _env("MAP_TILE_ATTRIBUTION_URL", "https://www.kartverket.no/")
    ADDRESS_LOOKUPS_PER_HOUR = _env_int("ADDRESS_LOOKUPS_PER_HOUR", 30)   # per client address
    # Who someone living outside the districts is sent to: the municipality's own front desk.
    MUNICIPAL_CONTACT_URL = _env("MUNICIPAL_CONTACT_URL", "https://www.trondheim.kommune.no/")
    MUNICIPAL_CONTACT_PHONE = _env("MUNICIPAL_CONTACT_PHONE", "+47 72 54 00 00")

    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")  # for links in mail sent outside a request
    STAFF_IDLE_MINUTES = _env_int("STAFF_IDLE_MINUTES", 30)
    VERIFY_EMAIL_MAX_AGE = 48 * 3600
    RESET_PASSWORD_MAX_AGE = 60 * 60
    SET_PASSWORD_MAX_AGE = 48 * 3600

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    HSTS = False

    # argon2id; the library's defaults unless the testing config lowers them
    ARGON2_TIME_COST: int | None = None
    ARGON2_MEMORY_COST: int | None = None
    ARGON2_PARALLELISM: int | None = None


class DevelopmentConfig(Config):
    DEBUG = False
    GEOCODER_URL = _env("GEOCODER_URL", "fixture:")   # works offline; set the real URL to try it
    TRANSLATE_URL = _env("TRANSLATE_URL", "fixture:")   # "[en] ..." translations offline; set a real server to try it

    @staticmethod
    def fallback_secret_key() -> str:
        return _development_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    MAIL_BACKEND = "outbox"
    RATELIMIT_STORAGE_URI = "memory://"
    API_RATE_LIMIT = "100000 per minute"  # the schema fuzzing sends hundreds of requests a minute
    # Tests make their data through the services, often many items by one account; the tests of
    # these limits and of reporters' standing set the real values.
    COMMENTS_PER_10_MINUTES = COMMENTS_PER_DAY = IDEAS_PER_DAY = REPORTS_PER_HOUR = 100000
    ORGANISATION_INVITATIONS_PER_HOUR = 100000
    REPORT_STANDING_DAYS = 0
    PREMODERATE = frozenset()
    INSIGHTS_CACHE_SECONDS = 0
    PAGE_CACHE_SECONDS = 0   # a test that is about the page cache turns it on
    MAP_TILE_URL = "http://127.0.0.1:9/tiles/{z}/{y}/{x}.png"   # tests never reach the internet: no tiles load
    ERASURE_LOG = None   # a test that needs one gives its own
    GEOCODER_URL = "fixture:"   # never the internet; tests of the HTTP path serve the fake on loopback
    TRANSLATE_URL = None        # no translation; its tests serve the fake LibreTranslate on loopback
    TRANSLATE_API_KEY = None
    # Never the repository's instance/: names are random, so runs side by side do not meet; a test that
    # counts files gives its own folder (or bucket).
    PHOTO_STORAGE_URL = _env("TEST_PHOTO_STORAGE_URL", f"file://{Path(tempfile.gettempdir()) / 'medvirk-test-photos'}")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    BASE_URL = _env("BASE_URL")  # required: links in mail are built on it
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    return CONFIGS[name or _env("MEDVIRK_CONFIG", "development")]
