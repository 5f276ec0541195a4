"""Demo organisations and what they arrange: invented, real-sounding volunteer groups in the three districts.

``SERIES`` repeat weekly (a run of up to 26 weeks, like the event form);
``ONE_OFFS`` happen once. Organisations are filed under the districts their names
say. ``place`` names a demo meeting place (``places.py``),
else ``address``, ``district`` and ``point`` (the address's latitude and longitude) say where; ``months`` keeps an event in its season and ``weekdays`` a one-off on its days (0 is Monday);
``translations`` are the organisers' own versions of title and description in other languages
(language: (title, description));
``turnout`` is about how many registrations it usually gets, which
``generate`` scales so the totals come out as asked; ``capacity`` counts
seats (a registration is a party of one to five, ``party`` weighs the sizes
where they differ from the audience's usual), so a popular occurrence fills
up and gets a waitlist.
"""
from __future__ import annotations

# Meetings are on weeknights (Monday to Thursday); parties, markets and courses at the weekend.
WEEKNIGHTS = (0, 1, 2, 3)
# Homework help and baby singing follow the school year and pause in July.
SCHOOL_YEAR = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)

ORGANISATIONS: list[dict] = [
    {"name": "Språkkafé Møllenberg", "districts": ["mollenberg"], "contact_email": "sprakkafe@demo.medvirk.no",
     "description": "Frivillige som møtes for å snakke norsk med folk som er nye i Norge. "
                    "Alle nivåer er velkomne, og kaffen er gratis."},
    {"name": "Leksehjelpa på Lademoen", "districts": ["lademoen"], "contact_email": "leksehjelpa@demo.medvirk.no",
     "description": "Studenter og pensjonerte lærere gir gratis leksehjelp til elever på mellomtrinnet og "
                    "ungdomsskolen. Vi har med frukt og brødskiver."},
    {"name": "Tempe turvenner", "districts": ["tempe-sorgenfri"], "contact_email": "turvenner@demo.medvirk.no",
     "description": "En turgruppe for seniorer. Vi går i rolig tempo, og ingen blir gått fra."},
    {"name": "Fiksefolket Møllenberg", "districts": ["mollenberg"],
     "contact_email": "fiksefolket@demo.medvirk.no",
     "description": "Reparasjonskafé: vi fikser sykler, lamper, klær og småelektronikk sammen, så mindre blir kastet."},
    {"name": "Familiegruppa Tempe-Sorgenfri", "districts": ["tempe-sorgenfri"],
     "contact_email": "familiegruppa@demo.medvirk.no",
     "description": "Babysang, familiesøndager og verksteder for barn og foreldre i nabolaget."},
    {"name": "Dyrk Sorgenfri", "districts": ["tempe-sorgenfri"], "contact_email": "dyrk@demo.medvirk.no",
     "description": "Et parsellag som dyrker grønnsaker og blomster sammen ved Nidelva. Ingen forkunnskaper trengs."},
    {"name": "Lademoen nabolagsforening", "districts": ["lademoen"], "contact_email": "nabolag@demo.medvirk.no",
     "description": "Naboer som lager fester, quizer og nabomøter, og som tar opp det som opptar folk i bydelen."},
    {"name": "Somalisk kvinneforening på Lademoen", "districts": ["lademoen"],
     "contact_email": "hooyooyin@demo.medvirk.no",
     "description": "Urur ay sameeyeen hooyooyin Soomaaliyeed oo ku nool Lademoen. Waxaan isu nimaadnaa si aan u "
                    "wada sheekaysanno, isu caawinno oo aan wax uga baranno nolosha Norway. Haween kasta waa soo "
                    "dhowaadaan, af kasta oo ay ku hadlaan."},
    {"name": "Strikk og prat", "districts": ["lademoen"], "contact_email": "strikk@demo.medvirk.no",
     "description": "Vi strikker, hekler og prater. Ta med eget garn, eller lån av oss."},
]

