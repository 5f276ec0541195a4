"""Seed data for Medvirk: the three districts and the four effort areas.

This module holds plain data only, loaded idempotently by ``flask seed``:

* ``DISTRICTS`` -- the districts of the area-based initiatives in Trondheim
  (Lademoen, Tempe-Sorgenfri, Møllenberg), each with a slug, a name and a
  short Markdown description in Bokmål (``nb``), Nynorsk (``nn``) and
  English (``en``), and an approximate boundary (app/places/seed_boundaries.py).
* ``EFFORT_AREAS`` -- the four effort areas (innsatsområder) of the
  intention agreement between the Norwegian state and Trondheim
  municipality, revised 21 October 2024
  (``shared/seed/intensjonsavtale-omradesatsinger-trondheim-2024.txt``).
  The Bokmål title, goal and description are the agreement's own text,
  written exactly as the agreement writes them (effort area 4's title keeps
  its capitals and missing hyphen); Nynorsk and English are translations.
  Each area also has a short plain ``public_name`` and a one-line
  ``public_explanation``: what residents see on cards, filters and forms. Each area has sub-themes used as
  routing tags; their slugs are unique across all areas.

Effort area 4 has no goal sentence of its own in the agreement, so its goal
is the first sentence of its text. The goal of effort area 3 has no full
stop in the agreement and is kept that way.
"""

from __future__ import annotations

from app.places.seed_boundaries import APPROXIMATE_BOUNDARIES

