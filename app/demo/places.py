"""Demo meeting places: invented, real-sounding places in each district (addresses are examples; each point
is the address's point in app/places/addresses.json, inside the district's seeded boundary)."""
from __future__ import annotations

PLACES: list[dict] = [
    {"district": "lademoen", "name": "Lademoen bydelskafé", "address": "Innherredsveien 60, 7042 Trondheim",
     "latitude": 63.4352, "longitude": 10.424,
     "opening_hours": "Mandag–torsdag 10–20\nLørdag 11–15",
     "description": "En kafé drevet av frivillige, med billig kaffe, aviser og brettspill. Alle er velkomne, også uten å kjøpe noe.",
     "step_free_entrance": True, "accessible_toilet": True, "hearing_loop": False,
     "accessibility_notes": "Rullestolrampe ved hovedinngangen."},
    {"district": "lademoen", "name": "Fritidsklubben på Lademoen", "address": "Mellomveien 18, 7042 Trondheim",
     "latitude": 63.4372, "longitude": 10.4265,
     "opening_hours": "Tirsdag og torsdag 17–21 (13–18 år)",
     "description": "Møteplass for ungdom med *leksehjelp*, musikkrom og kjøkken.",
     "step_free_entrance": False, "accessible_toilet": False, "hearing_loop": None,
     "accessibility_notes": "Tre trappetrinn ved inngangen."},
    {"district": "tempe-sorgenfri", "name": "Tempe nærmiljøhus", "address": "Tempeveien 22, 7031 Trondheim",
     "latitude": 63.4145, "longitude": 10.406,
     "opening_hours": "Hverdager 9–16, kvelder etter avtale",
     "description": "Lokaler til lag og foreninger, babysang og eldretreff.",
     "step_free_entrance": True, "accessible_toilet": True, "hearing_loop": True, "accessibility_notes": ""},
    {"district": "tempe-sorgenfri", "name": "Parsellhagen ved Nidelva", "address": "Sorgenfriveien 9, 7031 Trondheim",
     "latitude": 63.4105, "longitude": 10.4095,
     "opening_hours": "Åpen hele døgnet fra mai til oktober",
     "description": "Felles dyrking og grillkvelder. Spør etter en parsell!",
     "step_free_entrance": True, "accessible_toilet": False, "hearing_loop": None,
     "accessibility_notes": "Grusstier; noen bed er hevet."},
    {"district": "mollenberg", "name": "Møllenberg nabolagshus", "address": "Nonnegata 14, 7014 Trondheim",
     "latitude": 63.4315, "longitude": 10.415,
     "opening_hours": "Onsdag 12–20, søndag 12–16",
     "description": "Språkkafé på onsdager, byttemarked første søndag i måneden.",
     "step_free_entrance": False, "accessible_toilet": True, "hearing_loop": False,
     "accessibility_notes": "Heis via bakgården."},
    {"district": "mollenberg", "name": "Verkstedet på Møllenberg", "address": "Rosenborggata 5, 7014 Trondheim",
     "latitude": 63.432, "longitude": 10.4195,
     "opening_hours": "Lørdager 11–15",
     "description": "Reparasjonskafé: ta med sykkelen, lampa eller buksa, så fikser vi den sammen.",
     "step_free_entrance": True, "accessible_toilet": None, "hearing_loop": None, "accessibility_notes": ""},
]


