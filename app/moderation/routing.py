"""Routing suggestions: which effort area a text most likely belongs to, and the words that say so.

A multinomial naive Bayes classifier over stemmed words (Norwegian and English
Snowball stemmers), in pure Python. It starts from a prior that ships with the
app — the effort areas' own texts and sub-themes in three languages and a
labelled set of resident texts (``routing_data``) — and learns from every
routing decision moderators make. It only suggests; it never routes.

Learning must not drift away from the prior: the demo alone routes the same
few hundred texts thousands of times, and a handful of odd decisions should
not outweigh what the agreement says. So moderators' decisions are kept apart
from the prior and weighed against it: each distinct text counts once however
often it was routed (near-identical texts share one key), as half a prior
text (``LEARNED_WEIGHT``), and all decisions together weigh at most
``LEARNED_SHARE`` times the prior. Measured on the
held-out file and by cross-validation over the demo's decisions, half the
prior's weight kept learning useful without letting it swamp the prior.
"""
from __future__ import annotations

import logging
import math
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, NamedTuple

import snowballstemmer
from flask import current_app
from sqlalchemy import func, select

from app.core.db import reading_only
from app.districts.models import EffortArea
from app.districts.seed_data import EFFORT_AREAS
from app.extensions import db
from app.feedback.models import Feedback
from app.ideas.models import Idea
from app.moderation.routing_data import LABELLED
from app.moderation.stopwords import ALL as STOPWORDS
from app.submissions.models import Submission

logger = logging.getLogger(__name__)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_NORWEGIAN = snowballstemmer.stemmer("norwegian")
_ENGLISH = snowballstemmer.stemmer("english")

# All learned decisions together weigh at most this many times the prior (in words).
LEARNED_SHARE = 0.5
# What one distinct learned text weighs next to one text of the prior: a decision is one moderator's
# reading of one text, where the prior was written and checked to cover the areas.
LEARNED_WEIGHT = 0.5
# Below this probability an area is a long shot: its "reasons" would only be noise, so none are shown.
REASON_THRESHOLD = 0.15
# Character 4-grams of longer words, besides the stems: Norwegian compounds ("gatelys", "nabolagsfest",
# "møteplassen") share parts with the words the model knows even when the whole word is new.
NGRAMS: tuple[int, ...] = (4,)


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


def near_key(text: str) -> str:
    """Texts that differ only in case, punctuation, digits or spacing share a key (and count once)."""
    return " ".join(_WORD.findall(text.lower()))


class Decision(NamedTuple):
    text: str
    area: int
    key: str   # near_key of what makes the text what it is (an idea's body, whatever its title)


@dataclass
class Suggestion:
    number: int          # effort area number
    score: float         # probability, 0–1
    words: list[str] = field(default_factory=list)  # words in the text that pull towards this area


def _word_features(word: str, ngrams: tuple[int, ...]) -> list[str]:
    """What the model counts for one lower-cased content word: its stems, and n-grams of a longer word."""
    features = list(_stems(word))
    if ngrams and len(word) >= 6:
        padded = f"<{word}>"
        features.extend(f"#{padded[i:i + n]}" for n in ngrams for i in range(len(padded) - n + 1))
    return features


def _content_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _features(text: str, ngrams: tuple[int, ...]) -> list[str]:
    return [feature for word in _content_words(text) for feature in _word_features(word, ngrams)]


