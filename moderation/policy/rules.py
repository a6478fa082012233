"""The moderation policy as a pure function: scores and thresholds in, a decision and reasons out.

Nothing here touches the database or a model, so every rule is unit-tested on plain values.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace

from moderation.codes import ReasonCode
from moderation.policy.wordlists import WordList, normalise

# The labels Detoxify's models return, after Detoxify's own renaming (toxic -> toxicity, ...).
TOXICITY_LABELS = (
    "toxicity",
    "severe_toxicity",
    "obscene",
    "identity_attack",
    "insult",
    "threat",
    "sexual_explicit",
)

LINK_PATTERN = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|de|org|net|io|info|biz)\b", re.I)
WORD_PATTERN = re.compile(r"\w+", re.UNICODE)


class Outcome(enum.StrEnum):
    PUBLISH = "publish"
    REVIEW = "review"
    REJECT = "reject"


@dataclass(frozen=True)
class LabelThresholds:
    review_at: float
    reject_at: float


@dataclass(frozen=True)
class WordRule:
    """A word list sending comments to review or rejecting them, in one language or all ("")."""

    language: str
    outcome: Outcome
    words: WordList


# The thresholds a language may override, besides each label's `<label>_review_at`/`_reject_at`.
OVERRIDABLE = ("relevance_review_below", "short_text_words")


@dataclass(frozen=True)
class Thresholds:
    labels: dict[str, LabelThresholds]
    relevance_review_below: float
    new_commenter_reviews: int
    links_to_review: bool
    short_text_words: int
    # {"de": {"insult_review_at": 0.4, ...}}: a language's own values for some thresholds.
    language_overrides: dict[str, dict[str, float]] = field(default_factory=dict)
    word_rules: tuple[WordRule, ...] = ()
    # Set on the copy `for_language` returns: whose overrides apply, and to which fields.
    language: str = ""
    overridden: frozenset[str] = frozenset()
    _by_language: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def for_language(self, language: str) -> Thresholds:
        """These thresholds with the language's overrides applied (itself if it has none)."""
        overrides = self.language_overrides.get(language)
        if not overrides or self.language:
            return self
        if language not in self._by_language:
            labels = {
                label: LabelThresholds(
                    review_at=overrides.get(f"{label}_review_at", limits.review_at),
                    reject_at=overrides.get(f"{label}_reject_at", limits.reject_at),
                )
                for label, limits in self.labels.items()
            }
            self._by_language[language] = replace(
                self,
                labels=labels,
                relevance_review_below=overrides.get(
                    "relevance_review_below", self.relevance_review_below
                ),
                short_text_words=int(overrides.get("short_text_words", self.short_text_words)),
                language=language,
                overridden=frozenset(overrides),
            )
        return self._by_language[language]

    # The site model's outputs are labels too; None switches that threshold off (the default
    # policy has no reject threshold for them: the site model only sends comments to review).
    site_model_review_at: float | None = None
    site_model_reject_at: float | None = None


@dataclass(frozen=True)
class Scores:
    """What the models said about one comment, and the facts about its author the rules need."""

    toxicity: dict[str, float]
    relevance: float | None
    text: str
    author_approved_comments: int = 0
    unavailable: bool = False
    # Stored on the assessment so that the what-if replays `decide` exactly without the text;
    # None means "work it out from the text".
    word_count: int | None = None
    has_link: bool | None = None
    language: str = ""
    list_text: str | None = None  # the text as wordlists.normalise returns it
    # The active site model's outputs: "site_model" and one "site_model_<reason>" per reason.
    site_model: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    label: str = ""
    score: float | None = None
    threshold: float | None = None
    # The language whose own threshold applied, when it overrides the default.
    language: str = ""

    def as_dict(self) -> dict:
        fields = {k: v for k, v in self.__dict__.items() if v not in ("", None)}
        return {**fields, "code": str(ReasonCode(self.code).value)}


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: list[Reason] = field(default_factory=list)
    # A score in the upper half between its review and reject thresholds: review it first.
    near_reject: bool = False


def is_short(text: str, short_text_words: int) -> bool:
    """Too few words for a meaningful on-topic check ("Genau!", "Danke für den Artikel")."""
    return len(WORD_PATTERN.findall(text)) < short_text_words


def word_count(text: str) -> int:
    return len(WORD_PATTERN.findall(text))


def has_link(text: str) -> bool:
    return bool(LINK_PATTERN.search(text))


