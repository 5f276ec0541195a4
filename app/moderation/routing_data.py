"""Labelled example messages for suggesting an effort area (innsatsområde).

Each entry is ``(text, area)`` where ``area`` is the number of one of the four
effort areas in the intention agreement between the state and Trondheim
municipality on the area-based initiatives in Lademoen, Tempe-Sorgenfri and
Møllenberg (revised 21 October 2024):

1. Å skape muligheter for alle og styrke demokratiet -- access to work,
   education, health and civic participation; arenas for mastery; being
   heard in the development of one's own district.
2. Bygge lokalsamfunn -- residents, volunteers, associations and businesses
   as neighbourhood actors; infrastructure for cooperation; a strength-based
   approach; the "village" around children and young people, early
   intervention and prevention.
3. Å skape gode bo- og nærmiljø -- social housing policy, urban planning,
   local housing and neighbourhood work, social meeting places, strategic
   location of services; safety, well-being and belonging.
4. Forsknings-, utviklings- og innovasjonssamarbeid -- research, education
   cooperation, service innovation, pilots and indicators that measure the
   effect of the initiatives.

The texts are invented and written the way residents write: informal, at
times misspelt, in Bokmål (about 55 %), Nynorsk (about 20 %) and English
(about 25 %). Messages that touch several areas are labelled with the area
the text stresses most; some deliberately hard cases are included (a youth
club is usually area 2, a community house as a meeting place is area 3,
homework help is area 1 when the stress is on access to education and
area 2 when it is on volunteers around the children, a pilot or a
measurement of something is area 4).

The data are suggestions for training a classifier only; a moderator always
makes the final routing decision.
"""

from __future__ import annotations

