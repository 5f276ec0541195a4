"""Turning an upload into photos that are safe to publish.

What comes in is whatever a browser sent: the name and the stated type mean nothing. The first bytes
say what it is, and only JPEG, PNG, WebP and HEIC/HEIF (what phones take) are opened, each by its own
decoder and nothing else (no SVG, no PDF, no format that runs code). The picture is decoded under a
pixel limit (a small file that unpacks into billions of pixels is refused before it is unpacked), turned
upright by its EXIF orientation, and then drawn afresh from its pixels alone at a few widths, in WebP and
in JPEG: no EXIF (phones write the GPS position of where the photo was taken, often someone's home), no
ICC profile, no XMP, no comment survives, and the uploaded bytes are never stored or served.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageOps

from app.core.i18n import lazy_gettext as _l
from app.core.rules import RuleBroken

pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# 50 megapixels: more than any phone's normal photo (12-48 MP), far less than a bomb. A plain (baseline)
# JPEG is decoded at a fraction of its size (``draft``), so this many pixels never sit in memory at once.
MAX_PIXELS = 50_000_000
# Every other kind is unpacked whole first: what that takes in memory (the decoder's own buffers counted)
# is held under this, so one upload stays within a couple of hundred MB (a 12 MP phone HEIC takes 36 MB;
# a 4-byte-per-pixel PNG up to 32 MP). The limit is told in megapixels of the photo at hand.
MAX_DECODED_BYTES = 128 * 1024 * 1024
# A progressive JPEG is drawn in passes; phones write a handful. Thousands of passes in a small file take
# minutes of work to decode: a file with more is refused before decoding.
MAX_JPEG_SCANS = 64
# Longer and narrower than this is a scrolling screenshot or a strip, not a photo (a phone panorama is
# about 4:1); its renditions would be thousands of pixels tall.
MAX_ASPECT = 8
WIDTHS = (320, 640, 1280)
# A rendition larger than this is encoded again at the lower quality.
MAX_OUTPUT_BYTES = 400 * 1024
QUALITIES = {"WEBP": (78, 55), "JPEG": (80, 60)}

# What each accepted format starts with, and the Pillow decoder that alone may open it.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class PhotoRefused(RuleBroken):
    """An upload that is not a photo we can take; the message says why, for the field."""


@dataclass
class ProcessedPhoto:
    """The renditions of one photo: ``files[(width, "webp" | "jpg")]`` holds the encoded bytes."""

    width: int           # of the largest rendition
    height: int
    files: dict[tuple[int, str], bytes] = field(default_factory=dict)

    @property
    def widths(self) -> list[int]:
        return sorted({width for width, _ext in self.files})


def sniff(head: bytes) -> str | None:
    """The Pillow format name of ``head`` (the first bytes of a file), or None when it is none we take."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def read_limited(stream: BinaryIO, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoRefused(_l("The photo is larger than %(mb)d MB. Choose a smaller photo, or take a new one at a "
                              "lower resolution.", mb=limit // (1024 * 1024)))
    return data


