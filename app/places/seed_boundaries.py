"""Approximate outlines of the three districts, loaded by ``flask seed`` until an admin uploads the
municipality's official ones (the admin page says they are approximate).

Drawn by hand from streets and landmarks, as GeoJSON polygons (longitude, latitude; WGS 84). The three
do not overlap: Lademoen and Møllenberg share Innherredsveien as their edge.

* Møllenberg: east of Nidelva from Bakke bru, south of Innherredsveien to Rosenborg, north of
  Kristianstensbakken and Bakklandet (Nonnegata, Rosenborggata, Klostergata, Bakkegata).
* Lademoen: north of Innherredsveien, from the Nedre Elvehavn side east past Lademoen church and
  Lademoen park towards Ladebyen (Mellomveien, Biskop Darres gate, Stiklestadveien).
* Tempe-Sorgenfri: south of Elgeseter, between Nidelva and the railway, around Tempeveien,
  Sorgenfriveien and Valøyvegen.
"""
from __future__ import annotations


def _polygon(*points: tuple[float, float]) -> dict:
    ring = [list(p) for p in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


# Innherredsveien, west to east: the edge Lademoen and Møllenberg share.
_INNHERREDSVEIEN = ((10.4060, 63.4330), (10.4150, 63.4336), (10.4250, 63.4345))

APPROXIMATE_BOUNDARIES: dict[str, dict] = {
    "mollenberg": _polygon(
        *_INNHERREDSVEIEN,
        (10.4240, 63.4300),   # Rosenborg park
        (10.4130, 63.4285),   # Kristianstensbakken
        (10.4060, 63.4290),   # Nidelva at Bakklandet
    ),
    "lademoen": _polygon(
        _INNHERREDSVEIEN[1],
        (10.4150, 63.4380),   # Nedre Elvehavn, east side
        (10.4200, 63.4420),   # Stiklestadveien by the harbour
        (10.4380, 63.4420),   # towards Ladebyen
        (10.4360, 63.4360),   # Innherredsveien at Lademoen park's east end
        _INNHERREDSVEIEN[2],
    ),
    "tempe-sorgenfri": _polygon(
        (10.3980, 63.4180),   # Elgeseter, south end
        (10.4120, 63.4180),   # Nidelva
        (10.4180, 63.4120),
        (10.4160, 63.4060),   # Sorgenfri, south
        (10.4040, 63.4060),
        (10.3970, 63.4120),   # the railway
    ),
}