class Classifier:
    """Naive Bayes whose word counts are the prior's plus the moderators' decisions, weighed down."""

    def __init__(self, alpha: float = 1.0, learned_share: float | None = None,
                 ngrams: tuple[int, ...] | None = None):
        self.alpha = alpha
        self.learned_share = LEARNED_SHARE if learned_share is None else learned_share
        self.ngrams = NGRAMS if ngrams is None else ngrams
        self.prior: dict[int, Counter] = defaultdict(Counter)
        self.learned: dict[int, Counter] = defaultdict(Counter)
        self.prior_totals: Counter = Counter()
        self.learned_totals: Counter = Counter()
        self.vocabulary: set[str] = set()
        self.seen: set[str] = set()

    @property
    def areas(self) -> list[int]:
        return sorted(set(self.prior) | set(self.learned))

    def _add(self, counts: dict[int, Counter], totals: Counter, text: str, area: int, weight: float) -> None:
        words = _features(text, self.ngrams)
        for word in words:
            counts[area][word] += weight
        totals[area] += weight * len(words)
        self.vocabulary.update(words)

    def learn_prior(self, examples: Iterable[tuple[str, int]]) -> "Classifier":
        for text, area in examples:
            self._add(self.prior, self.prior_totals, text, area, 1.0)
        return self

    def learn(self, decisions: Iterable[Decision | tuple[str, int]]) -> "Classifier":
        """Learn moderators' decisions: each distinct text once, split between the areas it was routed to.

        A text seen before (routed again, or a copy of one already learned) adds nothing
        until the next full rebuild, which weighs all its decisions together.
        """
        by_key: dict[str, list[Decision]] = {}
        for decision in decisions:
            decision = decision if isinstance(decision, Decision) else Decision(*decision, near_key(decision[0]))
            if decision.key not in self.seen:
                by_key.setdefault(decision.key, []).append(decision)
        for key, group in by_key.items():
            self.seen.add(key)
            for decision in group:
                self._add(self.learned, self.learned_totals, decision.text, decision.area, LEARNED_WEIGHT / len(group))
        return self

    def _scale(self) -> float:
        """How much a learned word counts: 1 until the decisions together outweigh their share of the prior."""
        learned = sum(self.learned_totals.values())
        cap = self.learned_share * sum(self.prior_totals.values())
        return 1.0 if learned <= cap else cap / learned

    def _log_likelihoods(self, words: Iterable[str], area: int, scale: float) -> dict[str, float]:
        prior, learned = self.prior[area], self.learned[area]
        denominator = math.log(self.prior_totals[area] + scale * self.learned_totals[area]
                               + self.alpha * (len(self.vocabulary) + 1))
        return {w: math.log(prior[w] + scale * learned[w] + self.alpha) - denominator for w in words}

    def suggest(self, text: str, top: int = 4, explain: int = 5) -> list[Suggestion]:
        """Areas by likelihood (uniform prior: no area is favoured for being common)."""
        areas = self.areas
        if not areas:
            return []
        scale = self._scale()
        words = [w for w in _features(text, self.ngrams) if w in self.vocabulary]
        distinct = set(words)
        likelihood = {area: self._log_likelihoods(distinct, area, scale) for area in areas}
        # A long word brings its stems and several n-grams, which are far from independent evidence:
        # counted as they are they make the model sure of itself (most texts at 100 %). Dividing by
        # the features per word keeps the ranking and lets the percentage shown mean something.
        per_word = max(1.0, len(words) / max(1, sum(1 for w in words if not w.startswith("#"))))
        scores = {area: sum(likelihood[area][w] for w in words) / per_word for area in areas}
        peak = max(scores.values())
        weights = {area: math.exp(score - peak) for area, score in scores.items()}
        total = sum(weights.values())
        ranked = sorted(areas, key=lambda area: (-scores[area], area))[:top]
        suggestions = []
        for area in ranked:
            score = weights[area] / total
            drivers: list[str] = []
            others = [a for a in areas if a != area]
            if others and score >= REASON_THRESHOLD:
                drivers = self._reasons(text, area, others, likelihood)[:explain]
            suggestions.append(Suggestion(area, score, drivers))
        return suggestions

    def _reasons(self, text: str, area: int, others: list[int], likelihood: dict[int, dict[str, float]]) -> list[str]:
        """The text's content words, as written, that pull towards ``area`` more than towards any other.

        A word pulls through its stems and its n-grams together, so a compound the model
        has never seen whole ("nabolagsfesten") can still be the reason.
        """
        pull: Counter = Counter()
        for word in dict.fromkeys(_content_words(text)):
            features = [f for f in _word_features(word, self.ngrams) if f in self.vocabulary]
            if features:
                pull[word] = (sum(likelihood[area][f] for f in features)
                              - max(sum(likelihood[o][f] for f in features) for o in others))
        return [word for word, value in pull.most_common() if value > 0]


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
FULL_REBUILD_SECONDS = 3600


def model(exclude: set[str] | None = None) -> Classifier:
    """The prior plus moderators' decisions.

    Each call looks up one row: the latest change among routed items, the top of
    ``ix_submissions_routed_updated``. Items routed since the model was built
    are added to it as they come, read by the same index (a text learned before,
    or an item routed again, waits for the next rebuild). Reading every routed
    item, which grows with the data, happens in a request only when the app
    first needs the model; the hourly rebuild runs beside the requests, which
    keep the old model meanwhile. A decision that disappears (an item deleted or
    routed away) waits for that rebuild, a new one counts at once.
    """
    if exclude:
        keys = {near_key(text) for text in exclude}
        return (Classifier().learn_prior(e for e in prior_examples() if e[0].strip() not in exclude
                                         and near_key(e[0]) not in keys)
                .learn(d for d in routing_decisions() if d.text.strip() not in exclude and d.key not in keys))

    changed_at = db.session.execute(_latest_decision()).scalar()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _lock:
        cached = app.extensions.get("routing_model")
        if cached is None:
            return _build(app, changed_at)
        if changed_at is not None and (cached["changed_at"] is None or changed_at > cached["changed_at"]):
            cached["model"].learn(routing_decisions(changed_after=cached["changed_at"]))
        # Gone backwards (the latest decision was deleted or routed away): learnt again at the rebuild.
        cached["changed_at"] = changed_at
        stale = time.monotonic() - cached["built"] >= FULL_REBUILD_SECONDS and not cached.get("rebuilding")
        if stale:
            cached["rebuilding"] = True
        classifier = cached["model"]
    if stale:
        _in_background(lambda: _rebuild(app))
    return classifier


def _build(app, changed_at) -> Classifier:
    """Read every routed item and learn them (the caller holds ``_lock``)."""
    classifier = Classifier().learn_prior(prior_examples()).learn(routing_decisions())
    app.extensions["routing_model"] = {"model": classifier, "changed_at": changed_at, "built": time.monotonic()}
    return classifier


