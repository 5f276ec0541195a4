"""The photo part of a form: a file and its description, as many pairs as the form allows.

A host form (an idea, feedback, an event, a meeting place) adds ``photos = photo_fields(3)``, decorates
its view ``@accepts_upload(photo_form_bytes(3))`` right under the route, sends the form as
``enctype="multipart/form-data"`` and draws the part with ``photo_fields`` from
``photos/_form.html``. Each chosen file is checked and processed while the form is validated, so a file
we cannot take gets its message beside its own field and everything else typed is kept (a browser never
fills a file input again: that one file is chosen again). ``chosen_photos(form.photos)`` then gives what
to pass to ``services.add_photo``.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import Length, ValidationError

from app.core.i18n import lazy_gettext as _l
from app.core.validators import no_control_characters, strip_text
from app.photos.processing import MAX_UPLOAD_BYTES, PhotoRefused, ProcessedPhoto, process

# What a browser is told to offer; what is taken is decided by the content (processing.sniff).
ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
ALT_TEXT_HINT = _l("Required with a photo. Say in a few words what the photo shows, for example “The broken bench "
                   "by the playground”. People who cannot see the photo hear this text read aloud.")


def photo_form_bytes(count: int) -> int:
    """How much a form with ``count`` photos may send: every photo at its largest, and the rest of the form."""
    return count * MAX_UPLOAD_BYTES + 1024 * 1024


def _chosen(storage) -> bool:
    return isinstance(storage, FileStorage) and bool(storage.filename)


class PhotoForm(Form):
    file = FileField(_l("Photo"), render_kw={"accept": ACCEPT})
    alt_text = StringField(_l("What the photo shows"), filters=[strip_text],
                           validators=[Length(max=250), no_control_characters])

    alt_text_hint = ALT_TEXT_HINT
    # Set by validation: the renditions of the chosen file, made once.
    processed: ProcessedPhoto | None = None

    def validate_file(self, field) -> None:
        self.processed = None
        if not _chosen(field.data):
            return
        try:
            self.processed = process(field.data.stream)
        except PhotoRefused as refused:
            raise ValidationError(str(refused.message)) from None

    def validate_alt_text(self, field) -> None:
        if _chosen(self.file.data) and not field.data:
            raise ValidationError(_l("Describe the photo in a few words, for those who cannot see it."))


class PhotoList(FieldList):
    """The pairs, numbered in their labels ("Photo 2", "What photo 2 shows"), so each field and each
    error in the summary says which photo it is about."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "FieldList"   # the error summary links each photo's own field, as for any list of sub-forms

    def _add_entry(self, *args, **kwargs):
        entry = super()._add_entry(*args, **kwargs)
        number = len(self.entries)
        entry.form.file.label.text = _l("Photo %(number)d", number=number)
        entry.form.alt_text.label.text = _l("What photo %(number)d shows", number=number)
        return entry


def photo_fields(count: int, label=None) -> PhotoList:
    """``count`` photo-and-description pairs for a host form."""
    return PhotoList(FormField(PhotoForm), label=label or _l("Photos"), min_entries=count, max_entries=count)


# A browser never fills a file field again, so a page shown once more before anything is saved (a preview,
# a place looked up) comes back without the files just chosen; the person is told beside each of them.
CHOOSE_AGAIN_PREVIEW = _l("Choose the photo again – the preview cannot keep it.")
CHOOSE_AGAIN_PLACE = _l("Choose the photo again – finding the place cannot keep it.")


def ask_again(fields: PhotoList, message=CHOOSE_AGAIN_PREVIEW) -> bool:
    """On a page shown again, ``message`` beside each photo whose file was sent with it (and so is missing
    now); whether any description comes back without its file.

    A description sent with no file at all is not refused: a form may be sent without photos, and a
    description alone is simply not kept."""
    sent = [entry.form for entry in fields if _chosen(entry.form.file.data)]
    for sub in sent:
        sub.file.errors = [message]
    if sent:
        fields.errors = [entry.errors for entry in fields if entry.errors]
    return any(entry.form.alt_text.data for entry in fields)


CHOOSE_FOR_DESCRIPTION = _l("Choose the photo again, or delete what you wrote about it.")


def files_sent(fields: PhotoList) -> bool:
    """Whether this request carried any photo file (before a page that cannot keep them)."""
    return any(_chosen(entry.form.file.data) for entry in fields)


def refuse_descriptions_alone(fields: PhotoList) -> bool:
    """Beside each description that has no photo, ask for the photo; whether there was any.

    Only for a form that had photos before a step that lost them (a preview, a place lookup): publishing
    then would quietly leave out photos the person meant to add. Elsewhere a description alone is simply
    not kept."""
    alone = [entry.form for entry in fields if entry.form.alt_text.data and entry.form.processed is None]
    for sub in alone:
        sub.file.errors = [CHOOSE_FOR_DESCRIPTION]
    if alone:
        fields.errors = [entry.errors for entry in fields if entry.errors]
    return bool(alone)


@dataclass
class ChosenPhoto:
    processed: ProcessedPhoto
    alt_text: str


def chosen_photos(fields: PhotoList) -> list[ChosenPhoto]:
    """The photos chosen in a validated form, in order (pairs left empty are skipped)."""
    return [ChosenPhoto(entry.form.processed, entry.form.alt_text.data or "") for entry in fields
            if entry.form.processed is not None]
