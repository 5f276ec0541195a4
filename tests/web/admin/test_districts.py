"""Districts, effort areas and sub-themes in /admin/districts: what an admin sees, what changes on the
public pages, what the audit log says, and that a retired district keeps its history."""
from __future__ import annotations

import pytest

from app.core.models import AuditEntry
from app.districts.models import District, EffortArea, SubTheme
from app.extensions import db
from app.ideas.models import Idea
from tests.helpers import (
    PASSWORD,
    Browser,
    count_queries,
    form_fields,
    make_idea,
    make_organisation,
    make_user,
    soup,
)

BODY = "Det trengs flere benker i parken, særlig i skyggen ved lekeplassen."


@pytest.fixture
def admin(client, login_as):
    """A signed-in admin reading the site in English (the messages' own words)."""
    user = login_as("admin", two_factor=True)
    client.set_cookie("lang", "en")
    return user


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)
                                     .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(entries)


def _district(app, slug: str) -> District:
    with app.app_context():
        district = db.session.scalar(db.select(District).where(District.slug == slug))
        db.session.expunge_all()
        return district


def _new_district(client, slug="saupstad", **fields):
    data = {"slug": slug, "name_nb": "Saupstad", "name_nn": "Saupstad", "name_en": "Saupstad",
            "description_nb": "Saupstad ligger sør i byen.", "description_nn": "Saupstad ligg sør i byen.",
            "description_en": "Saupstad is in the south of the city."} | fields
    return client.submit("/admin/districts/new", data)


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_every_district_marked_and_the_four_effort_areas_with_edit_links(app, client, admin):
    with app.app_context():
        db.session.scalar(db.select(District).where(District.slug == "mollenberg")).retired_at = db.func.now()
        db.session.commit()
    response = client.get("/admin/districts")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("nav.admin-sections a[aria-current=page]")["href"] == "/admin/districts"
    rows = page.find(id="districts-title").find_parent("section").select("tbody tr")
    assert [r.find("th").get_text(strip=True) for r in rows] == ["Lademoen", "Tempe-Sorgenfri", "Møllenberg"]
    assert rows[0].find(class_="badge") is None and rows[2].find(class_="badge").get_text() == "Retired"
    assert rows[0].find("a", href="/admin/districts/lademoen/edit") is not None
    assert rows[0].find("a", href="/admin/districts/lademoen/retire") is not None
    assert rows[2].find("a", href="/admin/districts/mollenberg/retire") is None  # retired already
    areas = page.find(id="areas-title").find_parent("section")
    assert [a["href"] for a in areas.select("a[href^='/admin/effort-areas/']")] == [
        f"/admin/effort-areas/{n}/edit" for n in (1, 2, 3, 4)]
    assert "Social housing policy" in areas.get_text()
    assert page.find("a", href="/admin/districts/new") is not None


def test_the_list_runs_the_same_number_of_queries_with_many_districts_and_sub_themes(app, client, admin):
    client.get("/admin/districts")
    with count_queries(app) as few:
        assert client.get("/admin/districts").status_code == 200
    with app.app_context():
        for n in range(12):
            db.session.add(District(slug=f"ekstra-{n}", position=10 + n, name_nb=f"Ekstra {n}", name_nn="", name_en=""))
        area = db.session.scalar(db.select(EffortArea).where(EffortArea.number == 1))
        for n in range(8):
            area.sub_themes.append(SubTheme(slug=f"tema-{n}", position=20 + n, label_nb=f"Tema {n}", label_nn="", label_en=""))
        db.session.commit()
    with count_queries(app) as many:
        page = client.get("/admin/districts")
    assert "Ekstra 11" in page.get_data(as_text=True) and "Tema 7" in page.get_data(as_text=True)
    assert len(many) == len(few)


def test_the_list_is_paginated(app, client, admin):
    with app.app_context():
        for n in range(50):
            db.session.add(District(slug=f"ekstra-{n:02d}", position=10 + n, name_nb=f"Ekstra {n:02d}", name_nn="",
                                    name_en=""))
        db.session.commit()
    first = soup(client.get("/admin/districts"))
    assert first.find("a", rel="next")["href"] == "/admin/districts?page=2"
    second = soup(client.get("/admin/districts?page=2"))
    names = [th.get_text(strip=True) for th in second.find(id="districts-title").find_parent("section").select("tbody th")]
    assert names == ["Ekstra 47", "Ekstra 48", "Ekstra 49"]