def process(stream: BinaryIO | bytes, *, widths: tuple[int, ...] = WIDTHS, max_pixels: int = MAX_PIXELS,
            max_bytes: int = MAX_UPLOAD_BYTES) -> ProcessedPhoto:
    """The renditions of the photo in ``stream``, or ``PhotoRefused`` with a message saying why not."""
    data = stream if isinstance(stream, bytes) else read_limited(stream, max_bytes)
    if len(data) > max_bytes:
        raise PhotoRefused(_l("The photo is larger than %(mb)d MB. Choose a smaller photo, or take a new one at a "
                              "lower resolution.", mb=max_bytes // (1024 * 1024)))
    if not data:
        raise PhotoRefused(_l("The file is empty. Choose the photo again."))
    kind = sniff(data[:16])
    if kind is None:
        raise PhotoRefused(_l("This file is not a photo we can take. Use a JPEG, PNG, WebP or HEIC photo (what "
                              "phones and cameras save)."))
    if kind == "JPEG" and data.count(b"\xff\xda") > MAX_JPEG_SCANS:
        # In the compressed data a 0xFF byte is always followed by 0x00, so each FF DA here is a scan's start.
        raise _unreadable()
    with warnings.catch_warnings():
        # Pillow warns, then refuses, past its own limit; ours is lower, and a warning is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decode(data, kind, max_pixels, max(widths))
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError, RuntimeError, Image.UnidentifiedImageError):
            # Pillow says "broken data stream", "image file is truncated", "cannot identify image file"...
            raise _unreadable() from None
    try:
        return _renditions(image, widths)
    except (OSError, ValueError, MemoryError):
        raise _unreadable() from None


def _unreadable() -> PhotoRefused:
    return PhotoRefused(_l("The photo could not be read: the file may be damaged or only partly sent. "
                           "Choose it again, or take a new photo."))


def _too_many_pixels(max_pixels: int) -> PhotoRefused:
    return PhotoRefused(_l("The photo has too many pixels (more than %(mp)d megapixels). Choose a smaller photo.",
                           mp=max(1, max_pixels // 1_000_000)))


def _decode(data: bytes, kind: str, max_pixels: int, largest: int) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=[kind])
    width, height = image.size
    # Checked from the header, before a single pixel is unpacked.
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if width < 1 or height < 1:
        raise _unreadable()
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise PhotoRefused(_l("The picture is very long and narrow. Crop it to the part that matters, or take a "
                              "photo instead of a screenshot."))
    baseline_jpeg = kind == "JPEG" and not image.info.get("progressive")
    if not baseline_jpeg and width * height * _decoded_bytes_per_pixel(image, kind) > MAX_DECODED_BYTES:
        raise _too_many_pixels(MAX_DECODED_BYTES // _decoded_bytes_per_pixel(image, kind))
    if kind == "JPEG":
        # JPEG can be decoded at 1/2, 1/4 or 1/8 of its size at once: a 12-megapixel photo for renditions
        # at most 1280 wide never needs all its pixels in memory. (Square box: the orientation is not
        # applied yet, and whichever side ends up the width stays at least ``largest``.)
        image.draft("RGB", (largest, largest))
    image.load()
    # Made smaller before any copy of it is made (a transparent PNG is turned into RGB below), by a whole
    # factor that keeps both sides at least the largest rendition's width.
    factor = min(image.size) // largest
    if factor >= 2 and image.mode not in ("P", "1"):
        image = image.reduce(factor)
    return _flatten(_upright(image))


def _upright(image: Image.Image) -> Image.Image:
    """Turned by the EXIF orientation phones write instead of turning the pixels. A damaged EXIF block
    (an unknown tag type, a wrong offset) means no orientation, not a refusal."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - Pillow's EXIF reader raises TypeError, KeyError, struct.error...
        return image


def _decoded_bytes_per_pixel(image: Image.Image, kind: str) -> int:
    """Memory per pixel while decoding ``image`` whole and turning it into RGB."""
    bands = len(image.getbands())
    per_pixel = bands * (2 if image.mode.startswith("I;16") or image.mode in ("I", "F") else 1)
    if image.mode in ("P", "1"):
        per_pixel += 4          # converted to RGBA (or RGB) at full size: these modes cannot be reduced first
    if kind == "JPEG":
        per_pixel += 2 * bands  # a progressive JPEG's decoder keeps every coefficient until the last pass
    return max(per_pixel, 1)


def _flatten(image: Image.Image) -> Image.Image:
    """Plain RGB pixels: transparency on white (a photo has none, a screenshot might), other modes converted."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


def _renditions(image: Image.Image, widths: tuple[int, ...]) -> ProcessedPhoto:
    source_width, source_height = image.size
    # Never larger than the original: a small photo gets its own width as the largest rendition.
    targets = sorted({min(width, source_width) for width in widths}, reverse=True)
    processed = ProcessedPhoto(width=targets[0], height=max(1, round(source_height * targets[0] / source_width)))
    for width in targets:
        height = max(1, round(source_height * width / source_width))
        if (width, height) != image.size:
            # Each from the one before (1280 from the decoded photo, 640 from 1280...): the same sharpness
            # for a fraction of the work.
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        # A fresh image from the pixels only: nothing of the upload's info (exif, icc_profile, xmp,
        # comments) can reach the encoder.
        clean = Image.frombytes("RGB", image.size, image.tobytes())
        processed.files[(width, "webp")] = _encode(clean, "WEBP")
        processed.files[(width, "jpg")] = _encode(clean, "JPEG")
    return processed


def _encode(image: Image.Image, pillow_format: str) -> bytes:
    """The image at the first quality whose file is small enough (a photo full of fine detail gets the second)."""
    for quality in QUALITIES[pillow_format]:
        out = io.BytesIO()
        if pillow_format == "JPEG":
            image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        else:
            image.save(out, "WEBP", quality=quality, method=3)
        if out.tell() <= MAX_OUTPUT_BYTES:
            break
    return out.getvalue()
