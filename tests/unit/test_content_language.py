"""The language of what people write, found offline (lingua), and the author's choice over it."""
from __future__ import annotations

import pytest

from app.translation.detect import detect_language, language_of
from app.translation.languages import direction, same_language


@pytest.mark.parametrize("text, expected", [
    ("Vi trenger flere benker langs stien ved Lademoen kirke, og noen bord der man kan spise.", "nb"),
    ("Eg meiner vi treng fleire benkar i parken, særleg i skuggen ved leikeplassen.", "nn"),
    ("We need more benches along the river path, and a few tables to eat at.", "en"),
    ("نحتاج إلى مقاعد أكثر على طول ممر النهر، وبعض الطاولات لتناول الطعام.", "ar"),
    ("Waxaan u baahanahay kuraas badan oo ku teedsan wadada webiga agtiisa.", "so"),
    ("Potrzebujemy więcej ławek wzdłuż ścieżki nad rzeką i kilku stołów.", "pl"),
    ("Нам потрібно більше лавок уздовж стежки біля річки і кілька столів.", "uk"),
    ("ብዙሕ መናበሪ ኣብ ጥቓ ሩባ ንደሊ ኢና፣ ከምኡውን ጣውላታት።", "ti"),   # Ethiopic script: Tigrinya
    ("ما به نیمکت‌های بیشتری در کنار مسیر رودخانه نیاز داریم.", "fa"),
])
def test_the_language_of_a_text_is_found(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "Ja!", "OK 👍", "12345 !!", "   "])
def test_too_short_to_tell_is_none(text):
    assert detect_language(text) is None


def test_the_authors_choice_wins_over_detection():
    assert language_of("We need more benches along the river path.", chosen="nb") == "nb"
    assert language_of("We need more benches along the river path.", chosen="xx") == "en"   # not a language we know
    assert language_of("Benker", "Vi trenger flere benker langs elva ved Nedre Elvehavn.") == "nb"


def test_directions_and_languages_read_alike(app):
    with app.app_context():
        assert direction("ar") == direction("fa") == direction("ur") == "rtl"
        assert direction("nb") == direction("ti") == direction(None) == direction("xx") == "ltr"
    assert same_language("nb", "nn") and not same_language("nb", "en")

