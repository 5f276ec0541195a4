"""How much a request may send: ``MAX_CONTENT_LENGTH`` (small) for every form, more only where a view says so.

A form that takes files (photos) is marked ``@accepts_upload(max_bytes)``, placed right under its route
decorator (the route must register the marked function). Its limit is known before the body is read, so
the CSRF check, which reads the form first, is already under it. Anything larger is refused with 413
before it is read.
"""
from __future__ import annotations

from typing import Callable

from flask import Request, current_app


def accepts_upload(max_bytes: int) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        view.max_content_length = max_bytes  # type: ignore[attr-defined]  # read by UploadLimitedRequest
        return view

    return decorator


class UploadLimitedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None and current_app:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "max_content_length", None)
            if limit is not None:
                return int(limit)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
