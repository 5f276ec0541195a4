"""Forms for ideas, comments and reports. Choices from the database are set in the view."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SearchField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import Checkboxes
from app.core.i18n import lazy_gettext as _l
from app.core.once import OneTimeSubmission
from app.core.validators import no_control_characters, strip_text
from app.photos.forms import photo_fields
from app.places.picking_form import place_fields
from app.submissions.labels import REASON_LABELS
from app.submissions.models import REPORT_REASONS
from app.translation.forms import language_field

MAX_PHOTOS = 3
TITLE_MIN, TITLE_MAX = 5, 120
BODY_MIN, BODY_MAX = 20, 5000
COMMENT_MAX = 2000
REPORT_DETAILS_MAX = 1000



class IdeaForm(OneTimeSubmission, FlaskForm):
    language = language_field()   # empty: found from the text (the service falls back to the page's language)
    district = SelectField(_l("District"), validators=[InputRequired(message=_l("Choose the district the idea is for."))])
    title = StringField(
        _l("Title"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Give the idea a title.")),
            Length(min=TITLE_MIN, max=TITLE_MAX, message=_l("The title must be between %(min)d and %(max)d characters long.")),
            no_control_characters,
        ],
    )
    body = TextAreaField(
        _l("Describe your idea"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Describe your idea.")),
            Length(min=BODY_MIN, max=BODY_MAX, message=_l("The description must be between %(min)d and %(max)d characters long.")),
            no_control_characters,
        ],
    )
    place, point, lat, lon, looked_up, find_place = place_fields()
    effort_area = SelectField(_l("Which topic does it belong to?"), validators=[Optional()])
    photos = photo_fields(MAX_PHOTOS)
    # Set once photos were chosen before a page that could not keep them (a preview, a place lookup):
    # publishing then asks for each described photo rather than leave it out unnoticed.
    photos_left = HiddenField()
    preview = SubmitField(_l("Preview"))
    publish = SubmitField(_l("Publish the idea"))


class IdeaEditForm(IdeaForm):
    """Changing an idea: the same fields, and the photos it has, each of which can be taken away."""

    # Choices (the idea's photos, by key) are set in the view.
    remove_photos = Checkboxes(_l("Remove photos"), validators=[Optional()])


class CommentForm(OneTimeSubmission, FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Write a comment first.")),
            Length(max=COMMENT_MAX, message=_l("A comment can be at most %(max)d characters long.")),
            no_control_characters,
        ],
    )
    language = language_field()
    submit = SubmitField(_l("Post comment"))


class CommentEditForm(FlaskForm):
    """The author changing their own comment: the same rules as writing it."""

    body = TextAreaField(
        _l("Your comment"),
        filters=[strip_text],
        validators=[
            DataRequired(message=_l("Write a comment first.")),  # spaces alone are no comment
            Length(max=COMMENT_MAX, message=_l("A comment can be at most %(max)d characters long.")),
            no_control_characters,
        ],
    )
    language = language_field()
    submit = SubmitField(_l("Save the comment"))


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this?"),
        choices=[SelectChoice(reason, REASON_LABELS[reason]) for reason in REPORT_REASONS],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    details = TextAreaField(
        _l("Anything else the moderators should know?"),
        filters=[strip_text],
        validators=[Optional(), Length(max=REPORT_DETAILS_MAX, message=_l("Keep it under %(max)d characters.")), no_control_characters],
    )
    submit = SubmitField(_l("Send report"))


class IdeaFilterForm(FlaskForm):
    """The list's filters: a GET form that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[strip_text], validators=[Optional(), Length(max=200)])
    district = SelectField(_l("District"), validators=[Optional()])
    area = SelectField(_l("Topic"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()])


class ReviewRequestForm(FlaskForm):
    message = TextAreaField(
        _l("Why should it be shown again?"),
        filters=[strip_text],
        validators=[Optional(), Length(max=REPORT_DETAILS_MAX, message=_l("Keep it under %(max)d characters.")), no_control_characters],
    )
    submit = SubmitField(_l("Ask for a review"))