SERIES: list[dict] = [
    {"organisation": "Språkkafé Møllenberg", "title": "Språkkafé: øv norsk over en kopp kaffe",
     "place": "Møllenberg nabolagshus", "weekday": 2, "time": (18, 0), "hours": 2, "capacity": 70, "turnout": 45,
     "audience": "newcomers", "area": 1, "languages": "nb,en,ar,so,ti,uk",
     "description": "Vi snakker norsk i små grupper med en frivillig ved hvert bord. "
                    "Du trenger ikke å kunne mye norsk.",
     "translations": {
         "en": ("Language café: practise Norwegian over a cup of coffee",
                "We speak Norwegian in small groups, with a volunteer at every table. "
                "You do not need to know much Norwegian."),
         "ar": ("مقهى اللغة: تدرّب على النرويجية مع فنجان قهوة",
                "نتحدث النرويجية في مجموعات صغيرة، ومع كل طاولة متطوع يساعدك. "
                "لا تحتاج إلى أن تعرف الكثير من النرويجية."),
     }},
    {"organisation": "Språkkafé Møllenberg", "title": "Norsktrening for nybegynnere",
     "place": "Møllenberg nabolagshus", "weekday": 5, "time": (12, 0), "hours": 1.5, "capacity": 25, "turnout": 20,
     "audience": "newcomers", "area": 1, "languages": "nb,en,uk,pl",
     "description": "Enkle samtaler om hverdagen: handle, ringe legen, snakke med naboen."},
    {"organisation": "Leksehjelpa på Lademoen", "title": "Leksehjelp for 5.–10. trinn", "months": SCHOOL_YEAR,
     "place": "Fritidsklubben på Lademoen", "weekday": 1, "time": (17, 0), "hours": 2, "capacity": 45, "turnout": 35,
     "audience": "youth", "area": 2, "languages": "nb,en,so,ar",
     "description": "Ta med leksene. Vi hjelper med matte, norsk, engelsk og naturfag."},
    {"organisation": "Leksehjelpa på Lademoen", "title": "Leksehjelp og matpakke", "months": SCHOOL_YEAR,
     "place": "Fritidsklubben på Lademoen", "weekday": 3, "time": (17, 0), "hours": 2, "capacity": 45, "turnout": 30,
     "audience": "youth", "area": 2, "languages": "nb,en",
     "description": "Leksehjelp med brødskiver og frukt. Foreldre er også velkomne."},
    {"organisation": "Tempe turvenner", "title": "Formiddagstur langs Nidelva",
     "place": "Tempe nærmiljøhus", "weekday": 0, "time": (10, 30), "hours": 1.5, "capacity": None, "turnout": 35,
     "audience": "seniors", "area": 1, "languages": "nb",
     "description": "Vi møtes utenfor nærmiljøhuset og går en rolig runde langs elva. Kaffe etterpå for den som vil."},
    {"organisation": "Tempe turvenner", "title": "Stavgang for seniorer",
     "place": "Tempe nærmiljøhus", "weekday": 3, "time": (11, 0), "hours": 1, "capacity": 35, "turnout": 22,
     "audience": "seniors", "area": 1, "languages": "nb",
     "description": "Staver kan lånes. Turen er omtrent tre kilometer på gode stier."},
    {"organisation": "Fiksefolket Møllenberg", "title": "Reparasjonskafé",
     "place": "Verkstedet på Møllenberg", "weekday": 5, "time": (11, 0), "hours": 4, "capacity": 40, "turnout": 28,
     "audience": "everyone", "area": 3, "languages": "nb,en,pl",
     "description": "Ta med det som er ødelagt, så prøver vi å fikse det sammen. Meld på en plass per ting."},
    {"organisation": "Familiegruppa Tempe-Sorgenfri", "title": "Babysang", "months": SCHOOL_YEAR,
     "place": "Tempe nærmiljøhus", "weekday": 4, "time": (10, 0), "hours": 1, "capacity": 30, "turnout": 16,
     "audience": "families", "area": 2, "languages": "nb,en,ar",
     "description": "Sanger, rim og regler for de minste (0–1 år) med en voksen. Kaffe og prat etterpå."},
    {"organisation": "Dyrk Sorgenfri", "title": "Felles dyrkekveld i parsellhagen", "months": (4, 5, 6, 7, 8, 9),
     "place": "Parsellhagen ved Nidelva", "weekday": 1, "time": (18, 0), "hours": 2, "capacity": None, "turnout": 30,
     "audience": "everyone", "area": 3, "languages": "nb,en",
     "description": "Vi luker, vanner og planter sammen. Hansker og redskap finnes på stedet."},
    {"organisation": "Strikk og prat", "title": "Strikk og prat",
     "place": "Lademoen bydelskafé", "weekday": 0, "time": (13, 0), "hours": 2, "capacity": 30, "turnout": 18,
     "audience": "seniors", "area": 3, "languages": "nb",
     "description": "Hyggelig strikkesirkel på bydelskafeen. Nybegynnere får hjelp til å komme i gang."},
    {"organisation": "Somalisk kvinneforening på Lademoen", "title": "Kulanka hooyooyinka: shaah, sheeko iyo talo",
     "place": "Lademoen bydelskafé", "weekday": 2, "time": (11, 0), "hours": 2, "capacity": 30, "turnout": 18,
     "audience": "newcomers", "area": 2, "languages": "so,nb",
     "description": "Hooyooyinka iyo carruurta yaryar ayaa isugu imaanaya shaah iyo sheeko. Toddobaad kasta waxaan "
                    "martiqaadnaa qof ka shaqeeya xaafadda, sida kalkaaliso caafimaad ama macallin, si uu uga jawaabo "
                    "su'aalahayaga. Carruurtu way ciyaari karaan inta aan wada sheekaysanno.",
     "translations": {
         "nb": ("Mødretreff: te, prat og gode råd",
                "Mødre og små barn møtes til te og prat. Hver uke inviterer vi noen som jobber i nabolaget, for "
                "eksempel en helsesykepleier eller en lærer, til å svare på spørsmålene våre. Barna kan leke mens "
                "vi snakker sammen."),
     }},
    {"organisation": "Lademoen nabolagsforening", "title": "Quizkveld på bydelskafeen",
     "place": "Lademoen bydelskafé", "weekday": 3, "time": (19, 0), "hours": 2, "capacity": 70, "turnout": 16,
     "audience": "everyone", "area": 3, "languages": "nb,en", "party": (10, 15, 25, 25, 25),
     "description": "Lag på opptil fem. Meld på hele laget som én påmelding."},
]

