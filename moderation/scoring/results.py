"""What scoring takes and gives: an item to assess, and what the models and policy made of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from moderation.policy.rules import Decision, Scores


class RelevanceBasis(models.TextChoices):
    """What a comment's relevance rests on: its article, its article with its parent as thread
    context, only its parent (a reply whose article text is missing), or nothing."""

    ARTICLE = "article", _("the article")
    ARTICLE_AND_PARENT = "article_and_parent", _("the article and the parent comment")
    PARENT = "parent", _("the parent comment (no article text)")
    NONE = "", _("nothing (no article text, no parent)")


@dataclass
class Item:
    """One text to assess, with what the relevance check and the policy need to know."""

    text: str
    article: Article | None
    parent_text: str | None = None
    author_approved_comments: int = 0
    declared_language: str = "de"
    # The parent's own calibrated relevance, with its thread context, from its latest assessment,
    # and the model that gave it: lets a conversation stay on topic deeper than one reply.
    parent_relevance: float | None = None
    parent_relevance_model: str = ""


@dataclass
class Result:
    """What the models found for one item, and the policy's decision on it.

    relevance, relevance_article, relevance_parent and relevance_parent_article are calibrated
    (0..1, 0.5 = as close as unrelated text comes; see moderation.scoring.relevance);
    relevance_raw and relevance_parent_raw are the model's cosine similarities. relevance_basis
    says what relevance rests on: the article, the article with the parent, or (where the article
    text is missing) the parent alone.
    """

    toxicity: dict[str, float]
    relevance: float | None
    relevance_article: float | None
    relevance_parent: float | None
    language: str
    language_source: str
    # What `decide` reads, and its decision (set by `decide_each`).
    scores: Scores | None = None
    decision: Decision | None = None
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    relevance_raw: float | None = None
    relevance_parent_raw: float | None = None
    relevance_parent_article: float | None = None
    relevance_model: str = ""
    relevance_basis: str = RelevanceBasis.NONE
    # The rest of what `decide` read, stored so that the what-if replays it exactly.
    word_count: int | None = None
    has_link: bool | None = None
    author_approved_comments: int | None = None
    list_text: str = ""
    # The active site model's outputs, its weightiest n-grams, and its version (None: no model).
    site_model: dict[str, float] = field(default_factory=dict)
    site_model_terms: list = field(default_factory=list)
    site_model_version: int | None = None

    @property
    def decided(self) -> Decision:
        """The policy's decision; every result that scoring hands on has one."""
        if self.decision is None:
            raise ValueError("The result has no decision yet (see assessment.decide_each).")
        return self.decision
