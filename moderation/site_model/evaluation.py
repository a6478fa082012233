"""Measuring the policy and the site model on a labelled file: every row through the worker's own
code path (`assessment.assess`), then AUCs per score and the policy's outcomes against the labels.

Articles named in the file exist only for the evaluation: they are created in a transaction that
is rolled back at the end, so the relevance check runs exactly as in the worker and nothing stays.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import numpy as np
from django.db import transaction

from articles.models import Article
from moderation.models import LabelledExample, PolicyVersion
from moderation.policy.rules import Outcome
from moderation.scoring import classifiers
from moderation.scoring.assessment import assess
from moderation.scoring.results import Item, Result
from moderation.site_model.csvfile import Row
from moderation.site_model.training import auc

Progress = Callable[[int], object]  # what it returns is not read


def score_rows(
    rows: list[Row],
    *,
    scorer: classifiers.Scorer,
    policy: PolicyVersion,
    batch_size: int,
    progress: Progress | None = None,
) -> list[Result]:
    """The assessment of every row, batch by batch; the new-commenter rule does not apply."""
    results: list[Result] = []
    with transaction.atomic():
        articles = _articles_for(rows)
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            items = [
                Item(
                    text=row.text,
                    article=articles.get(_article_key(row)),
                    parent_text=row.parent_text or None,
                    author_approved_comments=policy.new_commenter_reviews,
                    declared_language=row.language or "de",
                )
                for row in batch
            ]
            results += assess(items, scorer=scorer, policy=policy)
            if progress is not None:
                progress(len(batch))
        transaction.set_rollback(True)
    return results


def _article_key(row: Row) -> tuple | None:
    if row.article_id:
        return ("id", row.article_id)
    if row.article_title or row.article_text:
        return ("text", row.article_title, row.article_text)
    return None


def _articles_for(rows: list[Row]) -> dict[tuple | None, Article]:
    """One temporary article per article id (or per title and text, for rows without an id)."""
    articles: dict[tuple | None, Article] = {}
    for row in rows:
        key = _article_key(row)
        if key is None or key in articles or not (row.article_title or row.article_text):
            continue
        articles[key] = Article.objects.create(
            title=row.article_title[:200],
            slug=f"evaluation-{uuid.uuid4().hex}",
            lead="",
            body=row.article_text,
            author_name="evaluation",
            language=row.language if row.language in Article.Language.values else "de",
        )
    return articles


def report(rows: list[Row], results: list[Result], policy: PolicyVersion | None = None) -> dict:
    """n, each score's ROC AUC for the label, the policy's outcomes against it, and the shares;
    with `policy`, what its site model threshold and the whole policy catch."""
    labels = np.array([row.label for row in rows])
    columns: dict[str, list[float | None]] = {}
    for index, result in enumerate(results):
        named: dict[str, float | None] = dict(result.toxicity)
        # Low relevance points to a violation (off-topic): turned round, higher AUC is better.
        named["relevance"] = None if result.relevance is None else 1.0 - result.relevance
        named.update(result.site_model)
        for name, value in named.items():
            columns.setdefault(name, [None] * len(results))[index] = value
    aucs = {}
    for name, values in sorted(columns.items()):
        known = [i for i, value in enumerate(values) if value is not None]
        aucs[name] = auc(labels[known], np.array([values[i] for i in known])) if known else None
    outcomes = {outcome.value: {"0": 0, "1": 0} for outcome in Outcome}
    for row, result in zip(rows, results, strict=True):
        outcomes[result.decided.outcome.value][str(row.label)] += 1
    rejected = sum(outcomes["reject"].values())
    violating = int(labels.sum())
    return {
        "n": len(rows),
        "positives": violating,
        "auc": aucs,
        "outcomes": outcomes,
        "reject_precision": round(outcomes["reject"]["1"] / rejected, 4) if rejected else None,
        "violating_published_share": (
            round(outcomes["publish"]["1"] / violating, 4) if violating else None
        ),
        "review_share": round(sum(outcomes["review"].values()) / len(rows), 4),
        "site_model_version": next((r.site_model_version for r in results), None),
        "violations_caught": (
            round((outcomes["review"]["1"] + outcomes["reject"]["1"]) / violating, 4)
            if violating
            else None
        ),
        **(_site_model_reach(labels, results, policy) if policy is not None else {}),
    }


def _site_model_reach(labels: np.ndarray, results: list[Result], policy: PolicyVersion) -> dict:
    """The share of violations (label 1) whose site model score reaches the review threshold, and
    the share of all rows that does; None without an active site model."""
    if not any(result.site_model_version for result in results):
        return {"site_model_review_recall": None, "site_model_review_share": None}
    scores = np.array([result.site_model.get("site_model", 0.0) for result in results])
    reaches = scores >= policy.site_model_review_at
    violations = labels == 1
    return {
        "site_model_review_recall": (
            round(float(reaches[violations].mean()), 4) if violations.any() else None
        ),
        "site_model_review_share": round(float(reaches.mean()), 4),
    }


def add_missing_scores(
    *, scorer: classifiers.Scorer, batch_size: int, progress: Progress | None = None
) -> int:
    """Score the labelled examples that carry no model scores (imported ones) as the worker
    would, and keep the scores as their features. Returns how many were scored."""
    examples = list(LabelledExample.objects.filter(scores={}).order_by("id"))
    rows = [
        Row(
            line=0,
            text=example.text,
            label=example.label,
            article_id=example.article_ref,
            article_title=example.article_title,
            article_text=example.article_lead,
            parent_text=example.parent_text,
            language=example.language,
        )
        for example in examples
    ]
    policy = PolicyVersion.objects.active()
    results = score_rows(
        rows, scorer=scorer, policy=policy, batch_size=batch_size, progress=progress
    )
    for example, result in zip(examples, results, strict=True):
        if not result.error:
            example.scores = {
                "toxicity": result.toxicity,
                "relevance": result.relevance,
                "relevance_article": result.relevance_article,
                "relevance_parent": result.relevance_parent,
            }
    LabelledExample.objects.bulk_update(examples, ["scores"], batch_size=1000)
    return sum(1 for example in examples if example.scores)
