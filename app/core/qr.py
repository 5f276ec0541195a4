"""QR codes drawn into the page as SVG: a poster on a notice board leads to the page it was printed from."""
from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """The address as an inline SVG QR code (error correction M: a poster may get creased or scribbled on).
    Inline rather than an image file, so printing needs no second request and the CSP needs nothing new.
    segno writes only numbers and a path (no text from the address), so the markup is safe as it is."""
    return Markup(segno.make(url, error="m", micro=False).svg_inline(  # nosec B704 - see above: no text from the address
        border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000", light="#fff"))