DISTRICTS: list[dict] = [
    {
        "slug": "lademoen",
        "boundary": APPROXIMATE_BOUNDARIES["lademoen"],
        "name": {"nb": "Lademoen", "nn": "Lademoen", "en": "Lademoen"},
        "description": {
            "nb": (
                "Lademoen er en bydel øst for sentrum i Trondheim, i området "
                "rundt Lademoen kirke og Rosenborg. Lademoen har vært med i "
                "områdesatsingene, et samarbeid mellom staten og Trondheim "
                "kommune, siden 2021.\n"
                "\n"
                "Bor du på Lademoen, kan du her foreslå ideer, gi "
                "tilbakemelding om nærmiljøet og finne møteplasser og "
                "arrangementer i bydelen. Kommunen leser det som kommer inn, "
                "og du kan følge med på hva som skjer med ideene."
            ),
            "nn": (
                "Lademoen er ein bydel aust for sentrum i Trondheim, i området "
                "rundt Lademoen kirke og Rosenborg. Lademoen har vore med i "
                "områdesatsingane, eit samarbeid mellom staten og Trondheim "
                "kommune, sidan 2021.\n"
                "\n"
                "Bur du på Lademoen, kan du her kome med idear, gi "
                "tilbakemelding om nærmiljøet og finne møteplassar og "
                "arrangement i bydelen. Kommunen les det som kjem inn, og du "
                "kan følgje med på kva som skjer med ideane."
            ),
            "en": (
                "Lademoen is a district east of the centre of Trondheim, in "
                "the area around Lademoen Church and Rosenborg. Lademoen has "
                "been part of the area-based initiatives, a cooperation "
                "between the Norwegian state and Trondheim municipality, "
                "since 2021.\n"
                "\n"
                "If you live in Lademoen, you can propose ideas here, give "
                "feedback on your neighbourhood and find meeting places and "
                "events in the district. The municipality reads what comes "
                "in, and you can follow what happens to the ideas."
            ),
        },
    },
    {
        "slug": "tempe-sorgenfri",
        "boundary": APPROXIMATE_BOUNDARIES["tempe-sorgenfri"],
        "name": {
            "nb": "Tempe-Sorgenfri",
            "nn": "Tempe-Sorgenfri",
            "en": "Tempe-Sorgenfri",
        },
        "description": {
            "nb": (
                "Tempe-Sorgenfri er en bydel sør for sentrum i Trondheim. "
                "Den omfatter områdene Tempe og Sorgenfri og ligger ved "
                "Nidelva. Tempe-Sorgenfri har vært med i områdesatsingene, "
                "et samarbeid mellom staten og Trondheim kommune, siden "
                "2021.\n"
                "\n"
                "Bor du på Tempe eller Sorgenfri, kan du her foreslå ideer, "
                "gi tilbakemelding om nærmiljøet og finne møteplasser og "
                "arrangementer i bydelen. Kommunen leser det som kommer inn, "
                "og du kan følge med på hva som skjer med ideene."
            ),
            "nn": (
                "Tempe-Sorgenfri er ein bydel sør for sentrum i Trondheim. "
                "Han omfattar områda Tempe og Sorgenfri og ligg ved Nidelva. "
                "Tempe-Sorgenfri har vore med i områdesatsingane, eit "
                "samarbeid mellom staten og Trondheim kommune, sidan 2021.\n"
                "\n"
                "Bur du på Tempe eller Sorgenfri, kan du her kome med idear, "
                "gi tilbakemelding om nærmiljøet og finne møteplassar og "
                "arrangement i bydelen. Kommunen les det som kjem inn, og du "
                "kan følgje med på kva som skjer med ideane."
            ),
            "en": (
                "Tempe-Sorgenfri is a district south of the centre of "
                "Trondheim. It takes in the areas of Tempe and Sorgenfri and "
                "lies by the Nidelva river. Tempe-Sorgenfri has been part of "
                "the area-based initiatives, a cooperation between the "
                "Norwegian state and Trondheim municipality, since 2021.\n"
                "\n"
                "If you live in Tempe or Sorgenfri, you can propose ideas "
                "here, give feedback on your neighbourhood and find meeting "
                "places and events in the district. The municipality reads "
                "what comes in, and you can follow what happens to the ideas."
            ),
        },
    },
    {
        "slug": "mollenberg",
        "boundary": APPROXIMATE_BOUNDARIES["mollenberg"],
        "name": {"nb": "Møllenberg", "nn": "Møllenberg", "en": "Møllenberg"},
        "description": {
            "nb": (
                "Møllenberg er en bydel øst for Nidelva i Trondheim, like ved "
                "Bakklandet og Nedre Elvehavn. Det er et gammelt "
                "arbeiderstrøk med mange trehus. Møllenberg ble med i "
                "områdesatsingene, et samarbeid mellom staten og Trondheim "
                "kommune, i 2024, som den tredje bydelen i Trondheim.\n"
                "\n"
                "Bor du på Møllenberg, kan du her foreslå ideer, gi "
                "tilbakemelding om nærmiljøet og finne møteplasser og "
                "arrangementer i bydelen. Kommunen leser det som kommer inn, "
                "og du kan følge med på hva som skjer med ideene."
            ),
            "nn": (
                "Møllenberg er ein bydel aust for Nidelva i Trondheim, like "
                "ved Bakklandet og Nedre Elvehavn. Det er eit gammalt "
                "arbeidarstrøk med mange trehus. Møllenberg vart med i "
                "områdesatsingane, eit samarbeid mellom staten og Trondheim "
                "kommune, i 2024, som den tredje bydelen i Trondheim.\n"
                "\n"
                "Bur du på Møllenberg, kan du her kome med idear, gi "
                "tilbakemelding om nærmiljøet og finne møteplassar og "
                "arrangement i bydelen. Kommunen les det som kjem inn, og du "
                "kan følgje med på kva som skjer med ideane."
            ),
            "en": (
                "Møllenberg is a district east of the Nidelva river in "
                "Trondheim, close to Bakklandet and Nedre Elvehavn. It is an "
                "old working-class area with many wooden houses. Møllenberg "
                "joined the area-based initiatives, a cooperation between the "
                "Norwegian state and Trondheim municipality, in 2024, as the "
                "third district in Trondheim.\n"
                "\n"
                "If you live in Møllenberg, you can propose ideas here, give "
                "feedback on your neighbourhood and find meeting places and "
                "events in the district. The municipality reads what comes "
                "in, and you can follow what happens to the ideas."
            ),
        },
    },
]

