"""How much a request may send: the small global limit for every form, more only where a form takes photos."""
from __future__ import annotations

import io

from flask import request
from werkzeug.test import EnvironBuilder

from app.core.uploads import accepts_upload
from app.photos.forms import photo_form_bytes


def _app_with_two_forms(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)

    def plain():
        return str(len(request.files["file"].read()))

    @accepts_upload(photo_form_bytes(3))
    def with_photos():
        return str(len(request.files["file"].read()))

    app.add_url_rule("/test-plain", "test_plain", plain, methods=["POST"])
    app.add_url_rule("/test-photos", "test_photos", with_photos, methods=["POST"])
    return app


def _send(app, path: str, size: int):
    builder = EnvironBuilder(path=path, method="POST", data={"file": (io.BytesIO(b"\0" * size), "a.jpg")})
    environ = builder.get_environ()
    try:
        response = app.test_client().open(environ)
        response.close()
        return response
    finally:
        # A refused body is never read: the client's spooled copy of it is closed here.
        environ["wsgi.input"].close()
        builder.close()


def test_a_form_with_three_photos_may_send_three_large_photos_and_others_stay_at_the_small_limit(app_factory):
    app = _app_with_two_forms(app_factory)
    three_mb = 3 * 1024 * 1024
    assert _send(app, "/test-plain", three_mb).status_code == 413
    response = _send(app, "/test-photos", three_mb)
    assert response.status_code == 200 and response.get_data(as_text=True) == str(three_mb)
    assert photo_form_bytes(3) == 3 * 15 * 1024 * 1024 + 1024 * 1024


def test_a_marked_form_still_refuses_more_than_its_own_limit(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=False)

    @accepts_upload(100 * 1024)
    def small():
        return str(len(request.files["file"].read()))

    app.add_url_rule("/test-small", "test_small", small, methods=["POST"])
    assert _send(app, "/test-small", 50 * 1024).status_code == 200
    assert _send(app, "/test-small", 200 * 1024).status_code == 413
