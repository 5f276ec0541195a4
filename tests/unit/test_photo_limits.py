"""Uploads that are photos in name but would cost minutes of work or hundreds of MB to unpack, or that
break an encoder: each refused (or taken) with a message, never a crash, and a storage that is away
gives a plain answer."""
from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from app.photos.processing import MAX_JPEG_SCANS, PhotoRefused, process
from app.photos.storage import FileStorage
from tests import photo_samples as samples
from tests.helpers import make_idea, make_user


def refusal(data: bytes) -> str:
    with pytest.raises(PhotoRefused) as refused:
        process(io.BytesIO(data))
    return str(refused.value.message)


def png_header(width: int, height: int, colour_type: int) -> bytes:
    """A PNG's first chunks claiming ``width`` × ``height`` pixels of ``colour_type`` (6: RGBA)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def many_scans(copies: int) -> bytes:
    """A real progressive JPEG whose last pass is repeated ``copies`` times: a small file that takes
    minutes to decode when the copies are many."""
    out = io.BytesIO()
    samples.image((64, 64)).save(out, "JPEG", progressive=True)
    data = out.getvalue()
    last_scan = data.rindex(b"\xff\xda")
    tables = data.rindex(b"\xff\xc4", 0, last_scan)
    return data[:-2] + data[tables:-2] * copies + b"\xff\xd9"


def test_a_transparent_png_that_would_take_hundreds_of_mb_to_unpack_is_refused_from_its_header(app):
    # 7,070 × 7,070 RGBA is under the 50-megapixel limit, but four bytes a pixel: 200 MB before any copy.
    with app.test_request_context("/?lang=en"):
        assert "too many pixels" in refusal(png_header(7070, 7070, 6))


def test_a_jpeg_with_thousands_of_passes_is_refused_at_once(app):
    data = many_scans(MAX_JPEG_SCANS * 4)
    assert len(data) < 200_000
    started = time.monotonic()
    with app.test_request_context("/?lang=en"):
        assert "could not be read" in refusal(data)
    assert time.monotonic() - started < 1


def test_a_progressive_jpeg_with_a_few_passes_is_taken(app):
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(many_scans(3)))
    assert processed.width == 64


def test_a_long_scrolling_screenshot_is_refused_asking_to_crop_it(app):
    with app.test_request_context("/?lang=en"):
        assert "long and narrow" in refusal(png_header(1080, 20000, 2))


def test_a_phone_panorama_is_taken(app):
    out = io.BytesIO()
    samples.image((4000, 900)).save(out, "JPEG")
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(out.getvalue()))
    assert (processed.width, processed.height) == (1280, 288)


def test_a_photo_with_a_damaged_exif_block_is_taken_as_it_is(app):
    damaged = bytearray(samples.phone_jpeg((300, 200), orientation=6))
    damaged[140] = 67     # an EXIF tag of a type Pillow does not know: its orientation reader fails
    with app.test_request_context("/?lang=en"):
        processed = process(io.BytesIO(bytes(damaged)))
    assert Image.open(io.BytesIO(processed.files[(processed.width, "jpg")])).getexif() == {}


def test_photos_answer_a_plain_503_while_their_storage_is_away(app, tmp_path):
    key = samples.make_photo(app, idea_id=make_idea(app, make_user(app)))
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    app.extensions["photo_storage"] = FileStorage(not_a_folder)
    answer = app.test_client().get(f"/photos/{key}-320.jpg?lang=en")
    assert answer.status_code == 503
    assert "cannot be shown just now" in answer.get_data(as_text=True)
