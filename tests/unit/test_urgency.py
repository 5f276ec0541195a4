"""Which texts are suggested to a moderator as urgent: whole words or stems, in Bokmål, Nynorsk and English."""
from __future__ import annotations

import pytest

from app.moderation.urgency import WORDS, looks_urgent, urgent_words


@pytest.mark.parametrize("text, words", [
    ("Dette er akutt, noen må komme!", ["akutt"]),
    ("Det haster med å fjerne glasset.", ["haster"]),
    ("Det hastar, nokon har truga naboen.", ["hastar", "truga"]),
    ("Han kom med trusler mot oss i oppgangen.", ["trusler"]),
    ("Heisen står, og en eldre mann sitter fast i den.", ["Heisen", "sitter fast"]),
    ("Someone is trapped and there is a gas leak.", ["trapped", "gas leak"]),
    ("There was violence outside the shop.", ["violence"]),
    ("Vold i parken om natta, det er farleg.", ["Vold", "farleg"]),
    ("Det brenner i søppelkassene, brannen sprer seg.", ["brenner", "brannen"]),
    ("There is a fire in the stairwell!", ["a fire"]),
    ("The bins were on fire again.", ["on fire"]),
    ("To menn ran meg ved kiosken.", ["ran meg"]),
    ("Barna er i fare når bilene kjører så fort.", ["i fare"]),
])
def test_urgent_texts_name_the_words_that_made_them_look_urgent(text, words):
    assert urgent_words(text) == words


@pytest.mark.parametrize("text", [
    "Heisen har vært ødelagt i en uke.",         # a nuisance: nobody is stuck
    "Fine farger på de nye benkene.",             # "farge" is not "fare"
    "Det er så trangt at brannbilen knapt kommer fram.",   # a fire engine is not a fire
    "Vi trur det blir bra med ein grillplass.",   # Nynorsk "trur" (believe) is not a threat
    "Firefox viser ikke kartet.",
    # Ordinary words in one language that are alarming in another: every list is read against every text.
    "Det er bekmørkt på gangveien fra klokka fire.",   # Norwegian "fire" is four
    "Vi har bodd her i fire år.",
    "I ran to catch the bus every morning.",           # English "ran" is not Norwegian "ran" (robbery)
    "Det hadde vært gunstig med en benk her.",         # "gunstig" is not a gun
    "Faren min går tur i parken hver dag.",            # "faren" is also the father
    "The bus fare went up again.",
    "Kan vi få et utendørs treningsapparat?",
    "",
    None,
])
def test_ordinary_texts_are_not_suggested(text):
    assert not looks_urgent(text)


def test_every_language_has_its_own_list():
    assert set(WORDS) == {"nb", "nn", "en"} and all(len(words) > 20 for words in WORDS.values())