# --- editing a district --------------------------------------------------------------------------------


def test_an_admin_corrects_a_district_and_its_page_shows_it_in_that_language(app, client, admin):
    form = soup(client.get("/admin/districts/lademoen/edit"))
    assert form.find("input", {"name": "name_nn"})["value"] == "Lademoen"
    assert form.find(id="description_nb").find_previous("label").get_text(strip=True).startswith("Description in Bokmål")
    response = client.submit("/admin/districts/lademoen/edit", {
        "name_nn": "Lademoen (nynorsk)", "description_nn": "Lademoen er ein *levande* bydel.", "position": "5"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/districts"
    visitor = Browser(app)
    page = soup(visitor.get("/districts/lademoen?lang=nn"))
    assert page.find("h1").get_text() == "Lademoen (nynorsk)"
    assert page.select_one(".prose em").get_text() == "levande"
    assert soup(visitor.get("/districts/lademoen?lang=nb")).find("h1").get_text() == "Lademoen"
    [entry] = _audit(app, "district.update")
    assert entry.actor_id == admin.id and entry.target_type == "District"
    assert entry.changed_fields == ["description_nn", "name_nn", "position"]
    assert entry.changes == {}  # the texts themselves are not copied into the log
    assert _district(app, "lademoen").position == 5


def test_saving_without_changes_writes_no_audit_entry(app, client, admin):
    assert client.submit("/admin/districts/lademoen/edit", {}).status_code == 302
    assert _audit(app, "district.update") == []


def test_script_in_a_description_is_shown_as_text_never_run(app, client, admin):
    client.submit("/admin/districts/lademoen/edit", {
        "description_nb": "Hei <script>alert(1)</script> [lenke](javascript:alert(2)) <img src=x onerror=alert(3)>"})
    visitor = Browser(app)  # reads Bokmål
    page = visitor.get("/districts/lademoen").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "javascript:" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the text it is
    assert "<script>alert(1)" not in visitor.get("/districts/").get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("name_nb", "", "Give the name in Bokmål."),
    ("name_en", "x" * 121, "under 120 characters"),
    ("name_nn", "Med\x00nullbyte", "control characters"),
    ("position", "først", "Not a valid integer value"),
    ("position", "1000", "from 0 to 999"),
])
def test_a_wrong_value_is_refused_beside_its_field_and_the_rest_is_kept(app, client, admin, field, value, message):
    data = {"description_nb": "Ny beskrivelse som skal bli stående.", field: value}
    response = client.submit("/admin/districts/lademoen/edit", data)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.find(id=f"{field}-error").get_text()
    assert page.find("textarea", {"name": "description_nb"}).text.strip() == "Ny beskrivelse som skal bli stående."
    assert page.select_one(".error-summary a")["href"] == f"#{field}"
    assert _audit(app, "district.update") == []


def test_an_unknown_district_is_404(client, admin):
    assert client.get("/admin/districts/saupstad/edit").status_code == 404
    assert client.get("/admin/districts/saupstad/retire").status_code == 404


# --- adding a district ---------------------------------------------------------------------------------


