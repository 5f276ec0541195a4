"""Finding every form: every GET route of the URL map, opened by every role with real objects in its
arguments; every form on those pages, tied to the FlaskForm class behind it; and, by sending each one
benign values, what it takes, where it stores each field and which pages show what was stored.

Done once per run (it takes some seconds) and kept: the tests then build their own world and go
straight to the page of the form they send.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from sqlalchemy import JSON, String, Text, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import AnyConverter

from app.extensions import db
from tests.security.hostile.exercise import (
    INVISIBLE,
    MARKERS,
    Exerciser,
    FormSpec,
    PageRef,
    benign_shapes,
    json_text,
    marker,
)
from tests.security.hostile.forms import HtmlForm, parse_forms, path_of
from tests.security.hostile.markup import Vocabulary, scan
from tests.security.hostile.world import ROLES, World, candidates

MAX_DISPLAY_PAGES = 6
TEXT_TYPES = {"application/json", "application/problem+json", "text/calendar", "text/csv"}


def _textual(response) -> bool:
    return response.mimetype == "text/html" or response.mimetype in TEXT_TYPES


@dataclass
class Discovery:
    specs: list[FormSpec]
    vocabulary: Vocabulary
    instantiated: set[type]
    # GET rules no role could open, and their best status (0: no object of the world fits an argument)
    unopened: dict[str, int] = field(default_factory=dict)

    def specs_for(self, form_class: type) -> list[FormSpec]:
        return [spec for spec in self.specs if spec.form_class is form_class]

    @property
    def reached(self) -> set[type]:
        return {spec.form_class for spec in self.specs if spec.form_class is not None}


_KEPT: dict[str, Discovery] = {}


def _fields(form):
    """Every field of a form, those of its lists of sub-forms too (named ``list-0-field``)."""
    for f in form:
        if f.type in ("FieldList", "FormField"):
            yield from _fields(f)
        else:
            yield f


def _filtered(spec, name: str, text: str) -> str:
    """``text`` as the form's own filters store it (a short name in lowercase with hyphens)."""
    for apply in spec.filters.get(name, ()):
        text = apply(text)
    return text


def discover(app, login_as, monkeypatch) -> Discovery:
    if "discovery" not in _KEPT:
        _KEPT["discovery"] = _Crawl(app, login_as, monkeypatch).run()
    return _KEPT["discovery"]


