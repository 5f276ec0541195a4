"""Stored machine translations: looked up together for a page, each text translated once.

A text is known by the SHA-256 of its language and its words as written (``source_key``). Editing a text
changes its key, so the edit is translated afresh; the old translation is no longer found by any page.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.core.db import rows_changed
from app.extensions import db
from app.translation.models import MachineTranslation


def source_key(text: str, language: str) -> str:
    return hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()


def found(keys: Iterable[str], target: str) -> dict[str, str]:
    """The stored translations into ``target`` of the texts with these keys, by key: one query."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = db.session.execute(select(MachineTranslation.source_key, MachineTranslation.text)
                              .where(MachineTranslation.target == target, MachineTranslation.source_key.in_(wanted)))
    return dict(rows.all())


def purge_older_than(moment) -> int:
    """Delete translations made before ``moment``: the text they came from may have been edited, erased
    with its author's account or purged since, and nothing links a translation back to it."""
    return rows_changed(db.session.execute(delete(MachineTranslation).where(MachineTranslation.created_at < moment)))


def keep(translations: dict[str, str], target: str) -> None:
    """Store new translations (key → text) and commit. Two pages translating the same text at once both
    try: the second is refused by the unique key and its work is simply not kept."""
    if not translations:
        return
    db.session.add_all(MachineTranslation(source_key=key, target=target, text=text)
                       for key, text in translations.items())
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        for key, text in translations.items():
            try:
                with db.session.begin_nested():
                    db.session.add(MachineTranslation(source_key=key, target=target, text=text))
            except IntegrityError:
                pass
        db.session.commit()