def test_a_new_district_works_everywhere_without_code(app, client, admin):
    response = _new_district(client)
    assert response.status_code == 302
    saupstad = _district(app, "saupstad")
    assert saupstad.position == 3 and saupstad.retired_at is None
    [entry] = _audit(app, "district.create")
    assert entry.target_id == str(saupstad.id) and entry.changes == {"slug": [None, "saupstad"]}

    # A resident proposes an idea in it, and it shows on the district's page.
    resident = Browser(app)
    user = make_user(app)
    resident.submit("/account/login", {"email": user.email, "password": PASSWORD})
    page = soup(resident.get("/districts/saupstad"))
    assert page.find("h1").get_text() == "Saupstad"
    assert page.find("a", href="/ideas/new?district=saupstad") is not None
    form = soup(resident.get("/ideas/new?district=saupstad"))
    assert form.find("option", value="saupstad", selected=True) is not None
    values = form_fields(resident.get("/ideas/new"), "/ideas/new")
    values.update(district="saupstad", title="Lys langs gangveien", body=BODY, publish="1")
    assert resident.post("/ideas/new", data=values).status_code == 302
    district_page = soup(resident.get("/districts/saupstad"))
    assert "Lys langs gangveien" in district_page.find(id="ideas-title").find_parent("section").get_text()
    ideas = soup(resident.get("/ideas/?district=saupstad"))
    assert "Lys langs gangveien" in ideas.get_text() and ideas.find("option", value="saupstad") is not None

    # Feedback, organisations, the home page, insights and the API know it too.
    assert resident.get("/districts/saupstad/feedback").status_code == 200
    assert soup(resident.get("/organisations/apply")).find("input", value="saupstad") is not None
    assert Browser(app).get("/").get_data(as_text=True).count("/districts/saupstad") >= 1
    assert "Saupstad" in Browser(app).get("/").get_data(as_text=True)
    assert soup(Browser(app).get("/insights/")).find("input", {"name": "district", "value": "saupstad"}) is not None
    assert "saupstad" in [d["slug"] for d in Browser(app).get("/api/v1/districts").get_json()["items"]]
    api_ideas = Browser(app).get("/api/v1/ideas?district=saupstad").get_json()["items"]
    assert [i["title"] for i in api_ideas] == ["Lys langs gangveien"]

    # Staff: its meeting places, events, and moderators.
    assert soup(client.get("/meeting-places/new")).find("option", value="saupstad") is not None
    organiser = make_user(app)
    make_organisation(app, organiser, districts=("saupstad",), name="Saupstad-laget")
    events = Browser(app)
    events.submit("/account/login", {"email": organiser.email, "password": PASSWORD})
    assert soup(events.get("/events/new")).find("option", value="saupstad") is not None
    with app.test_request_context():
        from app.districts.services import open_districts

        assert "saupstad" in [d.slug for d in open_districts()]


def test_a_new_district_needs_a_short_name_that_fits_and_is_free(app, client, admin):
    for slug, message in [("", "Give a short name"), ("Ny/by", "Use only lowercase letters"),
                          ("lademoen", "That short name is taken"), ("x", "between 2 and 64 characters"),
                          ("ny--by", "Use only lowercase letters"), ("æøå", "Use only lowercase letters")]:
        response = _new_district(client, slug=slug, name_nb="Nye byen")
        assert response.status_code == 400, slug
        page = soup(response)
        assert message in page.find(id="slug-error").get_text(), slug
        assert page.find("input", {"name": "name_nb"})["value"] == "Nye byen"
    assert _audit(app, "district.create") == []


def test_a_short_name_is_written_in_lowercase_with_hyphens(app, client, admin):
    assert _new_district(client, slug="  Nye Byen ").status_code == 302
    assert _district(app, "nye-byen") is not None


def test_a_double_clicked_new_district_is_added_once(app, client, admin):
    values = form_fields(client.get("/admin/districts/new"), "/admin/districts/new")
    values.update(slug="saupstad", name_nb="Saupstad")
    first, second = client.post("/admin/districts/new", data=values), client.post("/admin/districts/new", data=values)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(District)) == 4
    assert len(_audit(app, "district.create")) == 1


# --- retiring and reinstating --------------------------------------------------------------------------------


def _retire(client, slug="mollenberg", confirm=True):
    return client.submit(f"/admin/districts/{slug}/retire", {"confirm": "y"} if confirm else {})


def test_retiring_asks_for_a_confirmation_first(app, client, admin):
    page = soup(client.get("/admin/districts/mollenberg/retire"))
    assert page.find("input", {"type": "checkbox", "name": "confirm"}) is not None
    refused = _retire(client, confirm=False)
    assert refused.status_code == 400
    assert "Tick the box" in soup(refused).find(id="confirm-error").get_text()
    assert _district(app, "mollenberg").retired_at is None
    assert _retire(client).status_code == 302
    assert _district(app, "mollenberg").retired_at is not None
    [entry] = _audit(app, "district.retire")
    assert entry.actor_id == admin.id and entry.changes == {"retired": [False, True]}


