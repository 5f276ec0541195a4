"""Sending a form the way a person does, with hostile text in the fields they type into, and judging the
answer: never a server error, no markup the templates did not write, and each text either stored as
typed (after the form's own filters) or refused with a message beside a field."""
from __future__ import annotations

import copy
import itertools
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.core.db import OSLO, utcnow
from app.extensions import db, limiter
from tests.helpers import PASSWORD
from tests.security.hostile.forms import HtmlForm, hidden_classes, parse_forms, path_of
from tests.security.hostile.markup import Scan, Vocabulary, foreign_markup, scan

REDIRECTS = (301, 302, 303, 307, 308)
PER_VIEW_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # a one-time submission id, new on every view
INVISIBLE = hidden_classes()
MARKERS = itertools.count(1)
DISPLAY_EVERY = 100   # accepted posts between two looks at the pages that show what was stored
MAX_PAGES = 60        # pages of a paginated list followed at the end


class HostileFailure(AssertionError):
    pass


@dataclass(frozen=True)
class PageRef:
    """A page as a role sees it: an endpoint and, for each argument, the object that stands in it
    (a candidate of the world, or ``=value`` for a fixed value)."""

    role: str
    endpoint: str
    args: tuple[tuple[str, str], ...] = ()
    query: str = ""

    def path(self, world) -> str:
        values = {name: (candidate[1:] if candidate.startswith("=") else world.value(candidate))
                  for name, candidate in self.args}
        built = world.app.url_map.bind("localhost").build(self.endpoint, values)
        return built + (f"?{self.query}" if self.query else "")

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.args)
        return f"{self.endpoint}({args}) as {self.role}"


@dataclass
class FormSpec:
    """A form found by the crawl, and what was learned by sending it benign values."""

    key: str
    page: PageRef
    method: str
    endpoint: str
    names: frozenset[str]
    form_class: type | None = None
    typed: list[str] = field(default_factory=list)        # fields a person types text into
    traps: list[str] = field(default_factory=list)        # text fields people cannot see (robot traps)
    free_selects: list[str] = field(default_factory=list)  # choices the form takes any value for
    filters: dict[str, tuple] = field(default_factory=dict)
    emails: set[str] = field(default_factory=set)
    # learned by sending benign values
    shapes: dict[str, int] = field(default_factory=dict)
    steps: list[tuple[str, str] | None] = field(default_factory=lambda: [None])
    accepted: bool = False
    storage: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)     # typed fields that take only a whole number
    redirect_shows: bool = False
    redirect_keeps: bool = False
    display: list[PageRef] = field(default_factory=list)   # HTML pages that show what was stored
    files: list[PageRef] = field(default_factory=list)     # and calendar files, JSON and CSV that do

    def __str__(self) -> str:
        owner = self.form_class.__name__ if self.form_class else "a form"
        return f"{owner} {self.method.upper()} {self.endpoint} on {self.page}"


