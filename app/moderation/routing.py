"""Routing suggestions: which effort area a text most likely belongs to, and the words that say so.

A multinomial naive Bayes classifier over stemmed words (Norwegian and English
Snowball stemmers), in pure Python. It starts from a prior that ships with the
app — the effort areas' own texts and sub-themes in three languages and a
labelled set of resident texts (``routing_data``) — and learns from every
routing decision moderators make. It only suggests; it never routes.
"""
from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import snowballstemmer

from app.districts.models import EffortArea
from app.districts.seed_data import EFFORT_AREAS
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Idea
from app.moderation.routing_data import LABELLED
from app.submissions.models import Submission

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_NORWEGIAN = snowballstemmer.stemmer("norwegian")
_ENGLISH = snowballstemmer.stemmer("english")
# Words that say nothing about an effort area, in the three languages.
STOPWORDS = frozenset("""
og i på er det som en et til av for med at de ikke vi jeg du har kan vil skal men om så fra var den ved mot
seg være ble blir har hadde eller også bare mer mange noen alle her der når hvor hva hvem hvordan
ein eit ikkje eg me dei dykk kva kven korleis berre meir mykje noko nokon vere vert vart òg
the a an and or of to in on for with at by from is are was were be been it this that these those we you
they he she i my our your their not no yes can could should would will just very more some any all
there here when where what who how which about into than then them his her its as if so do does did
also please hei hello thanks takk
""".split())


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    stem = _NORWEGIAN.stemWord(word)
    english = _ENGLISH.stemWord(word)
    return (stem, f"en:{english}") if english != stem and word.isascii() else (stem,)


def tokens(text: str) -> list[str]:
    """Lower-cased words without stop words, stemmed: Norwegian always, English too where it differs."""
    result: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in STOPWORDS:
            result.extend(_stems(word))
    return result


@dataclass
class Suggestion:
    number: int          # effort area number
    score: float         # probability, 0–1
    words: list[str] = field(default_factory=list)  # words in the text that pull towards this area


class Classifier:
    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha
        self.counts: dict[int, Counter] = {}
        self.totals: dict[int, int] = {}
        self.vocabulary: set[str] = set()

    def learn(self, examples: Iterable[tuple[str, int]]) -> "Classifier":
        for text, area in examples:
            words = tokens(text)
            self.counts.setdefault(area, Counter()).update(words)
            self.totals[area] = self.totals.get(area, 0) + len(words)
            self.vocabulary.update(words)
        return self

    def _log_likelihood(self, word: str, area: int) -> float:
        return math.log((self.counts[area][word] + self.alpha) /
                        (self.totals[area] + self.alpha * (len(self.vocabulary) + 1)))

    def suggest(self, text: str, top: int = 4, explain: int = 5) -> list[Suggestion]:
        """Areas by likelihood (uniform prior: no area is favoured for being common)."""
        areas = sorted(self.counts)
        if not areas:
            return []
        words = [w for w in tokens(text) if w in self.vocabulary]
        scores = {area: sum(self._log_likelihood(w, area) for w in words) for area in areas}
        peak = max(scores.values())
        weights = {area: math.exp(score - peak) for area, score in scores.items()}
        total = sum(weights.values())
        ranked = sorted(areas, key=lambda area: (-scores[area], area))[:top]
        suggestions = []
        for area in ranked:
            others = [a for a in areas if a != area]
            pull = Counter()
            for word in set(words):
                if others:
                    pull[word] = self._log_likelihood(word, area) - max(self._log_likelihood(word, o) for o in others)
            drivers = list(dict.fromkeys(_readable(w, text) for w, value in pull.most_common(explain * 2) if value > 0))[:explain]
            suggestions.append(Suggestion(area, weights[area] / total, drivers))
        return suggestions


def _readable(stem: str, text: str) -> str:
    """The word as the person wrote it, for showing why an area was suggested."""
    stem = stem.removeprefix("en:")
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower.startswith(stem) or _NORWEGIAN.stemWord(lower) == stem or _ENGLISH.stemWord(lower) == stem:
            return lower
    return stem