def test_a_retired_district_leaves_menus_and_forms_but_its_history_stays_readable(app, client, admin):
    author = make_user(app)
    idea_id = make_idea(app, author, district="mollenberg", title="Benker ved elva")
    _retire(client)
    visitor = Browser(app)
    home = soup(visitor.get("/"))
    assert home.find(id="districts-title").find_parent("section").find("a", href="/districts/mollenberg") is None
    assert "Møllenberg" not in home.select_one(".lead").get_text()
    index = soup(visitor.get("/districts/"))
    assert index.select_one("ul.cards").find("a", href="/districts/mollenberg") is None
    assert index.find(id="retired-title").find_parent("section").find("a", href="/districts/mollenberg") is not None
    page = visitor.get("/districts/mollenberg")
    assert page.status_code == 200
    assert "no longer active" in soup(Browser(app).get("/districts/mollenberg?lang=en")).select_one(".notice").get_text()
    assert soup(page).find("a", href="/ideas/new?district=mollenberg") is None
    assert "Benker ved elva" in page.get_data(as_text=True)
    assert visitor.get(f"/ideas/{idea_id}").status_code == 200
    assert soup(visitor.get("/ideas/")).find("option", value="mollenberg") is not None  # filters still find it
    assert soup(visitor.get("/meeting-places/")).select_one("nav ul.tabs-plain a[href$='district=mollenberg']") is None
    assert visitor.get("/districts/mollenberg/feedback").status_code == 410
    assert visitor.get("/districts/mollenberg/events.ics").status_code == 200
    api = {d["slug"]: d for d in visitor.get("/api/v1/districts").get_json()["items"]}
    assert api["mollenberg"]["active"] is False and api["lademoen"]["active"] is True
    assert [i["id"] for i in visitor.get("/api/v1/ideas?district=mollenberg").get_json()["items"]] == [idea_id]
    assert soup(visitor.get("/insights/")).find("input", {"name": "district", "value": "mollenberg"}) is not None

    resident = Browser(app)
    resident.submit("/account/login", {"email": author.email, "password": PASSWORD})
    assert soup(resident.get("/ideas/new")).find("option", value="mollenberg") is None
    assert soup(resident.get("/organisations/apply")).find("input", value="mollenberg") is None
    values = form_fields(resident.get("/ideas/new"), "/ideas/new")
    values.update(district="mollenberg", title="Enda et forslag", body=BODY, publish="1")
    assert resident.post("/ideas/new", data=values).status_code == 400
    assert soup(client.get("/meeting-places/new")).find("option", value="mollenberg") is None
    with app.test_request_context():
        from app.districts.services import open_districts

        assert "mollenberg" not in [d.slug for d in open_districts()]
        assert db.session.scalar(db.select(db.func.count()).select_from(Idea)) == 1


def test_the_author_can_still_edit_an_idea_in_a_retired_district_but_not_move_one_there(app, client, login_as):
    author = login_as("resident")
    idea_id = make_idea(app, author, district="mollenberg", title="Benker ved elva")
    other_id = make_idea(app, author, district="lademoen", title="Lys i undergangen")
    with app.app_context():
        db.session.scalar(db.select(District).where(District.slug == "mollenberg")).retired_at = db.func.now()
        db.session.commit()
    form = soup(client.get(f"/ideas/{idea_id}/edit"))
    assert form.find("option", value="mollenberg", selected=True) is not None
    assert client.submit(f"/ideas/{idea_id}/edit", {"title": "Benker langs elva"}).status_code == 302
    assert soup(client.get(f"/ideas/{other_id}/edit")).find("option", value="mollenberg") is None
    assert client.submit(f"/ideas/{other_id}/edit", {"district": "mollenberg"}).status_code == 400
    with app.app_context():
        assert db.session.get(Idea, idea_id).title == "Benker langs elva"
        assert db.session.get(Idea, other_id).district.slug == "lademoen"


def test_reinstating_opens_the_district_again(app, client, admin):
    _retire(client)
    edit = soup(client.get("/admin/districts/mollenberg/edit"))
    assert edit.find("form", action="/admin/districts/mollenberg/reinstate") is not None
    response = client.submit("/admin/districts/mollenberg/reinstate", {}, page="/admin/districts/mollenberg/edit")
    assert response.status_code == 302
    assert _district(app, "mollenberg").retired_at is None
    [entry] = _audit(app, "district.reinstate")
    assert entry.changes == {"retired": [True, False]}
    assert Browser(app).get("/districts/mollenberg/feedback").status_code == 200
    again = client.submit("/admin/districts/mollenberg/reinstate", {}, page="/admin/districts/mollenberg/edit")
    assert again.status_code == 302 and len(_audit(app, "district.reinstate")) == 1


