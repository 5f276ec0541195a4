"""Files as people (and attackers) upload them, made in the test: a phone photo with GPS, a turned one,
a decompression bomb, an SVG with a script, a PHP/HTML polyglot, a truncated photo, one far too large."""
from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image, ImageCms

pillow_heif.register_heif_opener()

# Where the phone was: a home in Lademoen.
GPS = {1: "N", 2: (63.0, 26.0, 1.5), 3: "E", 4: (10.0, 25.0, 12.0)}


def image(size=(400, 300), colour=(40, 120, 200)) -> Image.Image:
    return Image.new("RGB", size, colour)


def encoded(img: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def phone_jpeg(size=(1600, 1200), orientation: int = 1) -> bytes:
    """A JPEG with what a phone writes: maker, model, time, GPS position, an ICC profile, XMP, a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif[0x0132] = "2026:11:30 18:45:10"
    exif.get_ifd(0x8825).update(GPS)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(image(size), "JPEG", exif=exif.tobytes(), icc_profile=icc,
                   xmp=b"<x:xmpmeta><exif:GPSLatitude>63,26.025N</exif:GPSLatitude></x:xmpmeta>",
                   comment=b"Kari's phone")


def turned_jpeg() -> bytes:
    """Stored lying on its side (200 wide, 100 high; red left, blue right) with orientation 6: shown
    upright it is 100 wide and 200 high, red on top."""
    img = Image.new("RGB", (200, 100), (220, 0, 0))
    img.paste((0, 0, 220), (100, 0, 200, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    return encoded(img, "JPEG", exif=exif.tobytes(), quality=95)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels: a bomb's header, a few dozen bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def png_bomb() -> bytes:
    """A real PNG of 8,000 × 8,000 black pixels (64 megapixels) in a few dozen kilobytes."""
    return encoded(Image.new("1", (8000, 8000)), "PNG", optimize=True)


SVG_WITH_SCRIPT = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" '
                   b'height="100" onload="alert(document.cookie)"><script>alert(1)</script>'
                   b'<rect width="100" height="100" fill="red"/></svg>')


def php_polyglot() -> bytes:
    return b"<?php system($_GET['c']); ?>" + encoded(image(), "JPEG")


def html_polyglot() -> bytes:
    return b"<html><body><script>alert(document.cookie)</script></body></html>" + encoded(image(), "JPEG")


def jpeg_with_php_inside() -> bytes:
    """A real JPEG carrying PHP in its comment: accepted, since it is a photo; the comment does not survive."""
    return encoded(image(), "JPEG", comment=b"<?php system($_GET['c']); ?>")


def truncated_jpeg() -> bytes:
    data = encoded(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG", quality=90)
    return data[: len(data) // 2]


def forty_megabytes() -> bytes:
    return b"\xff\xd8\xff\xe0" + b"\0" * (40 * 1024 * 1024)


def png() -> bytes:
    rgba = Image.new("RGBA", (500, 400), (10, 200, 10, 128))
    return encoded(rgba, "PNG")


def webp() -> bytes:
    return encoded(image((700, 500)), "WEBP", quality=80)


def heic() -> bytes:
    return encoded(image((900, 600)), "HEIF", quality=80)


def make_photo(app, *, idea_id: int | None = None, feedback_id: int | None = None, event_id: int | None = None,
               place_id: int | None = None, by_id: int | None = None, data: bytes | None = None,
               alt_text: str = "En knekt benk ved lekeplassen", held: bool = False, **state) -> str:
    """A photo added through the service to one owner, committed, then put in ``state``; its key."""
    from app.accounts.models import User
    from app.events.models import Event
    from app.extensions import db
    from app.meeting_places.models import MeetingPlace
    from app.photos import services
    from app.submissions.models import Submission

    with app.test_request_context():
        owner = (db.session.get(Submission, idea_id or feedback_id) if idea_id or feedback_id
                 else db.session.get(Event, event_id) if event_id else db.session.get(MeetingPlace, place_id))
        by = db.session.get(User, by_id) if by_id else None
        photo = services.add_photo(owner, data or phone_jpeg(), alt_text=alt_text, by=by, held=held)
        for name, value in state.items():
            setattr(photo, name, value)
        db.session.commit()
        return photo.key


def make_feedback(app, district: str = "lademoen") -> int:
    from app.districts.services import get_district
    from app.extensions import db
    from app.feedback import services

    with app.test_request_context():
        feedback = services.submit_feedback(get_district(district), "Det er mørkt ved undergangen.", {"safety": 2},
                                            None, None, None, None, False, "192.0.2.1")
        db.session.commit()
        return feedback.id