def decide(scores: Scores, thresholds: Thresholds) -> Decision:
    """Reject if any label reaches its reject threshold; else review if any rule asks; else publish.

    Every rule that fired is returned as a reason, rejecting ones first, so moderators and site
    owners see all of them, not only the first.
    """
    if scores.unavailable:
        return Decision(Outcome.REVIEW, [Reason(ReasonCode.ASSESSMENT_UNAVAILABLE)])

    thresholds = thresholds.for_language(scores.language)
    rejecting, reviewing, near_reject = _toxicity_reasons(scores, thresholds)
    _word_list_reasons(scores, thresholds, rejecting, reviewing)
    site_rejecting, site_reviewing = _site_model_reasons(scores.site_model, thresholds)
    rejecting += site_rejecting
    reviewing += site_reviewing + _context_reasons(scores, thresholds)

    if rejecting:
        return Decision(Outcome.REJECT, rejecting + reviewing)
    if reviewing:
        return Decision(Outcome.REVIEW, reviewing, near_reject=near_reject)
    return Decision(Outcome.PUBLISH, [])


def _toxicity_reasons(
    scores: Scores, thresholds: Thresholds
) -> tuple[list[Reason], list[Reason], bool]:
    """The labels that reach their reject and review thresholds, and whether any score in review
    lies nearer the reject threshold than the review one."""
    overridden, language = thresholds.overridden, thresholds.language
    rejecting: list[Reason] = []
    reviewing: list[Reason] = []
    near_reject = False
    for label, score in sorted(scores.toxicity.items()):
        limits = thresholds.labels.get(label)
        if limits is None:
            continue
        if score >= limits.reject_at:
            own = language if f"{label}_reject_at" in overridden else ""
            rejecting.append(
                Reason(ReasonCode.TOXICITY_REJECT, label, round(score, 4), limits.reject_at, own)
            )
        elif score >= limits.review_at:
            own = language if f"{label}_review_at" in overridden else ""
            reviewing.append(
                Reason(ReasonCode.TOXICITY_REVIEW, label, round(score, 4), limits.review_at, own)
            )
            near_reject |= score >= (limits.review_at + limits.reject_at) / 2
    return rejecting, reviewing, near_reject


def _context_reasons(scores: Scores, thresholds: Thresholds) -> list[Reason]:
    """Review for what the comment's place says rather than its words: off the topic, a new
    commenter, a link."""
    reviewing = []
    words = scores.word_count if scores.word_count is not None else word_count(scores.text)
    if (
        scores.relevance is not None
        and scores.relevance < thresholds.relevance_review_below
        and words >= thresholds.short_text_words
    ):
        overridden = thresholds.overridden & set(OVERRIDABLE)
        reviewing.append(
            Reason(
                ReasonCode.OFF_TOPIC,
                score=round(scores.relevance, 4),
                threshold=thresholds.relevance_review_below,
                language=thresholds.language if overridden else "",
            )
        )
    if scores.author_approved_comments < thresholds.new_commenter_reviews:
        reviewing.append(
            Reason(
                ReasonCode.NEW_COMMENTER,
                score=scores.author_approved_comments,
                threshold=thresholds.new_commenter_reviews,
            )
        )
    link = scores.has_link if scores.has_link is not None else has_link(scores.text)
    if thresholds.links_to_review and link:
        reviewing.append(Reason(ReasonCode.CONTAINS_LINK))
    return reviewing


def _word_list_reasons(
    scores: Scores, thresholds: Thresholds, rejecting: list[Reason], reviewing: list[Reason]
) -> None:
    """A reason for each list entry found in the comment, on the list's side (reject or review)."""
    text = scores.list_text
    for rule in thresholds.word_rules:
        if rule.language and rule.language != scores.language:
            continue
        if text is None:
            text = normalise(scores.text)
        reject = rule.outcome == Outcome.REJECT
        code = ReasonCode.WORD_LIST_REJECT if reject else ReasonCode.WORD_LIST_REVIEW
        (rejecting if reject else reviewing).extend(
            Reason(code, label=phrase, language=rule.language) for phrase in rule.words.hits(text)
        )


def _site_model_reasons(
    outputs: dict[str, float], thresholds: Thresholds
) -> tuple[list[Reason], list[Reason]]:
    """(rejecting, reviewing) reasons from the site model's outputs and their thresholds."""
    rejecting: list[Reason] = []
    reviewing: list[Reason] = []
    reject_at, review_at = thresholds.site_model_reject_at, thresholds.site_model_review_at
    for name, score in sorted(outputs.items()):
        if reject_at is not None and score >= reject_at:
            rejecting.append(Reason(ReasonCode.SITE_MODEL_REJECT, name, round(score, 4), reject_at))
        elif review_at is not None and score >= review_at:
            reviewing.append(Reason(ReasonCode.SITE_MODEL_REVIEW, name, round(score, 4), review_at))
    return rejecting, reviewing