def test_the_last_active_district_cannot_be_retired(app, client, admin):
    _retire(client, "mollenberg")
    _retire(client, "tempe-sorgenfri")
    refused = _retire(client, "lademoen")
    assert refused.status_code == 400
    assert "At least one district must stay active" in soup(refused).find(id="confirm-error").get_text()
    assert _district(app, "lademoen").retired_at is None


# --- effort areas and sub-themes -------------------------------------------------------------------------


def test_an_admin_corrects_the_nynorsk_text_of_effort_area_2_and_the_audit_log_shows_it(app, client, admin):
    page = soup(client.get("/admin/effort-areas/2/edit"))
    old = page.find("textarea", {"name": "description_nn"}).text.strip()
    response = client.submit("/admin/effort-areas/2/edit", {"description_nn": old + "\n\nRetta av kommunen."})
    assert response.status_code == 302
    public = soup(Browser(app).get("/effort-areas/2?lang=nn"))
    assert "Retta av kommunen." in public.select_one(".prose").get_text()
    log = soup(client.get("/moderation/audit"))
    first = log.select("tbody tr")[0].get_text(" ", strip=True)
    assert "Effort area changed" in first and "description in Nynorsk" in first
    [entry] = _audit(app, "effort_area.update")
    assert entry.changed_fields == ["description_nn"] and entry.target_type == "EffortArea"


def test_sub_theme_fields_say_which_sub_theme_and_language_they_are_for(client, admin):
    page = soup(client.get("/admin/effort-areas/3/edit"))
    label = page.find("label", {"for": "sub_themes-0-label_nn"}).contents[0].strip()
    assert label == "Label in Nynorsk for sub-theme “Social housing policy”"
    assert page.find("input", {"name": "sub_themes-0-theme"})["value"] == "social-housing-policy"
    assert page.find("label", {"for": "sub_themes-0-remove"}) is not None


def test_an_admin_relabels_a_sub_theme(app, client, admin):
    response = client.submit("/admin/effort-areas/3/edit", {"sub_themes-0-label_en": "Housing policy for everyone"})
    assert response.status_code == 302
    [entry] = _audit(app, "sub_theme.update")
    assert entry.changed_fields == ["label_en"]
    areas = Browser(app).get("/api/v1/effort-areas").get_json()["items"]
    assert areas[2]["sub_themes"][0]["title"]["en"] == "Housing policy for everyone"
    assert _audit(app, "effort_area.update") == []


def test_an_empty_label_is_refused_beside_it_and_nothing_is_saved(app, client, admin):
    response = client.submit("/admin/effort-areas/3/edit", {"sub_themes-1-label_nb": "", "title_nn": "Ny tittel"})
    assert response.status_code == 400
    page = soup(response)
    assert "Give the label in Bokmål" in page.find(id="sub_themes-1-label_nb-error").get_text()
    assert page.select_one(".error-summary a")["href"] == "#sub_themes-1-label_nb"
    assert page.find("input", {"name": "title_nn"})["value"] == "Ny tittel"
    assert _audit(app, "effort_area.update") == []