class _Crawl:
    def __init__(self, app, login_as, monkeypatch):
        self.app = app
        self.world = World(app, login_as)
        self.vocabulary = Vocabulary()
        self.created: list[FlaskForm] = []
        self.instantiated: set[type] = set()
        self.specs: dict[str, FormSpec] = {}
        self.markers: dict[str, list[str]] = {}
        self.best_status: dict[str, int] = {}
        self.adapter = app.url_map.bind("localhost")
        original = FlaskForm.__init__
        created = self.created

        def recording_init(form, *args, **kwargs):
            original(form, *args, **kwargs)
            created.append(form)

        monkeypatch.setattr(FlaskForm, "__init__", recording_init)

    # --- the crawl

    def rules(self):
        return sorted((rule for rule in self.app.url_map.iter_rules()
                       if "GET" in rule.methods and rule.endpoint != "static"), key=lambda rule: rule.rule)

    def combinations(self, rule) -> list[tuple[tuple[str, str], ...]]:
        combos: list[dict[str, str]] = [{}]
        for name, converter in rule._converters.items():
            grown = []
            for chosen in combos:
                if isinstance(converter, AnyConverter):
                    options = [f"={item}" for item in sorted(converter.items)]
                else:
                    options = list(candidates(name, {k: v.lstrip("=") for k, v in chosen.items()}, rule.endpoint))
                grown += [dict(chosen, **{name: option}) for option in options]
            combos = grown
        return [tuple(combo.items()) for combo in combos]

    def crawl(self) -> list[PageRef]:
        """Every GET route, as every role, with every object that fits its arguments. Returns the pages
        that opened."""
        opened = []
        for role in ROLES:
            browser = self.world.browser(role)
            for rule in self.rules():
                combinations = self.combinations(rule)
                if not combinations:  # an argument no object of the world fits: teach the world
                    self.best_status.setdefault(rule.rule, 0)
                for args in combinations:
                    ref = PageRef(role, rule.endpoint, args)
                    path = ref.path(self.world)
                    self.created.clear()
                    response = browser.get(path)
                    self.instantiated |= {declared(type(form)) for form in self.created}
                    status = response.status_code
                    best = self.best_status.get(rule.rule)
                    self.best_status[rule.rule] = status if best is None or best != 200 and status == 200 else best
                    if status != 200 or not _textual(response):
                        continue
                    opened.append(ref)
                    if response.mimetype != "text/html":
                        continue
                    text = response.get_data(as_text=True)
                    self.vocabulary.learn(f"GET {rule.endpoint}", scan(text))
                    for form in parse_forms(text, path, INVISIBLE):
                        self.add_spec(ref, form, list(self.created))
        return opened

    def look_again(self, pages: list[PageRef]) -> None:
        """The pages again, after the benign posts: which of them show what each form stored."""
        for ref in pages:
            response = self.world.browser(ref.role).get(ref.path(self.world))
            if response.status_code == 200 and _textual(response):
                text = response.get_data(as_text=True)
                if response.mimetype == "text/html":
                    self.vocabulary.learn(f"GET {ref.endpoint}", scan(text))
                self.find_markers(ref, text, html=response.mimetype == "text/html")

    def endpoint_of(self, action: str, method: str) -> str | None:
        try:
            return self.adapter.match(action.split("?")[0], method=method.upper())[0]
        except HTTPException:
            return None

    def add_spec(self, ref: PageRef, form: HtmlForm, created: list[FlaskForm]) -> None:
        endpoint = self.endpoint_of(path_of(form.action), form.method)
        if endpoint is None:
            return
        key = f"{form.method.upper()} {endpoint} {sorted(form.names)}"
        if key in self.specs:
            return
        spec = FormSpec(key=key, page=ref, method=form.method, endpoint=endpoint, names=form.names)
        # A GET form's fields are in the address, where anyone can type anything into any of them.
        spec.typed = [name for name, control in form.controls.items() if control.typed or form.method == "get"]
        spec.traps = [name for name, control in form.controls.items()
                      if control.hidden_from_people and control.kind in ("text", "search", "textarea", "email")]
        self.tie_to_class(spec, created)
        self.specs[key] = spec

    def tie_to_class(self, spec: FormSpec, created: list[FlaskForm]) -> None:
        """The form object whose fields the page's form has (for a form of buttons only, this is found
        when it is sent)."""
        best, best_score = None, (0, 0)
        for instance in created:
            fields = {f.name: f for f in _fields(instance)}
            shared = spec.names & fields.keys()
            meaningful = any(not name.endswith("csrf_token") for name in shared) or spec.names == fields.keys()
            score = (len(shared), -len(fields.keys() - spec.names))
            if meaningful and score > best_score:
                best, best_score = instance, score
        if best is None:
            return
        spec.form_class = declared(type(best))
        fields = {f.name: f for f in _fields(best)}
        spec.filters = {name: tuple(fields[name].filters) for name in spec.typed + spec.traps if name in fields}
        spec.emails = {name for name in spec.typed if name in fields and fields[name].type in ("EmailField", "EmailListField")}
        spec.free_selects = [name for name, f in fields.items() if name in spec.names
                             and f.type == "SelectField" and not getattr(f, "validate_choice", True)]

    # --- sending benign values

    def learn(self, spec: FormSpec):
        """Send benign values, changing the ones the form refuses, until it takes them.
        Returns (exerciser, values taken or None, answer), or None when the page is gone."""
        exerciser = Exerciser(self.world, spec, self.vocabulary)
        exerciser.learning = True
        try:
            exerciser.open()
        except AssertionError:
            return None
        buttons = exerciser.form.buttons
        spec.steps = [buttons[0]] if buttons else [None]
        for _round in range(12):
            n = next(MARKERS) * 100
            values = exerciser.values({}, n)
            self.created.clear()
            answer = exerciser.send(values)
            if spec.form_class is None and self.created:
                spec.form_class = declared(type(self.created[0]))
            self.instantiated |= {declared(type(form)) for form in self.created}
            if answer.redirected or (spec.method == "get" and answer.status == 200):
                spec.accepted = True
                self.markers.setdefault(spec.key, []).extend(marker(n + i) for i in range(len(values)))
                return exerciser, values, answer
            errors = answer.errors()
            if not errors and answer.status == 200:
                pressed = set(spec.steps)
                again = [f for f in parse_forms(answer.text, "", set()) if set(f.buttons) - pressed
                         and f.names == spec.names]
                if again:
                    spec.steps = spec.steps + [next(b for b in again[0].buttons if b not in pressed)]
                    continue
            if not self.advance(spec, exerciser, errors):
                break
        return exerciser, None, None

    def advance(self, spec: FormSpec, exerciser: Exerciser, errors: set[str]) -> bool:
        """The next benign value for each field the form refused; False when there is none left to try."""
        advanced = False
        for name in errors:
            control = exerciser.form.controls.get(name)
            if control is None:
                continue
            shape = spec.shapes.get(name, 0)
            if shape + 1 < len(benign_shapes(control, self.world)):
                spec.shapes[name] = shape + 1
                advanced = True
        return advanced

    def learn_text_form(self, spec: FormSpec) -> None:
        learned = self.learn(spec)
        if learned is None:
            return
        exerciser, values, answer = learned
        if values is None:
            self.refusals(spec, exerciser)
            return
        if spec.method == "get":
            self.refusals(spec, exerciser)
            return
        self.learn_storage(spec, values)
        if answer.redirected:
            target = answer.location
            text = self.look(spec, target)
            spec.redirect_shows = any(values[name][0] in text for name in spec.typed if values[name][0])
            n = next(MARKERS) * 100
            again = exerciser.send(exerciser.values({}, n))
            if again.redirected:
                self.markers[spec.key].extend(marker(n + i) for i in range(len(values)))
                later = self.look(spec, again.location)
                spec.redirect_keeps = again.location.split("#")[0] == target.split("#")[0] and any(
                    values[name][0] in later for name in spec.typed if values[name][0])
        self.refusals(spec, exerciser)

    def look(self, spec: FormSpec, location: str) -> str:
        path = path_of(location)
        response = self.world.browser(spec.page.role).get(path)
        if response.mimetype != "text/html":
            return ""
        text = response.get_data(as_text=True)
        self.vocabulary.learn(f"GET {self.endpoint_of(path, 'get')}", scan(text))
        return text

    def refusals(self, spec: FormSpec, exerciser: Exerciser) -> None:
        """How the page looks when every field is refused (empty, too long, with a control character), and
        when the whole form is; for a form of filters, when they are chosen and when they are nonsense."""
        if spec.method == "get":  # filters chosen, and nonsense in the address
            controls = exerciser.form.controls
            exerciser.send(exerciser.values({name: next((o for o in controls[name].options if o), "x")
                                             for name in spec.typed}))
            exerciser.send(exerciser.values({name: "x" for name in spec.typed}))
            return
        if not spec.typed:
            return
        for text_of in (lambda c: "", lambda c: "x" * ((c.maxlength or 6000) + 1), lambda c: "x\x01y"):
            assign = {name: text_of(exerciser.form.controls[name]) for name in spec.typed}
            exerciser.send(exerciser.values(assign))
        if spec.traps:  # and as a robot that filled in the field people cannot see
            exerciser.send(exerciser.values({name: "x" for name in spec.traps}))

    def learn_storage(self, spec: FormSpec, values: dict[str, list[str]]) -> None:
        """Where each typed field's benign text went: a column holding it exactly, else one containing it.
        A JSON column holding it as a string (a setting) counts as containing it: JSON cannot be compared."""
        # A field that took only a whole number (a survey's "how many years") keeps it as a number, in no text
        # column: looking for "1" in text would only find other things that happen to be 1.
        wanted = {name: _filtered(spec, name, values[name][0]) for name in spec.typed
                  if values[name] and values[name][0] and not values[name][0].isdigit()}
        spec.numbers = [name for name in spec.typed if values[name] and values[name][0].isdigit()]
        exact: dict[str, list] = {name: [] for name in wanted}
        within: dict[str, list] = {name: [] for name in wanted}
        with self.app.app_context():
            for table in db.metadata.sorted_tables:
                columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
                if not columns:
                    continue
                for row in db.session.execute(select(*columns)):
                    for column, value in zip(columns, row, strict=True):
                        if isinstance(value, (dict, list)):   # texts kept per language (the area survey's)
                            value = json_text(value)
                        if not isinstance(value, str):
                            continue
                        for name, text in wanted.items():
                            place = (table.name, column.name)
                            if isinstance(column.type, JSON):
                                if (value == text or text in value.split("\n") or value == text.lower() and name in spec.emails) \
                                        and place + ("contains",) not in within[name]:
                                    within[name].append(place + ("contains",))
                            elif value == text or value == text.lower() and name in spec.emails:
                                if place + ("exact",) not in exact[name]:
                                    exact[name].append(place + ("exact",))
                            elif text in value and place + ("contains",) not in within[name]:
                                within[name].append(place + ("contains",))
            db.session.remove()
        spec.storage = {name: exact[name] or within[name][:1] for name in wanted}

    # --- which pages show what was stored

    def find_markers(self, ref: PageRef, text: str, html: bool) -> None:
        """Note ``ref`` as a page that shows what a form stored (a few pages of each kind per form: HTML
        pages, and calendar files, JSON and CSV)."""
        for spec in self.specs.values():
            shown = spec.display if html else spec.files
            if len(shown) >= MAX_DISPLAY_PAGES or any(page.endpoint == ref.endpoint for page in shown):
                continue
            if any(m in text for m in self.markers.get(spec.key, [])):
                shown.append(ref)

    # --- all of it

    def run(self) -> Discovery:
        opened = self.crawl()
        specs = list(self.specs.values())
        texts = [s for s in specs if s.typed or s.traps or s.free_selects]
        for spec in texts:
            self.learn_text_form(spec)
        self.look_again(opened)
        for spec in specs:
            if spec not in texts:
                self.world.reset()
                self.learn(spec)
        unopened = {rule: status for rule, status in self.best_status.items() if status != 200}
        return Discovery(specs, self.vocabulary, self.instantiated, unopened)