# --- the model the app uses --------------------------------------------------------------


def prior_examples() -> list[tuple[str, int]]:
    """What ships with the app: the areas' texts and sub-themes in three languages, and the labelled set."""
    examples = []
    for area in EFFORT_AREAS:
        for locale in ("nb", "nn", "en"):
            examples.append((f"{area['title'][locale]} {area['goal'][locale]} {area['description'][locale]}", area["number"]))
            examples.extend((theme["label"][locale], area["number"]) for theme in area["sub_themes"])
    return examples + list(LABELLED)


_lock = threading.Lock()
_cache: dict[str, object] = {}
FULL_REBUILD_SECONDS = 3600


def model(exclude: set[str] | None = None) -> Classifier:
    """The prior plus moderators' decisions.

    Decisions made since the model was built are added to it as they come (an
    item routed again counts for its new area too until the next rebuild); the
    whole model is rebuilt when decisions disappear, and at least hourly.
    """
    if exclude:
        examples = [e for e in prior_examples() + routing_decisions() if e[0].strip() not in exclude]
        return Classifier().learn(examples)

    count, changed_at = db.session.execute(_decisions_version()).one()
    count = count or 0
    database = str(db.engine.url)
    with _lock:
        cached = _cache.get("state")
        fresh = (cached is not None and cached["database"] == database
                 and time.monotonic() - cached["built"] < FULL_REBUILD_SECONDS)
        if fresh and cached["count"] == count and cached["changed_at"] == changed_at:
            return cached["model"]
        if fresh and count >= cached["count"] and cached["changed_at"] is not None:
            cached["model"].learn(routing_decisions(changed_after=cached["changed_at"]))
            cached.update(count=count, changed_at=changed_at)
            return cached["model"]
        classifier = Classifier().learn(prior_examples() + routing_decisions())
        _cache["state"] = {"model": classifier, "count": count, "changed_at": changed_at,
                           "built": time.monotonic(), "database": database}
        return classifier


def _decisions_version():
    from sqlalchemy import func, select


    return select(func.count(Submission.id), func.max(Submission.updated_at)).where(
        Submission.effort_area_id.is_not(None), Submission.kind.in_(("idea", "feedback"))
    )


def routing_decisions(changed_after=None) -> list[tuple[str, int]]:
    """Every idea and feedback text a moderator has routed (changed after ``changed_after``), with the area chosen."""
    from sqlalchemy import select

    ideas = select(Idea.title, Idea.body, EffortArea.number).join(EffortArea, EffortArea.id == Idea.effort_area_id)
    feedback = (select(Feedback.body, EffortArea.number).join(EffortArea, EffortArea.id == Feedback.effort_area_id)
                .where(Feedback.body.is_not(None)))
    if changed_after is not None:
        ideas = ideas.where(Idea.updated_at > changed_after)
        feedback = feedback.where(Feedback.updated_at > changed_after)
    return ([(f"{title} {body}", number) for title, body, number in db.session.execute(ideas)]
            + [(body, number) for body, number in db.session.execute(feedback)])


def evaluate(rows: list[tuple[str, int]]) -> dict:
    """Top-1 and top-2 accuracy and recall per area on labelled rows, never trained on them."""
    classifier = model(exclude={text.strip() for text, _ in rows})
    top1 = top2 = 0
    per_area: dict[int, list[int]] = {}
    for text, area in rows:
        ranked = [s.number for s in classifier.suggest(text)]
        hit1, hit2 = ranked[:1] == [area], area in ranked[:2]
        top1 += hit1
        top2 += hit2
        per_area.setdefault(area, []).append(hit1)
    n = max(1, len(rows))
    return {
        "top1": top1 / n, "top2": top2 / n, "n": len(rows),
        "recall": {area: sum(hits) / len(hits) for area, hits in sorted(per_area.items())},
    }
