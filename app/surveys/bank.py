"""The question bank: the standard questions every round asks word for word, so rounds can be compared.

A key is stable for good. Changing a question's words here is a new ``version`` of it (its old version stays
in the database with the answers it got, and earlier rounds keep asking it): edit the texts and raise the
version, never edit the texts of a version a round has asked.

The three ratings are the ones district feedback asks (app/feedback/forms.py), in the words of its
translations, split into the question and the labels of its ends, so a survey's figures and the feedback's
read the same. Texts in ar, so, ti, pl and uk have not yet been checked by a native speaker (like their
interface catalogues); a checked wording is a new version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.surveys.models import QuestionKind

Texts = dict[str, str]


@dataclass(frozen=True)
class BankQuestion:
    key: str
    version: int
    kind: QuestionKind
    wording: Texts
    scale_low: Texts = field(default_factory=dict)
    scale_high: Texts = field(default_factory=dict)
    choices: list[dict[str, Any]] = field(default_factory=list)
    number_min: int | None = None
    number_max: int | None = None


NOT_AT_ALL: Texts = {
    "nb": "Ikke i det hele tatt", "nn": "Ikkje i det heile", "en": "Not at all", "ar": "أبدًا",
    "so": "Gabi ahaanba maya", "ti": "ፈጺሙ", "pl": "Wcale", "uk": "Зовсім ні",
}
STRONGLY_DISAGREE: Texts = {
    "nb": "Helt uenig", "nn": "Heilt usamd", "en": "Strongly disagree", "ar": "لا أوافق أبدًا",
    "so": "Gabi ahaanba kuma raacsani", "ti": "ፈጺመ ኣይሰማማዕን", "pl": "Zdecydowanie się nie zgadzam",
    "uk": "Зовсім не погоджуюся",
}
STRONGLY_AGREE: Texts = {
    "nb": "Helt enig", "nn": "Heilt samd", "en": "Strongly agree", "ar": "أوافق تمامًا",
    "so": "Aad baan u raacsanahay", "ti": "ምሉእ ብምሉእ እሰማማዕ", "pl": "Zdecydowanie się zgadzam",
    "uk": "Повністю погоджуюся",
}
YES_NO: list[dict[str, Any]] = [
    {"value": "yes", "label": {"nb": "Ja", "nn": "Ja", "en": "Yes", "ar": "نعم", "so": "Haa", "ti": "እወ",
                               "pl": "Tak", "uk": "Так"}},
    {"value": "no", "label": {"nb": "Nei", "nn": "Nei", "en": "No", "ar": "لا", "so": "Maya", "ti": "ኣይፋል",
                              "pl": "Nie", "uk": "Ні"}},
]


def _agree(key: str, wording: Texts) -> BankQuestion:
    return BankQuestion(key, 1, QuestionKind.SCALE, wording, STRONGLY_DISAGREE, STRONGLY_AGREE)


QUESTIONS: tuple[BankQuestion, ...] = (
    BankQuestion("safety", 1, QuestionKind.SCALE, {
        "nb": "Hvor trygg føler du deg i bydelen?", "nn": "Kor trygg kjenner du deg i bydelen?",
        "en": "How safe do you feel in the district?", "ar": "إلى أي حد تشعر بالأمان في الحي؟",
        "so": "Intee in le'eg ayaad nabad ku dareentaa xaafadda?", "ti": "ኣብቲ ከባቢ ክንደይ ድሕንነት ይስምዓኩም?",
        "pl": "Jak bezpiecznie czujesz się w dzielnicy?", "uk": "Наскільки безпечно ви почуваєтеся в районі?",
    }, NOT_AT_ALL, {
        "nb": "Veldig trygg", "nn": "Svært trygg", "en": "Very", "ar": "كثيرًا جدًا", "so": "Aad",
        "ti": "ኣዝዩ", "pl": "Bardzo", "uk": "Дуже",
    }),
    BankQuestion("wellbeing", 1, QuestionKind.SCALE, {
        "nb": "Hvor godt trives du her?", "nn": "Kor godt trivst du med å bu her?",
        "en": "How much do you enjoy living here?", "ar": "إلى أي حد تستمتع بالعيش هنا؟",
        "so": "Intee in le'eg ayaad ku raaxaysataa inaad halkan ku noolaato?", "ti": "ኣብዚ ምንባር ክንደይ ይፈትውዎ?",
        "pl": "Jak dobrze Ci się tu mieszka?", "uk": "Наскільки вам подобається тут жити?",
    }, NOT_AT_ALL, {
        "nb": "Veldig godt", "nn": "Svært godt", "en": "Very much", "ar": "كثيرًا جدًا", "so": "Aad iyo aad",
        "ti": "ኣዝየ", "pl": "Bardzo dobrze", "uk": "Дуже",
    }),
    BankQuestion("belonging", 1, QuestionKind.SCALE, {
        "nb": "Hvor mye føler du at du hører til her?", "nn": "Kor mykje kjenner du at du høyrer til her?",
        "en": "How much do you feel you belong here?", "ar": "إلى أي حد تشعر بأنك تنتمي إلى هنا؟",
        "so": "Intee in le'eg ayaad dareentaa inaad halkan ka tirsan tahay?", "ti": "ኣብዚ ክንደይ ከም ትሕበሩ ይስምዓኩም?",
        "pl": "Na ile czujesz, że tu przynależysz?", "uk": "Наскільки ви відчуваєте, що належите до цього місця?",
    }, NOT_AT_ALL, {
        "nb": "Veldig mye", "nn": "Svært mykje", "en": "Very much", "ar": "كثيرًا جدًا", "so": "Aad iyo aad",
        "ti": "ኣዝዩ", "pl": "Bardzo", "uk": "Дуже",
    }),
    _agree("safe_after_dark", {
        "nb": "Jeg føler meg trygg når jeg går ute her etter at det har blitt mørkt.",
        "nn": "Eg kjenner meg trygg når eg går ute her etter at det har vorte mørkt.",
        "en": "I feel safe walking here after dark.",
        "ar": "أشعر بالأمان عندما أمشي هنا بعد حلول الظلام.",
        "so": "Waxaan dareemaa ammaan marka aan halkan ku socdo kadib marka uu mugdi galo.",
        "ti": "ድሕሪ ምጽላም ኣብዚ ክኸይድ ከለኹ ድሕንነት ይስምዓኒ።",
        "pl": "Czuję się bezpiecznie, kiedy chodzę tu po zmroku.",
        "uk": "Я почуваюся в безпеці, коли ходжу тут після настання темряви.",
    }),
    _agree("know_where_to_take_part", {
        "nb": "Jeg vet hvor jeg kan gå for å være med.",
        "nn": "Eg veit kvar eg kan gå for å vere med.",
        "en": "I know where to go to take part.",
        "ar": "أعرف إلى أين أذهب لكي أشارك.",
        "so": "Waan ogahay meesha aan u tago si aan uga qayb qaato.",
        "ti": "ንምስታፍ ናበይ ከም ዝኸይድ እፈልጥ እየ።",
        "pl": "Wiem, dokąd pójść, żeby wziąć udział.",
        "uk": "Я знаю, куди звернутися, щоб долучитися.",
    }),
    BankQuestion("met_neighbours_at_meeting_place", 1, QuestionKind.SINGLE, {
        "nb": "Jeg har møtt naboer på en møteplass i nærområdet i år.",
        "nn": "Eg har møtt naboar på ein møteplass i nærområdet i år.",
        "en": "I have met neighbours at a local meeting place this year.",
        "ar": "التقيت بجيران لي في مكان لقاء في الحي هذا العام.",
        "so": "Sannadkan waxaan deriskayga kula kulmay goob kulan oo xaafadda ku taal.",
        "ti": "ኣብዚ ዓመት ኣብ ናይ ከባቢ መራኸቢ ቦታ ምስ ጎረባብተይ ተራኺበ።",
        "pl": "W tym roku zdarzyło mi się spotkać sąsiadów w lokalnym miejscu spotkań.",
        "uk": "Цього року мені траплялося зустрічати сусідів у місцевому місці зустрічей.",
    }, choices=YES_NO),
    BankQuestion("years_in_district", 1, QuestionKind.NUMBER, {
        "nb": "Hvor mange år har du bodd i bydelen?", "nn": "Kor mange år har du budd i bydelen?",
        "en": "How many years have you lived in the district?", "ar": "كم سنة عشت في الحي؟",
        "so": "Immisa sano ayaad ku noolayd xaafadda?", "ti": "ኣብዚ ከባቢ ክንደይ ዓመት ነቢርኩም?",
        "pl": "Od ilu lat mieszkasz w dzielnicy?", "uk": "Скільки років ви живете в районі?",
    }, number_min=0, number_max=100),
    BankQuestion("anything_else", 1, QuestionKind.TEXT, {
        "nb": "Er det noe mer du vil fortelle oss?", "nn": "Er det noko meir du vil fortelje oss?",
        "en": "Is there anything else you want to tell us?", "ar": "هل هناك شيء آخر تريد أن تخبرنا به؟",
        "so": "Ma jiraa wax kale oo aad rabto inaad noo sheegto?", "ti": "ካልእ ክትነግሩና እትደልይዎ ነገር ኣሎ ድዩ?",
        "pl": "Czy chcesz nam powiedzieć coś jeszcze?", "uk": "Чи хочете ви ще щось нам розповісти?",
    }),
)

BANK: dict[str, BankQuestion] = {question.key: question for question in QUESTIONS}