# --- what the code defines (known without a server, so tests can be made per form class and field)

def form_classes() -> list[type]:
    """Every FlaskForm subclass defined under app/ (all of app's modules imported first)."""
    import importlib
    import pkgutil

    import app as package

    for module in pkgutil.walk_packages(package.__path__, "app."):
        importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    found = {cls for cls in below(FlaskForm) if cls.__module__.startswith("app.")}
    classes = sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))
    for cls in classes:
        _DECLARED.setdefault(class_id(cls), cls)
    return classes


def typed_fields(cls: type) -> list[str]:
    """The fields of ``cls`` that take typed text (not hidden fields and not passwords)."""
    from wtforms import HiddenField, PasswordField, StringField
    from wtforms.fields.core import UnboundField

    fields = [(name, value) for name in dir(cls) if isinstance(value := getattr(cls, name, None), UnboundField)]
    return [name for name, unbound in sorted(fields, key=lambda item: item[1].creation_counter)
            if issubclass(unbound.field_class, StringField)
            and not issubclass(unbound.field_class, (HiddenField, PasswordField))]


# The form classes as the code declares them, by name: filled when ``form_classes`` first walks them.
_DECLARED: dict[str, type] = {}


def declared(cls: type) -> type:
    """The form class as the code declares it. A form built per question (app/surveys/forms.py
    ``answers_form``) is the class it is built on; a form built for the languages offered at the time
    (app/admin/survey_forms.py) is the one of the same name built when the code was loaded."""
    cls = getattr(cls, "built_on", cls)
    return _DECLARED.get(class_id(cls), cls)


def class_id(cls: type) -> str:
    return f"{cls.__module__.removeprefix('app.')}.{cls.__qualname__}"
