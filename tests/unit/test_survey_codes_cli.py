"""`flask survey codes` writes the codes of a round in a district to a CSV and a printable sheet with a QR code
each, and keeps only their hashes; it refuses a round that has closed."""
from __future__ import annotations

import csv
import re
import stat
from datetime import timedelta

from app.core.db import utcnow
from app.extensions import db
from app.surveys import codes
from app.surveys.models import AccessCode, Reach, SurveyRound
from tests.helpers import make_user
from tests.survey_fixtures import make_survey_round

CODE = re.compile(r"^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}$")


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["survey", "codes", *args])


def test_codes_are_written_to_a_csv_and_a_printable_sheet_and_only_their_hashes_are_kept(app, tmp_path):
    ids = make_survey_round(app, make_user(app, role="admin").id, reach=Reach.CODES)
    out = tmp_path / "print"
    result = _run(app, "--round", str(ids.round), "--count", "40", "--district", "lademoen", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "40 codes" in result.output

    [csv_path] = out.glob("*.csv")
    [html_path] = out.glob("*.html")
    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    printed = [row["code"] for row in rows]
    assert len(printed) == len(set(printed)) == 40
    assert all(CODE.match(code) for code in printed)
    assert {row["district"] for row in rows} == {"lademoen"}
    assert all(row["url"].endswith(f"/surveys/{ids.round}/code/{row['code']}") for row in rows)

    sheet = html_path.read_text(encoding="utf-8")
    assert sheet.count("<svg") == 40 and all(code in sheet for code in printed)
    assert "<script" not in sheet and "Områdeundersøkelsen" in sheet
    for path in (csv_path, html_path):   # the only copy of codes that open the survey
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    with app.app_context():
        stored = db.session.scalars(db.select(AccessCode.code_hash)).all()
        survey_round = db.session.get_one(SurveyRound, ids.round)
        assert sorted(stored) == sorted(codes.code_hash(code) for code in printed)
        assert not set(stored) & set(printed) and not any(code in h or codes.normalise(code) in h
                                                          for code in printed for h in stored)
        lademoen = next(row for row in survey_round.coverage if row.district.slug == "lademoen")
        assert lademoen.reached == 40


def test_a_closed_round_gets_no_codes_and_no_files(app, tmp_path):
    ids = make_survey_round(app, make_user(app, role="admin").id, reach=Reach.CODES)
    with app.app_context():
        db.session.get_one(SurveyRound, ids.round).closes_at = utcnow() - timedelta(minutes=1)
        db.session.get_one(SurveyRound, ids.round).opens_at = utcnow() - timedelta(days=10)
        db.session.commit()
    result = _run(app, "--round", str(ids.round), "--count", "5", "--district", "lademoen", "--out", str(tmp_path))
    assert result.exit_code != 0 and "closed" in result.output
    assert list(tmp_path.iterdir()) == []
    with app.app_context():
        assert db.session.scalars(db.select(AccessCode)).all() == []


def test_codes_are_refused_for_a_district_outside_the_round_or_a_round_without_codes(app, tmp_path):
    admin = make_user(app, role="admin")
    coded = make_survey_round(app, admin.id, reach=Reach.CODES)
    open_link = make_survey_round(app, admin.id, reach=Reach.OPEN)
    for args, said in (((coded.round, "tempe-sorgenfri"), "does not cover"), ((coded.round, "nowhere"), "no district"),
                       ((open_link.round, "lademoen"), "not answered with codes"), ((9999, "lademoen"), "no round")):
        result = _run(app, "--round", str(args[0]), "--count", "5", "--district", args[1], "--out", str(tmp_path))
        assert result.exit_code != 0 and said in result.output, result.output
    assert list(tmp_path.iterdir()) == []
