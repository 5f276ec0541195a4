"""Medvirk: participation and meeting places for the area-based initiatives in Trondheim."""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_class

# The app's own modules are imported inside the functions below, not up here: any ``import app.x``
# runs this file first, so a module here would load before the one asked for (and the blueprints'
# views, which import nearly everything, would make a circle through this package).


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    from app.core.uploads import UploadLimitedRequest

    app = Flask(__name__, instance_relative_config=True)
    app.request_class = UploadLimitedRequest   # forms with photos may send more (app/core/uploads.py)
    cfg = config_class(config_name)
    app.config.from_object(cfg)
    if overrides:
        app.config.update(overrides)
    _check_secret_key(app, cfg)
    # The instance folder holds the SQLite database and the erasure log by default: for the app's user alone.
    from app.core.files import private_folder

    private_folder(app.instance_path, tighten_existing=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    from app.core import logs

    logs.init_app(app)

    from app.core.params import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        # Not x_host: links in mail come from BASE_URL, and a forwarded host is not trusted.
        # Outermost, so the page cache sees the visitor's scheme and address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    return app


def _check_secret_key(app: Flask, cfg) -> None:
    if not app.config.get("BASE_URL"):
        raise RuntimeError("BASE_URL must be set (an environment variable): links in mail are built on it.")
    if app.config.get("SECRET_KEY"):
        return
    fallback = getattr(cfg, "fallback_secret_key", None)
    if fallback is None:
        raise RuntimeError("SECRET_KEY must be set (an environment variable) to run in production.")
    app.config["SECRET_KEY"] = fallback()


def _engine_options(uri: str) -> dict[str, Any]:
    # Values in SQL errors could be personal data; keep them out of logs.
    options: dict[str, Any] = {"hide_parameters": True}
    if uri.startswith("sqlite"):
        if uri in ("sqlite://", "sqlite:///:memory:"):
            from sqlalchemy.pool import StaticPool

            options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            options.update(connect_args={"timeout": 5})
    else:
        options.update(pool_pre_ping=True)
    return options


def _init_extensions(app: Flask) -> None:
    from app.core import (
        errors,
        i18n,
        models,  # noqa: F401  (shared tables join the metadata)
        security,
    )
    from app.core.db import configure_sqlite
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate
    from config import BASE_DIR

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    from app.core import throttle

    throttle.configure(app)   # Redis down must not take the site down
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"

    i18n.init_app(app)
    errors.init_app(app)
    from app.core import forms

    forms.init_app(app)
    app.before_request(security.enforce_staff_idle_timeout)
    app.after_request(security.set_security_headers)
    app.after_request(security.no_session_for_cross_site)

    from app.core import templating
    from app.submissions import labels

    templating.init_app(app)
    labels.init_app(app)   # status and reason names: the domain's own words for every template
    from app.core import page_cache, worker_cache

    worker_cache.init_app(app)
    page_cache.init_app(app)
    from app.translation import display

    display.init_app(app)   # after the page cache: a page is translated before the cache decides to keep it


def _register_blueprints(app: Flask) -> None:
    # Imported here, not at the top: importing any module of app/ runs this package first, and it should
    # not load every page module with it (the CLI and the tests import single services).
    from app.accounts.views import bp as accounts_bp
    from app.admin.views import bp as admin_bp
    from app.api.docs import bp as api_docs_bp
    from app.api.views import bp as api_bp
    from app.districts.views import bp as districts_bp
    from app.events.views import bp as events_bp
    from app.feedback.views import bp as feedback_bp
    from app.follows.views import bp as follows_bp
    from app.ideas.views import bp as ideas_bp
    from app.insights.views import bp as insights_bp
    from app.meeting_places.views import bp as meeting_places_bp
    from app.moderation.views import bp as moderation_bp
    from app.organisations.views import bp as organisations_bp
    from app.organiser.views import bp as organiser_bp
    from app.pages.views import bp as pages_bp
    from app.photos.views import bp as photos_bp
    from app.places.views import bp as places_bp
    from app.surveys.views import bp as surveys_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(districts_bp)
    app.register_blueprint(places_bp)   # /districts/find, beside the district pages
    app.register_blueprint(accounts_bp, url_prefix="/account")
    app.register_blueprint(ideas_bp, url_prefix="/ideas")
    app.register_blueprint(feedback_bp)
    app.register_blueprint(moderation_bp, url_prefix="/moderation")
    app.register_blueprint(meeting_places_bp, url_prefix="/meeting-places")
    app.register_blueprint(organisations_bp, url_prefix="/organisations")
    app.register_blueprint(events_bp)
    app.register_blueprint(organiser_bp)  # no prefix: the event form lives at /events/new, the rest under /organiser/
    app.register_blueprint(follows_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(api_docs_bp)
    app.register_blueprint(insights_bp, url_prefix="/insights")
    app.register_blueprint(surveys_bp, url_prefix="/surveys")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(photos_bp)


def _register_cli(app: Flask) -> None:
    from app import cli

    cli.init_app(app)
