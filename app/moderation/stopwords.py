"""Stop words for routing suggestions, per language: Bokmål, Nynorsk and English.

These are the words that say nothing about what a text is about — pronouns,
prepositions, conjunctions, auxiliary verbs, and the small adverbs and
intensifiers people sprinkle everywhere ("veldig", "litt", "egentlig",
"really"). A word shown to a moderator as the reason for a suggestion must
never be one of them, and the model does not learn from them either: a text
about a street light should not pull towards an area because it says
"mellom" or "før".

The Snowball stemmer we use ships no stop-word lists, so these are written
by hand from the languages' closed word classes. Words are matched in lower
case, before stemming.
"""
from __future__ import annotations

NB = frozenset("""
alle alt altså andre annen annet at av bak bare begge ble blei bli blir blitt bort både båe da dag dager
de dem den denne dens der deres dere derfor det dette di din disse dit ditt du eller ellers en ene eneste
enhver enn ens er et ett etter fikk for fordi fra fram frem før først få får gang ganger gikk gjennom
gjør gjøre gjorde god godt gå går ha hadde han hans har hele helst helt her hva hvem hver hvilke hvilken
hvis hvor hvordan hvorfor hun hvert i ikke ikkje inn inne innen ja jeg kan kanskje kom kommer kun kunne
lage langt litt liksom man mange med meg meget mellom men mens mer mest min mindre mine mitt mot
mye må måte ned nei noe noen nok nokså nå når og også om opp oss over på rundt samme se selv seg sin
sine sitt sjøl skal skulle slik slike slikt som store stort så sånn sånt ta tatt til tilbake trenger
uten ut var vart ved veldig vi vil ville vise vært være været å år øvrig ganske svært litt egentlig
faktisk fortsatt alltid aldri ofte nesten sikkert bra fint fin flere hei takk tror synes syns mener
tenker vet visst jo nemlig iallfall uansett osv mvh ting eks feks gjerne lenger
""".split())

NN = frozenset("""
alle alt andre anna anten at av bak berre båe då dei deira deim dykk dykkar dere der det dette di din
dine ditt du ein eit eitt eg ei eller elles enn er etter for fordi frå fram før først få får gjer gjere
gjorde gong gonger ha hadde han hans har heile heilt her ho hennar hjå kva kvar kvarandre kven korleis
kvifor kan kanskje kom kjem kunne kva litt me meg mellom men medan meir mest mi mine mitt mot mykje
må ned nei noko nokon nokre nok no når og òg også om opp oss over på rundt same seg sin sine sitt sjølv
skal skulle slik slike som så sånn til tilbake utan ut var vart ved veldig vere vore vi vil ville vår
våre vårt å år ikkje ikke kor korfor nokså svært ganske eigentleg faktisk framleis alltid aldri ofte
nesten sikkert bra fint fin fleire hei takk trur synest meiner tenkjer veit jo iallfall uansett osv
gjerne lenger sidan ting
""".split())

EN = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each few for from further get gets got had hadn't has hasn't have haven't having he her here hers
herself him himself his how i if in into is isn't it it's its itself just let's me more most mustn't my
myself no nor not of off on once only or other ought our ours ourselves out over own same she should
shouldn't so some such than that that's the their theirs them themselves then there there's these they
this those through to too under until up very was wasn't we were weren't what when where which while who
whom why will with won't would wouldn't you your yours yourself yourselves really quite pretty rather
still always never often almost maybe perhaps actually lot lots much many thing things something anything
everything nothing someone anyone everyone like well even ever way ways get got make made go goes going
think thought know want wants need needs please thanks thank hello hi dear etc im i'm we're they're
there's it's one two
""".split())

BY_LANGUAGE = {"nb": NB, "nn": NN, "en": EN}
# Texts arrive in any of the three languages (often mixed), so the model drops a word that is a stop word in any.
ALL = NB | NN | EN


def is_stop_word(word: str) -> bool:
    return word.lower() in ALL