EFFORT_AREAS: list[dict] = [
    {
        "number": 1,
        "public_name": {"nb": "Muligheter for alle", "nn": "Moglegheiter for alle", "en": "Opportunities for all"},
        "public_explanation": {
            "nb": "Jobb, skole, helse – og å bli hørt når bydelen endres.",
            "nn": "Jobb, skule, helse – og å bli høyrd når bydelen endrar seg.",
            "en": "Work, school, health – and having a say when your district changes.",
        },
        "title": {
            "nb": "Å skape muligheter for alle og styrke demokratiet",
            "nn": "Å skape moglegheiter for alle og styrkje demokratiet",
            "en": "Opportunities for all and a stronger democracy",
        },
        "goal": {
            "nb": "Flere har tilgang til arbeid, utdanning, helse og "
            "samfunnsdeltakelse.",
            "nn": "Fleire har tilgang til arbeid, utdanning, helse og "
            "samfunnsdeltaking.",
            "en": "More people have access to work, education, health and "
            "participation in society.",
        },
        "description": {
            "nb": (
                "- Skape flere arenaer der innbyggerne kan oppleve mestring "
                "og deltagelse. På disse arenaene kan innbyggerne bidra med "
                "sine ressurser, styrke egne ferdigheter og skape relasjoner "
                "i eget nærmiljø.\n"
                "- Sette fokus på inkludering i helse, utdanning, "
                "oppvekstmiljø og samfunns- og arbeidslivsdeltakelse. "
                "Innsatsen skal bidra til sosial bærekraft ved at flere blir "
                "hørt i utviklingen av egen bydel, og at økt livskvalitet "
                "tilkommer alle som bor i bydelen."
            ),
            "nn": (
                "- Skape fleire arenaer der innbyggjarane kan oppleve "
                "meistring og deltaking. På desse arenaene kan innbyggjarane "
                "bidra med ressursane sine, styrkje eigne ferdigheiter og "
                "skape relasjonar i sitt eige nærmiljø.\n"
                "- Setje fokus på inkludering i helse, utdanning, "
                "oppvekstmiljø og deltaking i samfunns- og arbeidslivet. "
                "Innsatsen skal bidra til sosial berekraft ved at fleire blir "
                "høyrde i utviklinga av sin eigen bydel, og at auka "
                "livskvalitet kjem alle som bur i bydelen, til gode."
            ),
            "en": (
                "- Create more arenas where residents can experience mastery "
                "and participation. In these arenas, residents can contribute "
                "their resources, strengthen their own skills and build "
                "relationships in their own neighbourhood.\n"
                "- Focus on inclusion in health, education, the environment "
                "children grow up in, and participation in society and "
                "working life. The effort shall contribute to social "
                "sustainability by letting more people be heard in the "
                "development of their own district, and by making a better "
                "quality of life reach everyone who lives in the district."
            ),
        },
        "sub_themes": [
            {
                "slug": "arenas-for-participation",
                "label": {
                    "nb": "Arenaer for mestring og deltagelse",
                    "nn": "Arenaer for meistring og deltaking",
                    "en": "Arenas for mastery and participation",
                },
            },
            {
                "slug": "inclusion-in-health",
                "label": {
                    "nb": "Inkludering i helse",
                    "nn": "Inkludering i helse",
                    "en": "Inclusion in health",
                },
            },
            {
                "slug": "inclusion-in-education-and-upbringing",
                "label": {
                    "nb": "Inkludering i utdanning og oppvekst",
                    "nn": "Inkludering i utdanning og oppvekst",
                    "en": "Inclusion in education and upbringing",
                },
            },
            {
                "slug": "work-and-civic-participation",
                "label": {
                    "nb": "Deltakelse i arbeid og samfunn",
                    "nn": "Deltaking i arbeid og samfunn",
                    "en": "Work and civic participation",
                },
            },
            {
                "slug": "being-heard-in-the-district",
                "label": {
                    "nb": "Bli hørt i egen bydel",
                    "nn": "Bli høyrd i eigen bydel",
                    "en": "Being heard in your district",
                },
            },
        ],
    },
    {
        "number": 2,
        "public_name": {"nb": "Fellesskap og nabolag", "nn": "Fellesskap og nabolag", "en": "Community and neighbours"},
        "public_explanation": {
            "nb": "Naboer, frivillige og lag som gjør noe sammen, og en god oppvekst for barn og unge.",
            "nn": "Naboar, frivillige og lag som gjer noko saman, og ein god oppvekst for barn og unge.",
            "en": "Neighbours, volunteers and clubs doing things together, and a good place for children to grow up.",
        },
        "title": {
            "nb": "Bygge lokalsamfunn",
            "nn": "Byggje lokalsamfunn",
            "en": "Building local communities",
        },
        "goal": {
            "nb": "Flere bidrar til et godt lokalsamfunn, gjennom sin rolle "
            "som nabolagsaktør.",
            "nn": "Fleire bidreg til eit godt lokalsamfunn, gjennom rolla si "
            "som nabolagsaktør.",
            "en": "More people contribute to a good local community through "
            "their role as neighbourhood actors.",
        },
        "description": {
            "nb": (
                "- Innbyggere, lokale aktører, frivilligheten, kommune og "
                "næringsliv er styrket i rollen som nabolagsaktører og det "
                "finnes en infrastruktur for samarbeid.\n"
                "- En styrkebasert tilnærming bidrar til inkludering av "
                "flere i utvikling av eget lokalsamfunn.\n"
                "- Styrke landsbyen rundt barn og unges oppvekstmiljø "
                "gjennom tidlig innsats og forebygging."
            ),
            "nn": (
                "- Innbyggjarar, lokale aktørar, frivilligheita, kommune og "
                "næringsliv er styrkte i rolla som nabolagsaktørar, og det "
                "finst ein infrastruktur for samarbeid.\n"
                "- Ei styrkebasert tilnærming bidreg til at fleire blir "
                "inkluderte i utviklinga av sitt eige lokalsamfunn.\n"
                "- Styrkje landsbyen rundt oppvekstmiljøet til barn og unge "
                "gjennom tidleg innsats og førebygging."
            ),
            "en": (
                "- Residents, local actors, the voluntary sector, the "
                "municipality and businesses are strengthened in their role "
                "as neighbourhood actors, and there is an infrastructure for "
                "cooperation.\n"
                "- A strength-based approach helps include more people in "
                "developing their own local community.\n"
                "- Strengthen the village around the environment children "
                "and young people grow up in, through early intervention and "
                "prevention."
            ),
        },
        "sub_themes": [
            {
                "slug": "neighbourhood-actors",
                "label": {
                    "nb": "Sterkere nabolagsaktører",
                    "nn": "Sterkare nabolagsaktørar",
                    "en": "Stronger neighbourhood actors",
                },
            },
            {
                "slug": "infrastructure-for-cooperation",
                "label": {
                    "nb": "Infrastruktur for samarbeid",
                    "nn": "Infrastruktur for samarbeid",
                    "en": "Infrastructure for cooperation",
                },
            },
            {
                "slug": "strength-based-approach",
                "label": {
                    "nb": "Styrkebasert tilnærming",
                    "nn": "Styrkebasert tilnærming",
                    "en": "Strength-based approach",
                },
            },
            {
                "slug": "village-around-children-and-youth",
                "label": {
                    "nb": "Landsbyen rundt barn og unge",
                    "nn": "Landsbyen rundt barn og unge",
                    "en": "Village around children and youth",
                },
            },
            {
                "slug": "early-intervention-and-prevention",
                "label": {
                    "nb": "Tidlig innsats og forebygging",
                    "nn": "Tidleg innsats og førebygging",
                    "en": "Early intervention and prevention",
                },
            },
        ],
    },
    {
        "number": 3,
        "public_name": {"nb": "Bolig og nærmiljø", "nn": "Bustad og nærmiljø", "en": "Housing and neighbourhood"},
        "public_explanation": {
            "nb": "Boliger, trygghet, trafikk, uterom og møteplasser der du bor.",
            "nn": "Bustader, tryggleik, trafikk, uterom og møteplassar der du bur.",
            "en": "Homes, safety, traffic, outdoor spaces and meeting places where you live.",
        },
        "title": {
            "nb": "Å skape gode bo- og nærmiljø",
            "nn": "Å skape gode bu- og nærmiljø",
            "en": "Good housing and local environments",
        },
        "goal": {
            "nb": "Et attraktivt nabolag der innbyggerne opplever trygghet, "
            "trivsel og tilhørighet",
            "nn": "Eit attraktivt nabolag der innbyggjarane opplever "
            "tryggleik, trivsel og tilhøyrsle",
            "en": "An attractive neighbourhood where residents experience "
            "safety, well-being and belonging",
        },
        "description": {
            "nb": (
                "- Sosial boligpolitikk\n"
                "- Overordnet byplanlegging\n"
                "- Lokalt bo- og nærmiljøarbeid\n"
                "- Etablering av sosiale møteplasser lokalt\n"
                "- Strategisk lokalisering av funksjoner, forbindelser og "
                "tjenester bidrar til å styrke relasjoner og nærmiljø.\n"
                "\n"
                "Sosial boligpolitikk og overordnet byplanlegging skal bidra "
                "til levekårsutjevning og økt livskvalitet i boområdene. Det "
                "skal sikres boligmangfold og tilstrebes bostabilitet.\n"
                "\n"
                "Det lokale bo- og nærmiljøarbeidet samskapes mellom "
                "tjenester og lokale ressurser for å skape "
                "trygghetsskapende og kriminalitetsforebyggende tiltak. Det "
                "etableres et mangfold av sosiale møteplasser."
            ),
            "nn": (
                "- Sosial bustadpolitikk\n"
                "- Overordna byplanlegging\n"
                "- Lokalt bu- og nærmiljøarbeid\n"
                "- Etablering av sosiale møteplassar lokalt\n"
                "- Strategisk lokalisering av funksjonar, samband og "
                "tenester bidreg til å styrkje relasjonar og nærmiljø.\n"
                "\n"
                "Sosial bustadpolitikk og overordna byplanlegging skal bidra "
                "til levekårsutjamning og auka livskvalitet i buområda. Det "
                "skal sikrast bustadmangfald, og ein skal streve etter "
                "bustabilitet.\n"
                "\n"
                "Det lokale bu- og nærmiljøarbeidet blir samskapt mellom "
                "tenester og lokale ressursar for å få til tiltak som skaper "
                "tryggleik og førebyggjer kriminalitet. Det blir etablert eit "
                "mangfald av sosiale møteplassar."
            ),
            "en": (
                "- Social housing policy\n"
                "- Overall urban planning\n"
                "- Local housing and neighbourhood work\n"
                "- Establishing local social meeting places\n"
                "- Strategic location of functions, connections and services "
                "helps strengthen relationships and the local environment.\n"
                "\n"
                "Social housing policy and overall urban planning shall help "
                "even out living conditions and raise the quality of life in "
                "residential areas. A diverse range of housing shall be "
                "ensured, and stable residence shall be sought.\n"
                "\n"
                "Local housing and neighbourhood work is co-created by "
                "services and local resources, to bring about measures that "
                "build safety and prevent crime. A variety of social meeting "
                "places is being established."
            ),
        },
        "sub_themes": [
            {
                "slug": "social-housing-policy",
                "label": {
                    "nb": "Sosial boligpolitikk",
                    "nn": "Sosial bustadpolitikk",
                    "en": "Social housing policy",
                },
            },
            {
                "slug": "urban-planning",
                "label": {
                    "nb": "Overordnet byplanlegging",
                    "nn": "Overordna byplanlegging",
                    "en": "Urban planning",
                },
            },
            {
                "slug": "local-housing-and-neighbourhood-work",
                "label": {
                    "nb": "Lokalt bo- og nærmiljøarbeid",
                    "nn": "Lokalt bu- og nærmiljøarbeid",
                    "en": "Local housing and neighbourhood work",
                },
            },
            {
                "slug": "social-meeting-places",
                "label": {
                    "nb": "Etablering av sosiale møteplasser lokalt",
                    "nn": "Sosiale møteplassar lokalt",
                    "en": "Social meeting places",
                },
            },
            {
                "slug": "strategic-location-of-functions",
                "label": {
                    "nb": "Strategisk lokalisering av funksjoner, forbindelser "
                    "og tjenester bidrar til å styrke relasjoner og nærmiljø.",
                    "nn": "Strategisk lokalisering av funksjonar",
                    "en": "Strategic location of functions",
                },
            },
        ],
    },
    {
        "number": 4,
        "public_name": {"nb": "Kunnskap og forskning", "nn": "Kunnskap og forsking", "en": "Knowledge and research"},
        "public_explanation": {
            "nb": "Forskning og nye løsninger som viser hva som virker i bydelen.",
            "nn": "Forsking og nye løysingar som viser kva som verkar i bydelen.",
            "en": "Research and new ways of working that show what makes a difference in the district.",
        },
        "title": {
            "nb": "Forsknings, Utviklings- og Innovasjonssamarbeid",
            "nn": "Forskings-, utviklings- og innovasjonssamarbeid",
            "en": "Research, development and innovation",
        },
        "goal": {
            "nb": "Innsatsområdet skal bidra til forskning, utdanning og "
            "nyskaping i en felles FoU-innsats på sosial bærekraft og "
            "tjenesteinnovasjon.",
            "nn": "Innsatsområdet skal bidra til forsking, utdanning og "
            "nyskaping i ein felles FoU-innsats på sosial berekraft og "
            "tenesteinnovasjon.",
            "en": "The effort area shall contribute to research, education "
            "and innovation in a joint R&D effort on social sustainability "
            "and service innovation.",
        },
        "description": {
            "nb": (
                "Innsatsområdet skal bidra til forskning, utdanning og "
                "nyskaping i en felles FoU-innsats på sosial bærekraft og "
                "tjenesteinnovasjon. Gjennom områdesatsingene skal Trondheim "
                "kommune generere utstrakt grad av forsknings- og "
                "utdanningssamarbeid som kan samle og videreutvikle kunnskap "
                "om områderettet innsats og utvikling av indikatorer som kan "
                "måle effekten av områdesatsingene."
            ),
            "nn": (
                "Innsatsområdet skal bidra til forsking, utdanning og "
                "nyskaping i ein felles FoU-innsats på sosial berekraft og "
                "tenesteinnovasjon. Gjennom områdesatsingane skal Trondheim "
                "kommune skape omfattande forskings- og utdanningssamarbeid "
                "som kan samle og vidareutvikle kunnskap om områderetta "
                "innsats og utvikling av indikatorar som kan måle effekten "
                "av områdesatsingane."
            ),
            "en": (
                "The effort area shall contribute to research, education and "
                "innovation in a joint R&D effort on social sustainability "
                "and service innovation. Through the area-based initiatives, "
                "Trondheim municipality shall generate extensive research and "
                "education cooperation that can gather and develop knowledge "
                "about area-based efforts and the development of indicators "
                "that can measure the effect of the area-based initiatives."
            ),
        },
        "sub_themes": [
            {
                "slug": "research-cooperation",
                "label": {
                    "nb": "Samarbeid om forskning",
                    "nn": "Samarbeid om forsking",
                    "en": "Research cooperation",
                },
            },
            {
                "slug": "indicators-measuring-effect",
                "label": {
                    "nb": "Indikatorer som måler effekt",
                    "nn": "Indikatorar som måler effekt",
                    "en": "Indicators that measure effect",
                },
            },
            {
                "slug": "service-innovation",
                "label": {
                    "nb": "Innovasjon i tjenestene",
                    "nn": "Innovasjon i tenestene",
                    "en": "Service innovation",
                },
            },
            {
                "slug": "education-cooperation",
                "label": {
                    "nb": "Samarbeid om utdanning",
                    "nn": "Samarbeid om utdanning",
                    "en": "Education cooperation",
                },
            },
        ],
    },
]
