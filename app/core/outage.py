"""When the database cannot be reached: what counts as that, and what a person posted meanwhile.

A form sent while the database is away is not saved. The error page gives it back (see
``errors/error.html``): the text the person typed in fields they can copy from, everything else
(choices, the one-time submission id) in hidden fields, and a button that sends it all again to
the same address with a fresh CSRF token. The one-time submission id makes sending it twice
create one record.

Nothing here reads the database; labels come from the form classes, matched on the posted names.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import exc
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectFieldBase,
    TextAreaField,
)
from wtforms.fields.core import UnboundField

RETRY_AFTER_SECONDS = 30

# Never given back: a password is typed again, and the page brings its own CSRF token.
_NEVER_ECHOED = ("csrf_token", "password")
# Fields a person does not type into; sent again unseen.
_NOT_TYPED = (HiddenField, BooleanField, RadioField, SelectFieldBase)  # SubmitField is a BooleanField


def is_database_unavailable(error: BaseException) -> bool:
    """The database could not be reached or dropped the connection (SQLite: locked or unreadable)."""
    if isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)):
        return True
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated


@dataclass(frozen=True)
class PostedField:
    name: str
    value: str
    label: str
    shown: bool          # typed by the person: shown in a field they can copy from
    multiline: bool


@dataclass(frozen=True)
class PostedForm:
    action: str
    fields: list[PostedField]
    csrf_names: list[str]  # where the fresh token goes: a form with a prefix posts "<prefix>-csrf_token"

    @property
    def shown(self) -> list[PostedField]:
        return [f for f in self.fields if f.shown]

    @property
    def hidden(self) -> list[PostedField]:
        return [f for f in self.fields if not f.shown]


def posted_form() -> PostedForm | None:
    """What this request posted, ready to be shown and sent again; None when there is nothing to give back."""
    if request.method != "POST" or not request.form:
        return None
    posted = [(name, value) for name, value in request.form.items(multi=True) if not _never_echoed(name)]
    known = _form_fields(frozenset(_field_name(name) for name, _value in posted), request.blueprint or "")
    fields = []
    for name, value in posted:
        unbound = known.get(_field_name(name))
        field_class = unbound.field_class if unbound is not None else None
        if field_class is not None and issubclass(field_class, PasswordField):
            continue
        typed = field_class is None or not issubclass(field_class, _NOT_TYPED)
        fields.append(PostedField(
            name=name, value=value, label=_label(unbound) or name,
            shown=typed and bool(value.strip()),
            multiline=(field_class is not None and issubclass(field_class, TextAreaField)) or "\n" in value,
        ))
    if not fields:
        return None
    csrf_names = [name for name in request.form if name.endswith("csrf_token")] or ["csrf_token"]
    return PostedForm(action=request.script_root + request.full_path.rstrip("?"), fields=fields, csrf_names=csrf_names)


def _never_echoed(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _NEVER_ECHOED)


def _field_name(posted_name: str) -> str:
    """A field's own name: forms on pages with several forms put ``<prefix>-`` before it."""
    return posted_name.rsplit("-", 1)[-1]


def _label(unbound: UnboundField | None) -> str:
    if unbound is None:
        return ""
    label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
    return str(label) if label else ""


def _form_fields(names: frozenset[str], blueprint: str) -> dict[str, UnboundField]:
    """The fields of the form class that has the most of the posted names and the fewest others;
    a form of the request's own blueprint first when two fit as well."""
    best: tuple | None = None
    for form_class in _form_classes():
        fields = _unbound_fields(form_class)  # type: ignore[arg-type]  # a class is hashable; FlaskForm has no types
        found = len(names & fields.keys())
        if not found:
            continue
        own = form_class.__module__.split(".")[1:2] == [blueprint]
        rank = (-found, len(fields) - found, not own, form_class.__module__, form_class.__qualname__)
        if best is None or rank < best[0]:
            best = (rank, fields)
    return best[1] if best else {}


def _form_classes() -> list[type[FlaskForm]]:
    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return [cls for cls in found if cls.__module__.startswith("app.")]


@cache
def _unbound_fields(form_class: type[FlaskForm]) -> dict[str, UnboundField]:
    return {name: value for name in dir(form_class) if isinstance(value := getattr(form_class, name), UnboundField)}