# Where the demo's ideas and feedback are about. A street is a stretch of it inside the district's seeded
# outline (app/places/seed_boundaries.py), from the lowest to the highest house number given, so a number
# can be drawn and placed along it: ((lat, lon) of the first number, (lat, lon) of the last, first, last).
# A spot is a place people name instead of an address ("Lademoparken"), at one point; ideas there are
# spread over a few tens of metres around it (SPOT_SPREAD), as people tap the map in different places.
# Every point, spread included, lies inside its district (tests/unit/test_demo_locations.py).
STREETS: dict[str, dict[str, tuple[tuple[float, float], tuple[float, float], int, int]]] = {
    "lademoen": {
        "Innherredsveien": ((63.4351, 10.4220), (63.4364, 10.4335), 56, 95),
        "Mellomveien": ((63.4366, 10.4243), (63.4380, 10.4325), 3, 48),
        "Biskop Darres gate": ((63.4376, 10.4215), (63.4396, 10.4250), 1, 28),
        "Kirkegata": ((63.4386, 10.4262), (63.4402, 10.4300), 1, 24),
        "Schultz' gate": ((63.4362, 10.4180), (63.4394, 10.4190), 2, 30),
        "Thomas von Westens gate": ((63.4372, 10.4285), (63.4396, 10.4292), 1, 19),
        "Stadsingeniør Dahls gate": ((63.4392, 10.4312), (63.4406, 10.4345), 2, 26),
        "Hans Nielsen Hauges gate": ((63.4346, 10.4166), (63.4376, 10.4172), 3, 40),
    },
    "tempe-sorgenfri": {
        "Tempeveien": ((63.4165, 10.4035), (63.4130, 10.4080), 3, 34),
        "Sorgenfriveien": ((63.4110, 10.4085), (63.4086, 10.4125), 1, 36),
        "Holtermannsveien": ((63.4078, 10.4060), (63.4095, 10.4130), 1, 21),
        "Valøyvegen": ((63.4125, 10.4120), (63.4098, 10.4150), 2, 31),
        "Klæbuveien": ((63.4100, 10.4158), (63.4135, 10.4150), 100, 140),
    },
    "mollenberg": {
        "Nonnegata": ((63.4314, 10.4130), (63.4319, 10.4195), 2, 34),
        "Rosenborggata": ((63.4322, 10.4190), (63.4310, 10.4225), 1, 27),
        "Nedre Møllenberg gate": ((63.4302, 10.4140), (63.4300, 10.4190), 4, 38),
        "Øvre Møllenberg gate": ((63.4309, 10.4145), (63.4307, 10.4200), 3, 45),
        "Wessels gate": ((63.4325, 10.4150), (63.4312, 10.4160), 1, 16),
        "Sandgata": ((63.4326, 10.4165), (63.4310, 10.4178), 2, 22),
        "Reppesgate": ((63.4318, 10.4205), (63.4304, 10.4212), 1, 14),
        "Bakkegata": ((63.4322, 10.4100), (63.4316, 10.4120), 1, 17),
    },
}
SPOTS: dict[str, dict[str, tuple[float, float]]] = {
    "lademoen": {
        "Lademoparken": (63.4372, 10.4318),
        "Gangveien bak Lademoen kirke": (63.4399, 10.4283),
        "Lekeplassen ved Lademoen kirke": (63.4389, 10.4268),
        "Bussholdeplassen ved Innherredsveien": (63.4356, 10.4268),
        "Søppelcontainerne i Mellomveien": (63.4376, 10.4300),
        "Barnehagen i Kirkegata": (63.4395, 10.4285),
        "Turveien langs elva ved Nedre Elvehavn": (63.4372, 10.4162),
        "Gangfeltet ved skolen i Biskop Darres gate": (63.4387, 10.4233),
    },
    "tempe-sorgenfri": {
        "Turstien langs Nidelva": (63.4140, 10.4125),
        "Ballbingen på Sorgenfri": (63.4098, 10.4110),
        "Blokkene i Valøyvegen": (63.4112, 10.4135),
        "Bussholdeplassen ved Tempe kirke": (63.4155, 10.4050),
        "Nidelva ved Sorgenfri": (63.4118, 10.4150),
        "Snarveien fra Valøyvegen til butikken": (63.4106, 10.4142),
        "Undergangen ved Sorgenfri": (63.4082, 10.4098),
    },
    "mollenberg": {
        "Gangveien ned til Bakklandet": (63.4298, 10.4090),
        "Elvepromenaden ved Bakkegata": (63.4315, 10.4085),
        "Møllenberg skole": (63.4305, 10.4175),
        "Nabolagshuset i Nonnegata": (63.4315, 10.4150),
        "Studentboligene ved Innherredsveien": (63.4328, 10.4132),
        "Bakgårdene i Rosenborggata": (63.4316, 10.4212),
    },
}
# How far ideas at one spot spread around its point (degrees; about 25 m each way at 63.4° N).
SPOT_SPREAD = (0.00022, 0.0005)