def test_adding_a_sub_theme(app, client, admin):
    response = client.submit("/admin/effort-areas/1/sub-themes/new", {
        "slug": "Trygge skoleveier", "label_nb": "Trygge skoleveier", "label_nn": "Trygge skulevegar",
        "label_en": "Safe routes to school"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/effort-areas/1/edit"
    with app.app_context():
        theme = db.session.scalar(db.select(SubTheme).where(SubTheme.slug == "trygge-skoleveier"))
        assert theme.effort_area.number == 1 and theme.label_nn == "Trygge skulevegar"
        assert theme.position == max(t.position for t in theme.effort_area.sub_themes)
    [entry] = _audit(app, "sub_theme.create")
    assert entry.changes == {"slug": [None, "trygge-skoleveier"], "effort_area": [None, 1]}
    assert "Trygge skoleveier" in Browser(app).get("/effort-areas/1").get_data(as_text=True)
    taken = client.submit("/admin/effort-areas/2/sub-themes/new", {"slug": "social-housing-policy", "label_nb": "X"})
    assert taken.status_code == 400 and "taken" in soup(taken).find(id="slug-error").get_text()
    missing = client.submit("/admin/effort-areas/2/sub-themes/new", {"slug": "nytt-tema", "label_nb": ""})
    assert missing.status_code == 400 and soup(missing).find(id="label_nb-error") is not None
    assert client.get("/admin/effort-areas/9/sub-themes/new").status_code == 404


def test_a_double_clicked_sub_theme_is_added_once(app, client, admin):
    values = form_fields(client.get("/admin/effort-areas/1/sub-themes/new"), "/admin/effort-areas/1/sub-themes/new")
    values.update(slug="nytt-tema", label_nb="Nytt tema")
    first = client.post("/admin/effort-areas/1/sub-themes/new", data=values)
    second = client.post("/admin/effort-areas/1/sub-themes/new", data=values)
    assert first.status_code == second.status_code == 302
    assert len(_audit(app, "sub_theme.create")) == 1


def test_a_sub_theme_nothing_is_sorted_under_can_be_removed(app, client, admin):
    response = client.submit("/admin/effort-areas/4/edit", {"sub_themes-3-remove": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(SubTheme).where(SubTheme.slug == "education-cooperation")) is None
    [entry] = _audit(app, "sub_theme.delete")
    assert entry.changes == {"slug": ["education-cooperation", None]}


def test_a_sub_theme_in_use_stays_and_the_page_says_why_beside_it(app, client, admin):
    author = make_user(app)
    idea_id = make_idea(app, author, district="lademoen")
    with app.app_context():
        theme = db.session.scalar(db.select(SubTheme).where(SubTheme.slug == "research-cooperation"))
        db.session.get(Idea, idea_id).sub_themes = [theme]
        db.session.commit()
    page = soup(client.get("/admin/effort-areas/4/edit"))
    used = page.find("input", {"value": "research-cooperation"}).find_parent("fieldset")
    assert used.find("input", {"name": "sub_themes-0-remove"}) is None
    assert "1 submission is sorted under it" in used.get_text()
    assert page.find("input", {"name": "sub_themes-1-remove"}) is not None
    # Sent anyway (the page was opened before it was used): refused beside it, nothing changes.
    response = client.submit("/admin/effort-areas/4/edit", {"sub_themes-0-remove": "y", "title_nn": "Endra"})
    assert response.status_code == 400
    error = soup(response).find(id="sub_themes-0-remove-error").get_text()
    assert "cannot be removed" in error
    with app.app_context():
        assert db.session.scalar(db.select(SubTheme).where(SubTheme.slug == "research-cooperation")) is not None
        assert db.session.scalar(db.select(EffortArea).where(EffortArea.number == 4)).title_nn != "Endra"
    assert _audit(app, "sub_theme.delete") == [] and _audit(app, "effort_area.update") == []


# --- the page cache --------------------------------------------------------------------------------------


def test_a_cached_public_page_shows_the_change_at_the_next_request(app_factory, tmp_path):
    app = app_factory(PAGE_CACHE_SECONDS=30, PAGE_CACHE_GENERATION_FILE=str(tmp_path / "generation"))
    for path in ("/districts/lademoen", "/effort-areas/2", "/"):
        app.test_client().get(path)
        with count_queries(app) as statements:
            assert app.test_client().get(path).status_code == 200
        assert statements == [], f"{path} is not kept in the cache"
    admin = Browser(app)
    user = make_user(app, role="admin")
    assert admin.submit("/account/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    assert admin.submit("/admin/districts/lademoen/edit", {"name_nb": "Lademoen og Rosenborg",
                                                           "description_nb": "Ny tekst om bydelen."}).status_code == 302
    assert admin.submit("/admin/effort-areas/2/edit", {"title_nb": "Bygge sterke lokalsamfunn",
                                                       "public_name_nb": "Sterke nabolag"}).status_code == 302
    page = soup(app.test_client().get("/districts/lademoen"))
    assert page.find("h1").get_text() == "Lademoen og Rosenborg"
    assert page.select_one(".prose").get_text(strip=True) == "Ny tekst om bydelen."
    assert "Sterke nabolag" in page.find(id="areas-title").find_parent("section").get_text()
    assert soup(app.test_client().get("/effort-areas/2")).find("h1").get_text() == "Bygge sterke lokalsamfunn"
    assert "Lademoen og Rosenborg" in app.test_client().get("/").get_data(as_text=True)
