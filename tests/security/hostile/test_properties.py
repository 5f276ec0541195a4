"""Generated text in every typed field of every form: for any text (all of Unicode, control characters
included), the form answers without a server error and without markup the templates did not write, and
the text is stored as typed (after the form's own filters) or refused with a message beside a field.

A field people cannot see (a trap for robots) is the other way round: any text in it is refused and
nothing is stored. Each example is sent on every page the field's form is on; the examples are the same
on every run (derandomised), so CI is repeatable.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.hostile.discovery import class_id, discover, form_classes, typed_fields
from tests.security.hostile.exercise import Exerciser
from tests.security.hostile.world import World

FIELDS = [(cls, name) for cls in form_classes() for name in typed_fields(cls)]


def _control(spec, field: str) -> str | None:
    """The name the field has in the page's form (a prefix may come before it)."""
    for name in spec.typed + spec.traps:
        if name == field or name.endswith(f"-{field}"):
            return name
    return None


@pytest.fixture
def field_in_forms(request, app, login_as, monkeypatch):
    """(exerciser, field name in the form) for every page the field's form is on."""
    form_class, field = request.param
    discovery = discover(app, login_as, monkeypatch)
    world = World(app, login_as)
    found = []
    for spec in discovery.specs_for(form_class):
        name = _control(spec, field)
        if name is not None:
            exerciser = Exerciser(world, spec, discovery.vocabulary)
            exerciser.open()
            found.append((exerciser, name))
    assert found, f"{class_id(form_class)}.{field} is in no form on a page the crawl reached"
    yield found
    for exerciser, _name in found:  # what the examples stored, on the pages that show it
        exerciser.look_at_display_pages(final=True)


@pytest.mark.parametrize("field_in_forms", FIELDS, indirect=True,
                         ids=[f"{class_id(cls)}.{name}" for cls, name in FIELDS])
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text())
def test_generated_text_is_stored_as_typed_or_refused_with_a_message(field_in_forms, text):
    for exerciser, name in field_in_forms:
        if name in exerciser.spec.traps:
            exerciser.trap(name, text)
        else:
            outcome = exerciser.post({name: text})
            assert outcome[name] in ("stored", "refused", "refused by the form", "shown"), outcome