ONE_OFFS: list[dict] = [
    {"organisation": "Lademoen nabolagsforening", "title": "Sommerfest på Lademoen", "weekdays": (5,), "months": (6, 7, 8),
     "place": "Lademoen bydelskafé", "time": (14, 0), "hours": 4, "capacity": None, "turnout": 300,
     "audience": "everyone", "area": 3, "languages": "nb,en,ar,so",
     "description": "Grilling, leker for barna og musikk fra nabolaget. Alle er velkomne."},
    {"organisation": "Lademoen nabolagsforening", "title": "Nabomøte om trafikken i Mellomveien", "weekdays": WEEKNIGHTS,
     "address": "Lademoen kirke, Kirkegata 1, 7042 Trondheim", "district": "lademoen", "point": (63.4391, 10.4271),
     "time": (18, 30), "hours": 2, "capacity": 120,
     "turnout": 90, "audience": "everyone", "area": 1, "languages": "nb",
     "description": "Kommunen forteller om planene, og naboene sier hva de mener. Tolk kan bestilles ved påmelding."},
    {"organisation": "Språkkafé Møllenberg", "title": "Byttemarked og språkkafé", "weekdays": (6,),
     "place": "Møllenberg nabolagshus", "time": (12, 0), "hours": 3, "capacity": None, "turnout": 150,
     "audience": "everyone", "area": 3, "languages": "nb,en,uk",
     "description": "Ta med klær og ting du ikke bruker, og ta med deg noe nytt hjem."},
    {"organisation": "Leksehjelpa på Lademoen", "title": "Foreldremøte: slik fungerer skolen i Norge", "weekdays": WEEKNIGHTS,
     "place": "Fritidsklubben på Lademoen", "time": (18, 0), "hours": 1.5, "capacity": 60, "turnout": 50,
     "audience": "newcomers", "area": 2, "languages": "nb,ar,so,ti",
     "description": "Lærere forklarer skoleåret, foreldremøter og leksehjelp. Tolker på arabisk, somali og tigrinja."},
    {"organisation": "Dyrk Sorgenfri", "title": "Dugnad i parsellhagen", "weekdays": (5,), "months": (4, 5, 9),
     "place": "Parsellhagen ved Nidelva", "time": (11, 0), "hours": 3, "capacity": None, "turnout": 60,
     "audience": "families", "area": 3, "languages": "nb",
     "description": "Vi gjør hagen klar for sesongen. Suppe til alle som hjelper til."},
    {"organisation": "Familiegruppa Tempe-Sorgenfri", "title": "Familiesøndag med vafler", "weekdays": (6,),
     "place": "Tempe nærmiljøhus", "time": (12, 0), "hours": 3, "capacity": 200, "turnout": 100,
     "audience": "families", "area": 2, "languages": "nb,en",
     "description": "Leker, tegnebord og vafler. Gratis for alle."},
    {"organisation": "Fiksefolket Møllenberg", "title": "Kurs: reparer sykkelen din selv", "weekdays": (5,),
     "place": "Verkstedet på Møllenberg", "time": (12, 0), "hours": 3, "capacity": 12, "turnout": 20,
     "audience": "youth", "area": 3, "languages": "nb,en",
     "description": "Lær å lappe slanger, justere bremser og smøre kjedet. Vi har verktøy til alle."},
    {"organisation": "Tempe turvenner", "title": "Ryddetur langs Nidelva", "weekdays": (5,), "months": (4, 5, 9, 10),
     "address": "Oppmøte ved Valøyvegen 27, 7031 Trondheim", "district": "tempe-sorgenfri", "point": (63.41, 10.415),
     "time": (11, 0), "hours": 2, "capacity": None, "turnout": 35, "audience": "everyone", "area": 3,
     "languages": "nb,en", "description": "Vi plukker søppel langs turstien og tar kaffe etterpå. Hansker og sekker får du av oss."},
    {"organisation": "Fiksefolket Møllenberg", "title": "Sykkelfiks i gata", "weekdays": (5,), "months": (5, 6, 8, 9),
     "address": "Rosenborggata 21, 7014 Trondheim", "district": "mollenberg", "point": (63.4312, 10.4215),
     "time": (12, 0), "hours": 3, "capacity": None, "turnout": 40, "audience": "everyone", "area": 3,
     "languages": "nb,en", "description": "Vi setter opp verktøy på fortauet og hjelper deg å fikse sykkelen. Gratis."},
    {"organisation": "Familiegruppa Tempe-Sorgenfri", "title": "Juleverksted for barn", "weekdays": (5, 6), "months": (11, 12),
     "place": "Tempe nærmiljøhus", "time": (11, 0), "hours": 3, "capacity": 80, "turnout": 45,
     "audience": "families", "area": 2, "languages": "nb,en,ar",
     "description": "Vi lager julepynt og pepperkaker. Barn under åtte år må ha med en voksen."},
]

# What some people write under access needs (only for events that have not ended: it is erased after).
ACCESS_NEEDS = (
    "Bruker rullestol", "Trenger teleslynge", "Kommer med førerhund", "Trenger tolk på arabisk",
    "Har med barnevogn", "Kan ikke gå i trapper", "Allergisk mot nøtter",
)
