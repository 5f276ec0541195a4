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
# 50 megapixels: more than any phone's normal photo (12-48 MP), far less than a bomb.
MAX_PIXELS = 50_000_000
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
            raise PhotoRefused(_l("The photo could not be read: the file may be damaged or only partly sent. "
                                  "Choose it again, or take a new photo.")) from None
    return _renditions(image, widths)


def _too_many_pixels(max_pixels: int) -> PhotoRefused:
    return PhotoRefused(_l("The photo has too many pixels (more than %(mp)d megapixels). Choose a smaller photo.",
                           mp=max_pixels // 1_000_000))


def _decode(data: bytes, kind: str, max_pixels: int, largest: int) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=[kind])
    width, height = image.size
    # Checked from the header, before a single pixel is unpacked.
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if width < 1 or height < 1:
        raise PhotoRefused(_l("The photo could not be read: the file may be damaged or only partly sent. "
                              "Choose it again, or take a new photo."))
    if kind == "JPEG":
        # JPEG can be decoded at 1/2, 1/4 or 1/8 of its size at once: a 12-megapixel photo for renditions
        # at most 1280 wide never needs all its pixels in memory. (Square box: the orientation is not
        # applied yet, and whichever side ends up the width stays at least ``largest``.)
        image.draft("RGB", (largest, largest))
    image.load()
    # The orientation phones write instead of turning the pixels; reads the EXIF only to turn.
    image = ImageOps.exif_transpose(image)
    return _flatten(image)


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