def json_text(value):
    """The strings inside a JSON value (a text per language, a list of choices), a line each; else the value."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return "\n".join(text for item in value for text in [json_text(item)] if isinstance(text, str))
    return value


# --- benign values -------------------------------------------------------------------------------------

def _fit(text: str, control) -> str:
    if control.minlength and len(text) < control.minlength:
        text = (text + " og litt til") * (control.minlength // len(text) + 1)
    return text[: control.maxlength] if control.maxlength else text


def _phone(n: int) -> str:
    digits = f"{n:07d}"[-7:]
    return f"9{digits[:2]} {digits[2:4]} {digits[4:]}"


def _when(days: float, hour: int) -> str:
    moment = (utcnow() + timedelta(days=days)).astimezone(OSLO).replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def marker(n: int) -> str:
    return f"Merke{n:07d}x"


def benign_shapes(control, world) -> list:
    """Ways to fill ``control`` that a person might use, tried in order until the form takes one.
    Each is a function of a running number, so text is new (and findable) on every post. What the page
    gave comes first for everything but the fields people type text into."""
    kind = control.kind
    page = list(control.value)
    if control.hidden_from_people or kind == "hidden":
        return [lambda n: page]
    if kind in ("text", "search", "textarea"):
        return [lambda n: [_fit(f"{marker(n)} vanlig tekst om nabolaget", control)],
                lambda n: [f"{marker(n).lower()}@example.no"], lambda n: [_phone(n)], lambda n: ["1"]]
    if kind == "email":
        return [lambda n: [f"{marker(n).lower()}@example.no"], lambda n: [world.someone().email]]
    if kind == "tel":
        return [lambda n: [_phone(n)]]
    if kind == "url":
        return [lambda n: [f"https://example.no/{marker(n)}"]]
    if kind == "password":
        return [lambda n: [PASSWORD]]
    if kind == "number":
        return [lambda n: page, lambda n: ["1"], lambda n: ["2"], lambda n: ["10"]]
    if kind == "date":
        return [lambda n: page, lambda n: [_when(10, 12)[:10]]]
    if kind == "datetime-local":
        return [lambda n: page, lambda n: [_when(10, 18)], lambda n: [_when(10, 20)], lambda n: [_when(9, 12)]]
    if kind in ("select", "radio"):
        options = [o for o in control.options if o]
        return [lambda n: page] + [lambda n, o=o: [o] for o in options if [o] != page]
    if kind == "checkbox":
        return [lambda n: page] + [lambda n, o=o: sorted(set(page) | {o}) for o in control.options if o not in page]
    return [lambda n: page]


# --- the answer -------------------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    location: str | None
    page: Scan | None
    text: str

    @property
    def redirected(self) -> bool:
        return self.status in REDIRECTS

    def errors(self) -> set[str]:
        return self.page.error_fields() if self.page else set()

    def describe(self) -> str:
        if self.redirected:
            return f"{self.status} to {self.location}"
        flashes = re.findall(r'<p class="flash flash-\w+">(.*?)</p>', self.text)
        alerts = re.findall(r'role="alert"[^>]*>(.*?)</div>', self.text, re.S)
        return f"{self.status}, errors on {sorted(self.errors())}, flashes {flashes}, alerts {[a[:200] for a in alerts]}"


class Exerciser:
    """Sends one form again and again from one person's browser, and checks every answer."""

    def __init__(self, world, spec: FormSpec, vocabulary: Vocabulary):
        self.world = world
        self.spec = spec
        self.vocabulary = vocabulary
        self.adapter = world.app.url_map.bind("localhost")
        self.sticky = self.AS_IS  # what has to be done again before each post of this form (see ``post``)
        self.accepted_since_look = 0
        self.last_redirect: str | None = None
        self.stats: Counter = Counter()
        self.form: HtmlForm | None = None
        self.page_path = ""
        self.first_form: HtmlForm | None = None
        self.first_args: dict = {}
        self.fresh = False  # the form was just taken from its page: no need to fetch it again
        self.learning = False  # while discovering: learn what the templates write instead of judging it

    # --- the page and its form

    @property
    def browser(self):
        return self.world.browser(self.spec.page.role)

    def open(self, renew: bool = False, path: str | None = None) -> None:
        """Fetch the form's page (checking it like any other) and take the form from it."""
        if renew:
            for _name, candidate in self.spec.page.args:
                if not candidate.startswith("="):
                    self.world.renew(candidate)
        path = path or self.spec.page.path(self.world)
        form = self._form_on(path)
        if form is None:
            self.world.everything()  # a list shows some forms only when there is something in it
            form = self._form_on(path)
        assert form is not None, f"{self.spec}: the form is no longer on {path}"
        self.form, self.page_path, self.fresh = form, path, True
        if renew or self.first_form is None:
            self.first_form = copy.deepcopy(form)  # as the page is for an object nobody has acted on yet
            self.first_args = {name: self.world.value(candidate) for name, candidate in self.spec.page.args
                               if not candidate.startswith("=")}

    def _form_on(self, path: str) -> HtmlForm | None:
        response = self.browser.get(path)
        assert response.status_code == 200, f"{self.spec}: the page {path} answered {response.status_code}"
        text = response.get_data(as_text=True)
        self.judge_page(scan(text), f"GET {self.spec.page.endpoint}", "the form's page")
        found = [f for f in parse_forms(text, path, INVISIBLE) if f.method == self.spec.method
                 and self._endpoint(path_of(f.action), f.method) == self.spec.endpoint]
        exact = [f for f in found if f.names == self.spec.names]

        def overlap(form):
            return len({n for n in form.names & self.spec.names if not n.endswith("csrf_token")})

        return (exact or sorted((f for f in found if overlap(f)), key=overlap, reverse=True) or [None])[0]

    def _endpoint(self, path: str, method: str) -> str | None:
        try:
            return self.adapter.match(path.split("?")[0], method=method.upper())[0]
        except HTTPException:
            return None

    def values(self, assign: dict[str, str], n: int | None = None) -> dict[str, list[str]]:
        """The page's values, benign text in every field (each its own marker, numbered from ``n``), and
        ``assign`` over them."""
        n = next(MARKERS) * 100 if n is None else n
        values = {}
        for number, (name, control) in enumerate(self.form.controls.items()):
            shapes = benign_shapes(control, self.world)
            value = shapes[min(self.spec.shapes.get(name, 0), len(shapes) - 1)](n + number)
            if control.kind == "hidden" and value and PER_VIEW_TOKEN.match(value[0]) and "csrf" not in name:
                value = [secrets.token_urlsafe(24)]
            values[name] = value
        for name, text in assign.items():
            values[name] = [text]
        return values

    # --- sending

    def request(self, values: dict[str, list[str]], button: tuple[str, str] | None) -> Answer:
        limiter.storage.reset()  # what is typed is tested here, not how often
        data = {k: v for k, v in values.items() if v}
        if button:
            data[button[0]] = [button[1]]
        action = path_of(self.form.action)
        if self.spec.method == "get":
            response = self.browser.client.get(action.split("?")[0], query_string=data)
        else:
            response = self.browser.client.post(action, data=data)
        # A download (the survey's codes as a zip file) is not text: its bytes as they come.
        text = response.get_data().decode("utf-8", "replace") if response.mimetype.startswith(("text/", "application/json")) \
            or not response.get_data() else response.get_data().decode("latin-1")
        page = scan(text) if response.mimetype == "text/html" and text else None
        answer = Answer(response.status_code, response.headers.get("Location"), page, text)
        if answer.status >= 500:
            raise HostileFailure(f"{self.spec}: {answer.status} for {self._shown(values)}")
        if page is not None:
            self.judge_page(page, f"{self.spec.method.upper()} {self.spec.endpoint}", values)
        self.fresh = False
        return answer

    def judge_page(self, page: Scan, key: str, values) -> None:
        if self.learning:
            self.vocabulary.learn(key, page)
        else:
            self.check_markup(page, key, values)

    def send(self, values: dict[str, list[str]]) -> Answer:
        """Press the buttons the form needs (a preview, then publish), as a person does."""
        answer = None
        for number, button in enumerate(self.spec.steps):
            answer = self.request(values, button)
            last = number == len(self.spec.steps) - 1
            if last or answer.redirected or answer.status != 200 or answer.errors():
                break
        return answer

    def check_markup(self, page: Scan, key: str, values) -> None:
        problems = foreign_markup(page, key, self.vocabulary)
        if problems:
            raise HostileFailure(f"{self.spec}: {key} shows markup the templates did not write for "
                                 f"{self._shown(values)}: {problems[:3]}")

    def refresh_hidden(self, page: Scan) -> bool:
        """Take the form's hidden values (the version of the item, say) from the page; False when the page
        does not have them all."""
        hidden = {name for name, control in self.form.controls.items() if control.kind == "hidden"}
        found = {attrs["name"]: attrs.get("value", "") for tag, attrs in page.elements
                 if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") in hidden}
        for name, value in found.items():
            self.form.controls[name].value = [value]
        return found.keys() == hidden

    def look(self, path: str, label: str, values=None, follow: bool = False) -> Scan | None:
        """Fetch a page that shows what was stored, and check it (with its later pages when ``follow``).
        Returns the (first) page."""
        seen, first = 0, None
        while path and seen < (MAX_PAGES if follow else 1):
            response = self.browser.get(path)
            if response.status_code >= 500:
                raise HostileFailure(f"{self.spec}: {path} answered {response.status_code} after {label}")
            if response.mimetype != "text/html":
                if response.is_json:
                    response.get_json()  # raises when it is not JSON
                return first
            page = scan(response.get_data(as_text=True))
            self.check_markup(page, f"GET {self._endpoint(path, 'get')}", values or label)
            first = first or page
            path, seen = page.next_page(), seen + 1
        return first

    def look_at_display_pages(self, final: bool = False) -> None:
        pages = [ref.path(self.world) for ref in self.spec.display + self.spec.files]
        if self.spec.redirect_keeps and self.last_redirect:
            pages.append(self.last_redirect)
        for path in dict.fromkeys(pages):
            self.look(path, "the posts so far", follow=final)
        self.accepted_since_look = 0

    # --- judging

    def expected(self, name: str, text: str) -> str:
        for apply in self.spec.filters.get(name, ()):
            text = apply(text)
        return text

    def stored(self, name: str, text: str) -> list[str]:
        """Where the stored value differs from what was typed (empty when it is stored as typed)."""
        wrong = []
        expected = self.expected(name, text)
        if not expected:
            return wrong
        if "\x00" in expected:  # no column of PostgreSQL can hold it, so it cannot have been stored
            return [f"{name} cannot hold {expected!r}"]
        wanted = {expected, expected.lower()} if name in self.spec.emails else {expected}
        with self.world.app.app_context():
            for table_name, column_name, mode in self.spec.storage.get(name, []):
                column = db.metadata.tables[table_name].c[column_name]
                if mode == "exact":
                    found = db.session.scalar(select(column).where(column.in_(wanted)).limit(1))
                    ok = found is not None
                else:
                    newest = [key.desc() for key in db.metadata.tables[table_name].primary_key.columns]
                    recent = db.session.scalars(select(column).where(column.is_not(None)).order_by(*newest).limit(20))
                    ok = any(w in value for value in map(json_text, recent) if isinstance(value, str) for w in wanted)
                if not ok:
                    wrong.append(f"{table_name}.{column_name} does not hold {expected!r}")
            db.session.remove()
        return wrong

    def _shown(self, values) -> str:
        if isinstance(values, str):
            return values
        return repr({k: v[0][:80] for k, v in values.items() if k in self.spec.typed or k in self.spec.traps})

    # How much is done again before a post, when sending the form once more as it was does not work:
    AS_IS, FRESH_PAGE, NEW_OBJECT, NEW_OBJECT_AND_PAGE = range(4)

    def prepare(self, level: int) -> None:
        if level == self.FRESH_PAGE and not self.fresh:
            self.open()
        elif level == self.NEW_OBJECT:
            self.new_object()
        elif level == self.NEW_OBJECT_AND_PAGE:
            self.open(renew=True)

    def new_object(self) -> None:
        """A new object for the form (one report per person per comment, one hiding per item...). Its page
        looks as the first one did, so the form is sent to the new object's address without fetching it."""
        for _name, candidate in self.spec.page.args:
            if not candidate.startswith("="):
                self.world.renew(candidate)
        new = {name: self.world.value(candidate) for name, candidate in self.spec.page.args
               if not candidate.startswith("=")}
        self.form = copy.deepcopy(self.first_form)
        action = path_of(self.form.action)
        endpoint, args = self.adapter.match(action.split("?")[0], method=self.spec.method.upper())
        args = {name: new[name] if name in new and value == self.first_args.get(name) else value
                for name, value in args.items()}
        self.form.action = self.adapter.build(endpoint, args)
        self.page_path = self.spec.page.path(self.world)

    def post(self, assign: dict[str, str]) -> dict[str, str]:
        """Send ``assign`` (field → text) with benign values elsewhere. A field that refuses its text gets its
        benign value back and the rest is sent again, until the form takes what is left. Returns what
        happened to each text: "stored", "refused" (a message beside the field) or "refused by the form".

        When the answer is neither (the item changed since the page was fetched; a report was already made),
        the post is tried again with a fresh page, then a new object; what worked is then done before every
        post of this form."""
        outcome: dict[str, str] = {}
        assign = dict(assign)
        level = self.sticky
        renewable = any(not candidate.startswith("=") for _name, candidate in self.spec.page.args)
        while assign:
            try:
                self.prepare(level)
            except AssertionError:  # the page no longer shows the form (the item is hidden now)
                if level >= self.NEW_OBJECT_AND_PAGE or not renewable:
                    raise
                level += 1
                continue
            values = self.values(assign)
            answer = self.send(values)
            problem = self.judge(answer, assign, values, outcome)
            if problem is None:
                self.sticky = max(self.sticky, level)
                assign = {k: v for k, v in assign.items() if k not in outcome}
                level = self.sticky
                continue
            if level >= self.NEW_OBJECT_AND_PAGE or (level >= self.FRESH_PAGE and not renewable):
                raise HostileFailure(f"{self.spec}: {problem} for {self._shown(values)}")
            level += 1
        for result in outcome.values():
            self.stats[result] += 1
        return outcome

    def judge(self, answer: Answer, assign: dict[str, str], values, outcome: dict[str, str]) -> str | None:
        """Record in ``outcome`` what the answer did with each text; a string saying what is wrong when the
        answer is none of the allowed ones (so the caller can try again with a fresh page or object)."""
        if self.spec.method == "get":
            # A GET form that leads on to a page of this site (the reference code box to the code's page).
            leads_on = answer.redirected and (answer.location or "").startswith("/")
            if answer.status == 200 or leads_on:
                outcome.update({name: "shown" for name in assign})
                return None
            if answer.status < 500 and (answer.errors() or answer.page and answer.page.has_alert()):
                outcome.update({name: "refused" for name in assign})
                return None
            return f"the page answered {answer.status} without a message"
        if answer.redirected:
            wrong = [w for name, text in assign.items() if name in self.spec.typed for w in self.stored(name, text)]
            if wrong:
                return f"{answer.describe()} but {wrong[:2]}"
            outcome.update({name: "stored" if name in self.spec.typed else "taken" for name in assign})
            self.after_accepted(answer, values)
            return None
        errors = answer.errors()
        refused = errors & assign.keys()
        if refused:
            outcome.update({name: "refused" for name in refused})
            return None
        if errors and not self.spec.accepted:
            # A form that benign values do not pass either (logging in with an unknown address): refused whole.
            outcome.update({name: "refused by the form" for name in assign})
            return None
        return f"neither stored nor refused beside a field: {answer.describe()}"

    def after_accepted(self, answer: Answer, values) -> None:
        target = path_of(answer.location)
        if self.sticky == self.FRESH_PAGE and target.split("#")[0] == self.page_path:
            page = self.look(target, "the redirect", values)  # back on the form's page: its fresh values come with it
            self.fresh = page is not None and self.refresh_hidden(page)
        elif self.spec.redirect_shows and not (self.spec.redirect_keeps and target == self.last_redirect):
            self.look(target, "the redirect", values)
        self.last_redirect = target
        self.accepted_since_look += 1
        if self.accepted_since_look >= DISPLAY_EVERY:
            self.look_at_display_pages()

    # --- whole runs

    def run_strings(self, strings: list[str]) -> None:
        """Each string once: the typed fields take different strings in one post, turn by turn."""
        fields = self.spec.typed + self.spec.free_selects
        for turn, start in enumerate(range(0, len(strings), len(fields))):
            chunk = strings[start:start + len(fields)]
            assign = {fields[(i + turn) % len(fields)]: text for i, text in enumerate(chunk)}
            self.post(assign)
        self.look_at_display_pages(final=True)

    def trap(self, name: str, text: str) -> str:
        """Text in a field people cannot see: the form is refused with a message, and nothing is stored."""
        values = self.values({name: text})
        answer = self.send(values)
        if not text:
            if not answer.redirected:
                raise HostileFailure(f"{self.spec}: an empty {name} was not taken: {answer.describe()}")
            return "stored"
        if answer.redirected or not (answer.page and answer.page.has_alert()):
            raise HostileFailure(f"{self.spec}: {text!r} in {name}, which people cannot see, was taken: "
                                 f"{answer.describe()}")
        leaked = [n for n in self.spec.typed if self.spec.storage.get(n) and not self.stored(n, values[n][0])]
        if leaked:
            raise HostileFailure(f"{self.spec}: a robot's post was stored ({leaked})")
        return "refused"

    def run_once(self) -> Answer:
        """A form with nothing to type (a button, or filters to choose from): sent once as the page gives it."""
        answer = self.send(self.values({}))
        shown = self.spec.method == "get" and answer.status == 200
        # A form whose answer must not travel through the session (new recovery codes) is taken in place.
        shown = shown or (answer.status == 200 and '<p class="flash flash-success">' in answer.text)
        # A form whose answer is a file to keep (the survey's one-time codes, made once) is taken as a download.
        shown = shown or (answer.status == 200 and answer.page is None and answer.text.startswith("PK"))
        if not (shown or answer.redirected or answer.errors() or (answer.page and answer.page.has_alert())):
            raise HostileFailure(f"{self.spec}: neither taken nor refused with a message: {answer.describe()}")
        return answer