def _in_background(work) -> None:
    threading.Thread(target=work, name="routing-rebuild", daemon=True).start()


def _rebuild(app) -> None:
    """The hourly rebuild, beside the requests: at a hundred times the demo's data it reads some 280,000
    routed items and takes half a minute, which no moderator should wait for. Requests keep the old model
    (learning what is routed meanwhile) until the new one is ready."""
    with app.app_context():
        try:
            with reading_only():
                changed_at = db.session.execute(_latest_decision()).scalar()
                classifier = Classifier().learn_prior(prior_examples()).learn(routing_decisions())
                db.session.rollback()
            with _lock:
                # What is routed while this one was built changed after ``changed_at``: the next request learns it.
                app.extensions["routing_model"] = {"model": classifier, "changed_at": changed_at,
                                                   "built": time.monotonic()}
        except Exception:  # the old model stays; it is tried again after an hour
            logger.exception("Rebuilding the routing model failed")
            with _lock:
                cached = app.extensions.get("routing_model")
                if cached is not None:
                    cached.update(built=time.monotonic(), rebuilding=False)
        finally:
            db.session.remove()


def _latest_decision():
    """When a routed idea or piece of feedback last changed: one step down the routed items' index."""
    # The kind is tested on the row found, never looked up by its own index (which holds every idea).
    return (select(Submission.updated_at)
            .where(Submission.effort_area_id.is_not(None),
                   func.coalesce(Submission.kind, Submission.kind).in_(("idea", "feedback")))
            .order_by(Submission.updated_at.desc()).limit(1))


def routing_decisions(changed_after=None) -> list[Decision]:
    """Every idea and feedback text a moderator has routed (changed after ``changed_after``), with the area chosen."""
    # The area is looked up for each routed item found, never the other way round (the items of each area
    # by the area's index would be all of them, where only the latest changes are wanted).
    ideas = (select(Idea.title, Idea.body, EffortArea.number)
             .join(EffortArea, EffortArea.id == func.coalesce(Idea.effort_area_id, Idea.effort_area_id)))
    feedback = (select(Feedback.body, EffortArea.number)
                .join(EffortArea, EffortArea.id == func.coalesce(Feedback.effort_area_id, Feedback.effort_area_id))
                .where(Feedback.body.is_not(None)))
    if changed_after is not None:
        # Repeats the predicate of ix_submissions_routed_updated, so the range is read from that index.
        ideas = ideas.where(Idea.effort_area_id.is_not(None), Idea.updated_at > changed_after)
        feedback = feedback.where(Feedback.effort_area_id.is_not(None), Feedback.updated_at > changed_after)
    # An idea is keyed on its body: the same proposal under a new title is still the same text.
    return ([Decision(f"{title} {body}", number, near_key(body) or near_key(title))
             for title, body, number in db.session.execute(ideas)]
            + [Decision(body, number, near_key(body)) for body, number in db.session.execute(feedback)])


def _score(classifier: Classifier, rows: Iterable[tuple[str, int]]) -> tuple[int, int, dict[int, list[bool]]]:
    top1 = top2 = 0
    per_area: dict[int, list[bool]] = {}
    for text, area in rows:
        ranked = [s.number for s in classifier.suggest(text, top=2, explain=0)]
        top1 += ranked[:1] == [area]
        top2 += area in ranked[:2]
        per_area.setdefault(area, []).append(ranked[:1] == [area])
    return top1, top2, per_area


def evaluate(rows: list[tuple[str, int]]) -> dict:
    """Top-1 and top-2 accuracy and recall per area on labelled rows, never trained on them."""
    classifier = model(exclude={text.strip() for text, _ in rows})
    top1, top2, per_area = _score(classifier, rows)
    n = max(1, len(rows))
    return {
        "top1": top1 / n, "top2": top2 / n, "n": len(rows),
        "recall": {area: sum(hits) / len(hits) for area, hits in sorted(per_area.items())},
    }


def cross_validate(decisions: list[Decision] | None = None, folds: int = 5, seed: int = 18) -> dict:
    """k-fold over the stored decisions: learn from k-1 folds (on top of the prior), test on the rest.

    Folds split distinct texts, never copies of one text, so a text is never
    tested on a model that learned a copy of it. Each text is tested once, on
    the area most decisions gave it.
    """
    decisions = routing_decisions() if decisions is None else decisions
    groups: dict[str, list[Decision]] = {}
    for decision in decisions:
        groups.setdefault(decision.key, []).append(decision)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    prior = prior_examples()
    top1 = top2 = 0
    for fold in range(folds):
        held = set(keys[fold::folds])
        classifier = Classifier().learn_prior(prior).learn(d for d in decisions if d.key not in held)
        rows = [(groups[key][0].text, Counter(d.area for d in groups[key]).most_common(1)[0][0]) for key in held]
        hits1, hits2, _ = _score(classifier, rows)
        top1, top2 = top1 + hits1, top2 + hits2
    n = len(keys)
    return {"top1": top1 / max(1, n), "top2": top2 / max(1, n), "n": n, "decisions": len(decisions), "folds": folds}
