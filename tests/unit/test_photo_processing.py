"""What an uploaded photo becomes: upright, without a trace of its metadata, at a few widths in WebP and
JPEG; and what is refused, each with a message a person understands."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from app.photos.processing import MAX_OUTPUT_BYTES, PhotoRefused, process
from tests import photo_samples as samples


def opened(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def refusal(data: bytes) -> str:
    with pytest.raises(PhotoRefused) as refused:
        process(io.BytesIO(data))
    return str(refused.value.message)


def test_a_phone_photo_with_a_gps_position_comes_out_with_no_metadata_at_all(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(samples.phone_jpeg()))
    assert processed.files
    for (width, ext), data in processed.files.items():
        img = opened(data)
        assert img.format == {"webp": "WEBP", "jpg": "JPEG"}[ext]
        assert not img.getexif(), (width, ext)
        assert not img.getexif().get_ifd(0x8825), "GPS position"
        for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"):
            assert key not in img.info, (width, ext, key)
        assert b"iPhone" not in data and b"63,26" not in data and b"Kari" not in data


def test_renditions_are_made_at_320_640_and_1280_with_the_aspect_kept(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(samples.phone_jpeg(size=(1600, 1200))))
    assert processed.widths == [320, 640, 1280]
    assert (processed.width, processed.height) == (1280, 960)
    for (width, _ext), data in processed.files.items():
        assert opened(data).size == (width, width * 3 // 4)
        assert len(data) <= MAX_OUTPUT_BYTES


def test_a_small_photo_is_never_made_larger(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(samples.encoded(samples.image((500, 250)), "JPEG")))
    assert processed.widths == [320, 500]
    assert (processed.width, processed.height) == (500, 250)


def test_a_photo_taken_with_the_phone_turned_comes_out_upright(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(samples.turned_jpeg()))
    img = opened(processed.files[(100, "jpg")]).convert("RGB")
    assert img.size == (100, 200)
    top, bottom = img.getpixel((50, 20)), img.getpixel((50, 180))
    assert top[0] > 150 and top[2] < 80, f"top should be red, is {top}"
    assert bottom[2] > 150 and bottom[0] < 80, f"bottom should be blue, is {bottom}"


@pytest.mark.parametrize("make", [samples.png, samples.webp, samples.heic], ids=["png", "webp", "heic"])
def test_png_webp_and_heic_from_phones_are_taken(app, make):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(make()))
    assert {ext for _w, ext in processed.files} == {"webp", "jpg"}
    assert opened(processed.files[(320, "jpg")]).mode == "RGB"


@pytest.mark.parametrize("data", [
    pytest.param(samples.png_bomb(), id="64-megapixel-png"),
    pytest.param(samples.png_header_only(9000, 9000), id="81-megapixels-under-pillows-own-limit"),
    pytest.param(samples.png_header_only(10000, 10000), id="100-megapixels-pillow-warns"),
    pytest.param(samples.png_header_only(100000, 100000), id="10-gigapixels-pillow-refuses"),
])
def test_a_decompression_bomb_is_refused_before_it_is_unpacked(app, data):
    with app.test_request_context("/?lang=en"):
        assert "too many pixels" in refusal(data)


@pytest.mark.parametrize("data", [
    pytest.param(samples.SVG_WITH_SCRIPT, id="svg-with-script"),
    pytest.param(samples.php_polyglot(), id="php-polyglot"),
    pytest.param(samples.html_polyglot(), id="html-polyglot"),
    pytest.param(b"GIF89a" + b"\0" * 100, id="gif"),
    pytest.param(b"%PDF-1.7\n", id="pdf"),
])
def test_what_is_not_a_photo_is_refused_by_its_content(app, data):
    with app.test_request_context("/?lang=en"):
        assert "not a photo we can take" in refusal(data)


def test_a_real_jpeg_with_php_in_its_comment_is_taken_and_the_php_is_gone(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(samples.jpeg_with_php_inside()))
    assert all(b"<?php" not in data for data in processed.files.values())


def test_a_truncated_photo_is_refused(app):
    with app.test_request_context("/?lang=en"):
        assert "could not be read" in refusal(samples.truncated_jpeg())


def test_an_empty_file_is_refused(app):
    with app.test_request_context("/?lang=en"):
        assert "empty" in refusal(b"")


def test_a_40_megabyte_file_is_refused_saying_how_large_a_photo_may_be(app):
    with app.test_request_context("/?lang=en"):
        assert "larger than 15 MB" in refusal(samples.forty_megabytes())
