"""Codes and addresses keep their order inside right-to-left text: each is a unit written left to right."""
from __future__ import annotations

from bs4 import BeautifulSoup

from app.core.sanitize import markdown_to_html, plain_text_to_html
from app.core.templating import isolated, left_to_right


def test_a_code_in_a_sentence_is_isolated_left_to_right_and_escaped():
    assert left_to_right("ABCD-EFGH-JKLM") == '<bdi dir="ltr">ABCD-EFGH-JKLM</bdi>'
    assert left_to_right("<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'


def test_a_name_is_a_unit_of_its_own_in_the_direction_of_its_first_letter():
    assert isolated("Rowena D.") == "<bdi>Rowena D.</bdi>"
    assert isolated("<i>") == "<bdi>&lt;i&gt;</bdi>"


def test_an_address_written_out_is_a_left_to_right_link_and_worded_links_keep_their_direction():
    html = BeautifulSoup(str(markdown_to_html("Se https://trondheim.kommune.no/ og [kommunen](https://example.no/)")),
                         "html.parser")
    written_out, worded = html.find_all("a")
    assert written_out["href"] == "https://trondheim.kommune.no/" and written_out["dir"] == "ltr"
    assert worded.get_text() == "kommunen" and not worded.has_attr("dir")
    plain = BeautifulSoup(str(plain_text_to_html("انظر https://example.no/side")), "html.parser")
    assert plain.find("a")["dir"] == "ltr"