LABELLED: list[tuple[str, int]] = [
    # ------------------------------------------------------------------
    # 1 = Å skape muligheter for alle og styrke demokratiet
    # ------------------------------------------------------------------
    # Bokmål
    ("finnes det norskkurs på kveldstid på Lademoen? jobber dagtid og rekker ikke de som går om formiddagen", 1),
    ("Min mor er 78 og skjønner ikke BankID eller helsenorge. Kunne biblioteket hatt digital hjelp for eldre en gang i uka? Hun er flau over å spørre oss hele tiden.", 1),
    ("vi trenger mer info på arabisk og somali om hva som skjer i bydelen, mange av naboene mine får ikke med seg noenting", 1),
    ("Jeg har søkt jobb i to år uten å få svar. Hadde vært fint med et sted på Tempe der man kan få hjelp med CV og jobbsøknad, helst uten timebestilling.", 1),
    ("ungdomsråd for møllenberg!! vi unge blir aldri spurt om noe", 1),
    ("Det burde vært et åpent beboermøte FØR kommunen bestemmer hva som skal skje med tomta ved Rosendal. Vi som bor her får alltid vite ting etterpå, når alt er vedtatt. Da er det ikke rart folk gir opp å si sin mening.", 1),
    ("Leksehjelpen på skolen er bra men det er altfor få plasser. Sønnen min henger etter i matte og vi har ikke råd til privatlærer, så han får ikke samme sjanse som de andre.", 1),
    ("mer språkpraksis! har tatt norskkurs i to år men får aldri snakke norsk med noen utenom læreren", 1),
    ("Kan legene på helsestasjonen bruke tolk oftere? Faren min forstår ikke hva legen sier og nikker bare", 1),
    ("hvorfor er høringene til kommunen skrevet så vanskelig?? skriv enkelt så flere kan si sin mening", 1),
    ("Arbeidstrening for folk som har vært lenge ute av jobb. Kansje kafeen på Sorgenfri kunne tatt inn noen i praksis?", 1),
    ("jeg er ufør men vil gjerne bidra med noe, har jobbet som snekker i 25 år. finnes det et sted jeg kan være nyttig og kanskje lære bort litt og føle at jeg mestrer noe igjen", 1),
    ("Valgdeltakelsen på Lademoen er lav. Kan dere lage valgkafé med info på flere språk før neste valg? Mange vet ikke engang at de har stemmerett.", 1),
    ("Sommerjobb for ungdomer i bydelen, mange av vennene mine har ikke fått noe og de har søkt overalt", 1),
    ("det trengs et lavterskel helsetilbud for folk uten fastlege, særlig for de som nettopp har kommet til norge", 1),
    ("Jeg skulle ønske det var enklere å komme med innspill til planene for bydelen. Ikke alle kan møte opp kl 17 en tirsdag når man har småbarn. Kan man gi innspill på mobilen eller på biblioteket i helgen?", 1),
    ("Gratis datakurs for voksne innvandrere", 1),
    ("Kvinnene i nabolaget mitt vil gjerne jobbe, men trenger barnepass mens de går på norskkurs. Kan dere få til kurs med barnepass i samme bygg?", 1),
    ("Medvirk burde finnes på flere språk enn norsk og engelsk, f.eks tigrinja og dari. Ellers er det jo bare noen som kan medvirke.", 1),
    ("Ungdom som dropper ut av videregående trenger noen som følger dem opp og hjelper dem tilbake på skolen eller inn i lære", 1),
    ("Kan det bli en fast dag der politikerne kommer til biblioteket og snakker med oss, i stedet for at vi må dra til rådhuset?", 1),
    ("tannlege er altfor dyrt. mange her går ikke til tannlegen i det hele tatt, det er et helseproblem", 1),
    ("Hjelp med å fylle ut skjema fra NAV og Husbanken!! Det er så mange som sliter med det og skammer seg over å spørre", 1),
    ("Jeg sa fra om planene i fjor og hørte aldri noe tilbake. Hvordan kan vi vite at det vi skriver her faktisk blir lest av noen som bestemmer?", 1),
    ("Mer psykisk helsehjelp for unge, ventelista på BUP er lang og skolehelsetjenesten har bare åpent to dager", 1),
    ("Norskkurs for eldre innvandrere som ikke kan lese og skrive. De blir veldig isolerte, min svigermor har bodd her i 15 år og klarer ikke å gå til legen alene.", 1),
    ("elevrådene på skolene i bydelen burde kunne sende forslag rett til kommunen. elevene vet hva som trengs", 1),
    ("bra om det fantes hjelp til førerkort-teori på flere språk, veldig mange jobber krever lappen", 1),
    ("Det var nesten ingen fra blokka vår på folkemøtet. Ingen visste om det! En lapp i postkassa på flere språk hadde hjulpet mye.", 1),
    ("Mange av oss er de første i familien som tar høyere utdanning, og foreldrene kan ikke hjelpe med søknad, studielån eller valg av fag. En mentor eller veileder som kjenner systemet hadde gjort at flere her faktisk begynte å studere.", 1),
    # Nynorsk
    ("Kunne de laga eit norskkurs for foreldre på skulen medan ungane har leksehjelp? Då slepp vi barnevakt", 1),
    ("eg vil gjerne vere med å bestemme kva som skjer på Møllenberg men veit ikkje korleis eg skal seie ifrå", 1),
    ("Det trengst meir hjelp til å finne jobb for dei som er ferdige med introduksjonsprogrammet. Mange blir gåande heime etterpå og mistar norsken dei lærte.", 1),
    ("digital hjelp til eldre på biblioteket, gjerne fast kvar onsdag", 1),
    ("Ungdomsrådet burde få eige budsjett, så dei unge faktisk kan avgjere noko sjølve og ikkje berre bli høyrde på papiret", 1),
    ("Helsestasjonen for ungdom har for kort opningstid. Mange tør ikkje gå til fastlegen med slike ting.", 1),
    ("Skriv informasjonen frå kommunen på enkelt språk, og på fleire språk. Mykje går tapt for dei som er nye her", 1),
    ("kva med eit kurs i korleis ein søkjer studielån og skuleplass? foreldra mine kan ikkje hjelpe meg med det", 1),
    ("Arbeidspraksis i butikkane på Tempe for folk som står utanfor arbeidslivet", 1),
    ("Vi treng ein stad der folk kan få gratis hjelp med skatt og brev frå NAV", 1),
    ("Eg vart spurd om meininga mi for første gong i fjor, og det var kjekt. Gjer det oftare, og kom ut til oss i bydelen, ikkje berre på rådhuset.", 1),
    # English
    ("Is there any English info about the resident meetings? I've lived on Møllenberg for 3 years and never knew they existed", 1),
    ("need free help for people with foreign degrees. my engineering degree isn't recognised and nobody explains how to get it approved so I drive taxi", 1),
    ("Please set up a youth council for Tempe-Sorgenfri", 1),
    ("Could the library offer digital help for seniors in more languages? My grandmother only speaks Somali and can't book doctor appointments on her phone.", 1),
    ("there should be evening norwegian classes, most of us work during the day", 1),
    ("Homework help is great but my daughter mostly needs help reading Norwegian. She is falling behind in every subject because of the language, and I can't help her myself.", 1),
    ("How can residents without Norwegian citizenship vote in the local elections? Many don't know they can", 1),
    ("Mental health services for young people are almost impossible to reach. My son waited 5 months for a first appointment.", 1),
    ("It would be great with a job fair in Lademoen with local employers who actually hire people without perfect Norwegian", 1),
    ("I feel like decisions about our district are made somewhere else. Could you hold open meetings at the school in the evening, with interpreters? Then more of us could come and say what we think. Right now it's always the same few people talking.", 1),
    ("more info in english pls", 1),
    ("A drop-in clinic for people without a GP would help a lot of students and newcomers around here", 1),
    ("skills courses for women who have never worked outside the home - sewing, catering, bookkeeping - so they can get a job or start a small business", 1),
    ("Let young people vote on how some of the district money is spent. They'd learn how democracy works and actually feel listened to.", 1),

    # ------------------------------------------------------------------
    # 2 = Bygge lokalsamfunn
    # ------------------------------------------------------------------
    # Bokmål
    ("Naboskapsdag på Lademoen i mai? Grilling i bakgården og bli kjent med de som bor i oppgangen", 2),
    ("Vi er noen foreldre på Tempe som vil starte et foreldrenettverk. Hvor kan vi få hjelp til å komme i gang, og kan vi låne et rom?", 2),
    ("gratis fotball for barn om kvelden!! mange har ikke råd til klubbkontingent og da sitter de bare inne", 2),
    ("ungdomsklubben på Møllenberg burde ha åpent fredag og lørdag også, det er da ungdommen trenger et sted å være og voksne å snakke med", 2),
    ("Jeg har en liten butikk på Møllenberg og vil gjerne sponse noe for barna i nabolaget. Hvem tar jeg kontakt med?", 2),
    ("Frivilligsentralen, idrettslaget og moskeen gjør mye bra hver for seg. Kunne noen samordnet dem så vi ikke lager tre arrangementer samme kveld og ingenting resten av uka?", 2),
    ("Vi trenger flere voksne ute på kveldene der ungdommen henger. Foreldre som går natteravn på Lademoen? Det handler ikke om å passe på dem, men at de ser at noen bryr seg.", 2),
    ("Mentor for ungdom som sliter. Noen voksne i nabolaget som kan være en fast støtte en kveld i uka", 2),
    ("leksehjelp drevet av frivillige pensjonister! jeg er pensjonert lærer og vil gjerne bidra, har flere venner som også vil", 2),
    ("Kan idrettslaget få låne gymsalen på skolen i helgene? Vi har mange barn som vil spille basket men ingen hall", 2),
    ("Det hadde vært fint med dugnad i nabolaget til våren, rydde og plante sammen og bli kjent med folk. Kommunen kan stille med sekker og kaffe, så fikser vi resten.", 2),
    ("Barn på Sorgenfri har lite å gjøre etter skolen. Aktiviteter fra 3. klasse og opp, gjerne der foreldrene er med og bidrar.", 2),
    ("Vi vil starte en strikkegruppe for damer i nabolaget, trenger bare hjelp til å spre ordet", 2),
    ("Tidlig innsats!! helsesykepleier, skole og barnehage må snakke mer sammen om barna før problemene blir store", 2),
    ("lag en oversikt over alle lag og foreninger i bydelen så folk vet hvor de kan bli med", 2),
    ("Jeg kan arabisk og norsk og vil gjerne være frivillig og hjelpe naboer på foreldremøter. Sikkert flere som meg med andre språk, kan vi lage en gruppe?", 2),
    ("mer for ungdomer å gjøre i helgene så de ikke bare henger på senteret", 2),
    ("Foreldrevandring på Tempe fredagskveld, vi var fem foreldre sist og trenger flere", 2),
    ("Bedriftene på Sorgenfri kunne tatt ansvar for en aktivitet i året for barna i nabolaget. Noen av dem har jo store lokaler og folk som kan ting. Kanskje det etter hvert kunne bli noen sommerjobber ut av det også.", 2),
    ("Vi i sameiet vil samarbeide med borettslaget ved siden av om en felles sommerfest. Går det an å søke om litt midler?", 2),
    ("Barna trenger voksne som ser dem. Treneren på fotballaget er den eneste voksne sønnen min snakker med utenom oss.", 2),
    ("kulturkveld der naboer fra ulike land lager mat til hverandre, jeg stiller gjerne med somalisk mat", 2),
    ("sjakklubb for barn på biblioteket? jeg kan lede den frivillig på lørdager", 2),
    ("Det bor så mange flinke folk her. Lag en talentbank der naboer kan lære bort det de kan, sykkelreparasjon, matlaging, språk, hva som helst.", 2),
    ("La ungdommene selv drive ungdomsklubben, med litt hjelp fra voksne. da blir det deres sted og de passer bedre på det", 2),
    ("Sykkelverksted for unger der eldre naboer lærer dem å fikse sykler", 2),
    ("kan skolen og fritidsklubben samarbeide bedre? noen barn faller mellom alle stoler og ingen tar tak før det er for sent", 2),
    ("Jeg vil starte et løpelag på Rosendal for alle nivåer, gratis. Trenger bare å nå ut til folk", 2),
    ("Vi trenger flere frivillige til matutdelingen på fredager, det kommer flere og flere hver uke", 2),
    ("Babytreff eller åpen barnehage der nye foreldre i bydelen kan møtes og hjelpe hverandre. Jeg kjente ingen da jeg fikk første barn og var mye alene.", 2),
    # Nynorsk
    ("Foreldrenettverk på skulen hadde vore fint, mange av oss kjenner ikkje kvarandre i det heile", 2),
    ("Ungdomsklubben må ha fleire vaksne på jobb. Det er berre ein der no og han rekk ikkje over alle", 2),
    ("Kva med ein nabodag på Tempe i september? Loppemarknad, kaffi og leik for ungane", 2),
    ("eg er pensjonist og har god tid. vil gjerne vere med som frivillig for born og unge på ein eller annan måte", 2),
    ("Idrettslaget og skulen burde samarbeide om gratis aktivitetar etter skuletid", 2),
    ("Vi treng ein oversikt over frivillige lag i bydelen. Det er vanskeleg å finne ut kven som gjer kva.", 2),
    ("Bakaren på hjørnet gir bort brød kvar kveld. Fleire butikkar kunne gjort det same, og så kunne frivillige dele det ut til dei som treng det.", 2),
    ("ungane treng fleire trygge vaksne rundt seg. mentorordning for 13-16-åringar?", 2),
    ("Kan moskeen, kyrkja og frivilligsentralen lage noko saman for ungdommen i sommarferien?", 2),
    ("Eg vil starte eit songkor for born på Møllenberg. Treng hjelp med å nå ut til foreldra.", 2),
    ("Det er så mykje ressursar i nabolaget som ingen veit om. Spør folk kva dei kan, i staden for kva dei manglar, så kjem dei med.", 2),
    # English
    ("Would love a neighbours' day on Møllenberg, most of us are students and don't know the families living here at all", 2),
    ("I coach a kids football team at Rosendal. We could take many more kids but we need volunteer coaches, even parents who just show up once a week would help.", 2),
    ("The youth club should be open in the summer too, that's when the kids have nothing to do", 2),
    ("parents network for international families at the school pls", 2),
    ("Local businesses on Tempe could sponsor a sports day for the kids. I run a café and would be happy to help.", 2),
    ("Could the associations in Lademoen meet a few times a year to plan together? Right now nobody knows what the others are doing.", 2),
    ("mentoring for teenagers from adults in the neighbourhood. just someone to talk to and do stuff with once a week", 2),
    ("more free activities for kids after school!!", 2),
    ("I'm a retired teacher and would like to volunteer with homework help for kids in the neighbourhood - who organises that?", 2),
    ("It would be nice with a volunteer group that helps elderly neighbours with shopping and snow shovelling in winter", 2),
    ("Early intervention please. Teachers, youth workers and parents need to talk before kids get into trouble, not after.", 2),
    ("We started a group chat in our block and it's been great, people help each other with everything from drills to babysitting. Maybe other blocks could get some tips on how to start one?", 2),
    ("Could the student volunteer groups at NTNU be connected with the local sports clubs? Lots of students want to help but don't know where", 2),
    ("Dance classes for girls, run by older girls from the area. They'd be great role models for the younger ones.", 2),

    # ------------------------------------------------------------------
    # 3 = Å skape gode bo- og nærmiljø
    # ------------------------------------------------------------------
    # Bokmål
    ("Det er så mørkt ved undergangen på Lademoen at jeg ikke tør gå der om kvelden", 3),
    ("mer lys i parken!!", 3),
    ("Altfor mye trafik i gatene rundt skolen om morgenen, noen kommer til å bli påkjørt snart", 3),
    ("Lekeplassen ved blokkene våre på Tempe er ødelagt og har vært det i et år. Huskene mangler og sandkassa er full av sneiper.", 3),
    ("Det er mugg på badet i den kommunale leiligheten jeg leier og ingen kommer for å fikse det. Har meldt fra tre ganger.", 3),
    ("Husleiene på Møllenberg er helt sprø. Familier med barn har ikke råd til å bo her lenger, det blir bare hybler og studenter som flytter etter et år.", 3),
    ("benker langs Nidelva så eldre kan hvile på turen", 3),
    ("Søppel overalt ved containerne etter helgene. Trengs flere søppelkasser og oftere tømming", 3),
    ("Vi trenger et bydelshus der folk kan møtes uten å måtte kjøpe noe", 3),
    ("Det bråker fra utestedene til kl 3 hver helg, vi får ikke sove og ungene er trøtte på skolen", 3),
    ("fartsdumper i gata vår, bilene kjører altfor fort", 3),
    ("Hvorfor ble helsestasjonen flyttet ut av bydelen? Nå må vi ta to busser med babyen for en vanlig kontroll.", 3),
    ("Busstoppet ved Sorgenfri mangler leskur og benk, det er ille for eldre om vinteren", 3),
    ("Flere grøntområder på Tempe, det er bare asfalt og parkeringsplasser", 3),
    ("fotgjengerfelt ved butikken!!! barna må krysse der hver dag", 3),
    ("Jeg føler meg utrygg når jeg går hjem fra bussen. Det selges narkotika ved trappa og ingen gjør noe. Jeg har begynt å gå en omvei på ti minutter for å slippe.", 3),
    ("Biblioteket bør ligge midt i bydelen der folk faktisk går, ikke borte ved industriområdet", 3),
    ("Det bygges bare små leiligheter her. Vi trenger boliger for familier også så folk kan bli boende", 3),
    ("tagging og knuste ruter i trappeoppgangen, huseieren bryr seg ikke", 3),
    ("En møteplass for eldre på dagtid, med kaffe og aviser, hadde vært gull", 3),
    ("Parken på Rosendal trenger toaletter og en gapahuk så folk kan være der lenger", 3),
    ("Sykkelfeltet gjennom Lademoen er livsfarlig, det bare slutter midt i krysset", 3),
    ("det lukter kloakk fra kummen utenfor oppgangen vår, har gjort det i flere uker", 3),
    ("Jeg har bodd på Møllenberg i 30 år og ser at naboene flytter hele tiden. Ingen blir kjent med hverandre lenger. Det trengs boliger folk har råd til å eie og ønsker å bli boende i, ikke bare utleiehybler.", 3),
    ("ballbinge på Tempe!", 3),
    ("hundebæsj overalt på plenen der ungene leker", 3),
    ("Kommunale boliger samles i de samme blokkene. Spre dem ut i hele byen, det er ikke rettferdig at alt havner her", 3),
    ("Det trengs et felleslokale i borettslaget som beboerne kan låne til bursdager og møter", 3),
    ("Gatelysene i smuget bak skolen har vært ødelagt siden høsten", 3),
    ("Butikken la ned og nå er det ingen dagligvare i gangavstand for oss eldre. Kommunen må tenke på hvor butikker og tjenester ligger når de regulerer.", 3),
    ("Trygghetsvandring med politiet og beboerne for å finne mørke og utrygge steder i bydelen, og så faktisk fikse dem etterpå", 3),
    # Nynorsk
    ("Det er for lite lys på gangvegen langs elva, eg går ikkje der etter at det har blitt mørkt", 3),
    ("Leikeplassen ved skulen treng nye apparat, dei gamle er rustne", 3),
    ("Bilane køyrer altfor fort i gata vår, vi treng fartsdump", 3),
    ("Ein møteplass utan krav om å kjøpe noko! Eit grendehus eller bydelshus på Lademoen", 3),
    ("Husleiga har gått opp 30 prosent på to år. Snart har ingen vanlege folk råd til å bu her.", 3),
    ("Det er mugg i leilegheita og ungen min har fått astma. Utleigar svarar ikkje på meldingane.", 3),
    ("benkar og blomar i parken", 3),
    ("søppelet flyt over ved returpunktet kvar måndag", 3),
    ("Kvifor ligg legekontoret så langt unna busshaldeplassen? Det er vanskeleg for dei som går med rullator.", 3),
    ("Det er mykje bråk og fest i bakgarden om natta. Kan kommunen snakke med huseigarane?", 3),
    ("Meir grønt og færre parkeringsplassar på Møllenberg, gjerne ein liten park der folk kan sitje", 3),
    # English
    ("The underpass by the bus stop is scary at night, it needs better lighting", 3),
    ("Mould in our flat again. We rent from the municipality and have reported it three times.", 3),
    ("Rent on Møllenberg is insane. Students are squeezed into tiny flats and families are being pushed out of the area.", 3),
    ("Traffic outside the school at 8am is dangerous. Please close the street to cars at drop-off time.", 3),
    ("We need a community house in Tempe where anyone can meet without paying", 3),
    ("more benches and trees please", 3),
    ("The playground at Sorgenfri has been broken for months", 3),
    ("party noise every weekend on Møllenberg, I have small kids and we can't sleep", 3),
    ("why is the health centre so far from where people actually live? put services close to the bus stops", 3),
    ("Rubbish bins overflowing along the river path every Sunday", 3),
    ("I don't feel safe walking home from the bus stop on Lademoen. There's drug dealing by the stairs and the lights are broken half the time. Honestly I've thought about moving.", 3),
    ("a covered bike parking at the library would be great", 3),
    ("The municipality should stop concentrating social housing in a few blocks. Mix it across the city so no area gets all the problems.", 3),
    ("Could the empty shop on the corner become a neighbourhood living room? Somewhere warm with coffee, open to everyone, where you can just sit.", 3),

    # ------------------------------------------------------------------
    # 4 = Forsknings-, utviklings- og innovasjonssamarbeid
    # ------------------------------------------------------------------
    # Bokmål
    ("Hvordan vet dere om områdesatsingen faktisk virker? Jeg vil gjerne se tall fra før og etter", 4),
    ("NTNU-studenter kunne gjort et prosjekt om hvorfor folk flytter fra Lademoen", 4),
    ("Lag en spørreundersøkelse om trivsel i bydelen hvert år så vi kan se utviklingen over tid", 4),
    ("Test ut en app der man kan melde fra om ødelagte gatelys og hull i veien, og mål om ting faktisk blir fikset raskere enn før", 4),
    ("Jeg er masterstudent i sosiologi og vil gjerne skrive oppgave om møteplassene på Møllenberg. Hvem kan jeg snakke med?", 4),
    ("publiser dataene fra satsingen så alle kan se dem", 4),
    ("Prøv ut en ny måte å jobbe på: NAV-veiledere sitter på biblioteket én dag i uka et halvår. Evaluer det etterpå og sjekk om flere får hjelp enn når de må til kontoret.", 4),
    ("Hva skjedde med forskningen fra Saupstad-Kolstad? Kan vi lære noe av den her, eller starter vi på nytt?", 4),
    ("Indikatorene bør ikke bare være tall. Spør folk hvordan de har det, gjerne med intervjuer", 4),
    ("Det er mange undersøkelser her men vi får aldri se resultatene. Del dem med oss som svarte!", 4),
    ("Pilot med gratis buss for ungdom i bydelen i ett år, og sammenlign med andre bydeler etterpå", 4),
    ("evaluering av leksehjelpen? vet noen om den faktisk hjelper på karakterene", 4),
    ("Kunne arkitektstudentene på NTNU laget et studentprosjekt med forslag til hvordan Lademoen park kan bli, sammen med oss som bruker den?", 4),
    ("Samle inn tall på hvor mange som bruker møteplassene og når, så vi vet hva som fungerer og ikke", 4),
    ("Bruk sensorer til å måle støy i gatene om natta, da har dere data å vise til i stedet for bare klager", 4),
    ("Det burde forskes på hvorfor så få fra bydelen tar høyere utdanning. Er det penger, informasjon eller noe annet?", 4),
    ("Innovasjon i hjemmetjenesten: test ut videobesøk for eldre som bor alene, og undersøk om de blir mindre ensomme", 4),
    ("Sammenlign levekårene her med andre byer som har hatt områdeløft. Hva gjorde de som virket?", 4),
    ("jeg savner en årlig rapport om hva pengene i satsingen har gått til og hva det har gitt av resultater", 4),
    ("forskerne må snakke med ungdommen selv, ikke bare med lærerne og de ansatte", 4),
    ("Kan dere gjøre et lite forsøk med åpen skole på kveldstid et halvår og telle hvor mange som kommer?", 4),
    ("Hvilke indikatorer bruker dere for trygghet? Politiets tall sier ikke alt, mye blir aldri anmeldt.", 4),
    ("Følgeforskning på satsingen fra start, ikke bare en sluttevaluering når alt er ferdig og ingen kan endre noe", 4),
    ("Ungdommene på skolen kunne vært medforskere og laget sin egen undersøkelse om nabolaget, med hjelp fra forskere", 4),
    ("Lag et dashbord med tall for hver bydel: hvor mange idéer, hvor mange som fikk svar og hvor lang tid det tok", 4),
    ("Test ut digital melding av feil og mangler i ett borettslag først før dere ruller det ut overalt", 4),
    ("studentoppgave om trafikksikkerhet rundt skolene? ville vært nyttig med ordentlige tellinger", 4),
    ("NTNU og kommunen bør ha en fast samarbeidsavtale om forskning i bydelene, ikke bare enkeltprosjekter som forsvinner når studenten er ferdig", 4),
    ("Ble det målt noe før dere satte opp de nye lysene? ellers vet vi jo ikke om folk føler seg tryggere nå", 4),
    ("Kan anonymiserte data fra Medvirk brukes i forskning? Jeg synes det er greit så lenge ingen kan kjennes igjen.", 4),
    # Nynorsk
    ("Korleis skal de måle om satsinga har verka? Eg vil gjerne sjå kva indikatorar de nyttar.", 4),
    ("Studentar frå NTNU kunne intervjua eldre på Møllenberg om korleis bydelen har endra seg", 4),
    ("Del resultata frå spørjeundersøkinga med oss som svarte", 4),
    ("Prøv ut ei ny ordning i liten skala først, og evaluer ho skikkeleg før de gjer det i heile byen", 4),
    ("forsking på kvifor folk flyttar ut av Tempe", 4),
    ("Det burde vere ei årleg trivselsundersøking i alle tre bydelane, slik at vi kan samanlikne over tid", 4),
    ("Eg skriv bacheloroppgåve i sosialt arbeid og vil gjerne samarbeide med områdesatsinga. Kven kontaktar eg?", 4),
    ("Kan de teste ut eit nytt tilbod der helsesjukepleiar og NAV sit saman ein dag i veka, og undersøkje om det hjelper familiane?", 4),
    ("Opne data om kor mange som deltek på arrangementa, fordelt på bydel", 4),
    ("Ungdom bør få vere med og forske på sitt eige nabolag", 4),
    ("Sluttevalueringa må ta med kva bebuarane sjølve meiner, ikkje berre tal frå kommunen", 4),
    # English
    ("How will you measure whether any of this works? I'd like to see the indicators and the baseline.", 4),
    ("I'm an NTNU student in urban planning and would love to do my thesis on Lademoen. Who should I contact?", 4),
    ("Please publish the survey results, we answered it last year and never heard anything", 4),
    ("pilot a new service in one neighbourhood first and evaluate it properly before scaling", 4),
    ("Is there any research on what worked in Saupstad-Kolstad? Would be good to learn from it here.", 4),
    ("open data pls", 4),
    ("Could you compare well-being in Tempe with similar districts in other cities? Otherwise the numbers don't mean much.", 4),
    ("Test a digital booking system for the meeting rooms for six months and count how often they're actually used", 4),
    ("Involve residents in the research, not just as people who fill in forms. Co-research with young people would be really interesting.", 4),
    ("The safety rating on this site is a good idea but please explain how the numbers will be used", 4),
    ("Students from the design programme could run a service design workshop with residents about how the health centre works. New ideas might come out of it that staff haven't thought of.", 4),
    ("What does success look like in 2028? Set clear goals now so the final evaluation actually means something", 4),
    ("Would be interesting to track how many people who join activities here later get a job or start studying. That's the real indicator, not how many came to a party.", 4),
    ("try free wifi in the park as an experiment and see if more young people hang out there. measure it before and after", 4),
]
