"""The read-only JSON API of public data, /api/v1/..., described at /api/openapi.json."""
from flask import Blueprint

from app.core import json_api, settings
from app.extensions import limiter

bp = Blueprint("api", __name__)


@bp.record_once
def _answer_as_programs_expect(state) -> None:
    if not state.url_prefix:
        raise RuntimeError("The API needs an address of its own: register it with a url_prefix such as /api.")
    json_api.serve_under(state.app, state.url_prefix)


# One limit per client address across the whole API, not one per endpoint.
limiter.shared_limit(lambda: settings.get("API_RATE_LIMIT"), scope="api")(bp)

from app.api import views  # noqa: E402,F401
