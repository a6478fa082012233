"""`decide`'s outcome for many stored assessments at once, with numpy, for the what-if.

The rules are those of `policy.decide`, written over columns instead of one comment; the tests
check that both agree on every row (thresholds per language and word lists included). Only the
outcome is computed here: the what-if calls `decide` itself for the comments whose outcome
changes, to show their reasons.
"""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass

import numpy as np
import orjson
from django.db import connections
from django.db.models import QuerySet

from moderation.policy.rules import Outcome, Scores, Thresholds, decide
from moderation.scoring.models import Assessment

PUBLISH, REVIEW, REJECT = 0, 1, 2
OUTCOMES = (Outcome.PUBLISH, Outcome.REVIEW, Outcome.REJECT)
FETCH = 5000


# The stored inputs as `Columns.read` reads them: these, the list text if asked, the scores.
FIELDS = ("id", "comment_id", *Assessment.POLICY_INPUTS)


@dataclass
class Columns:
    """The stored inputs of `decide`, one array per input, one row per assessment."""

    id: np.ndarray
    comment_id: np.ndarray
    labels: list[str]
    scores: np.ndarray  # rows x labels, NaN where a comment has no score for the label
    relevance: np.ndarray  # NaN where there was none
    word_count: np.ndarray
    has_link: np.ndarray
    approved: np.ndarray
    language: np.ndarray
    error: list[str]
    list_text: list[str] | None
    # The site model's outputs per row ({} without one), and their highest value (NaN if none):
    # `decide` compares each output with the same thresholds, so the highest decides.
    site_scores: list[dict] = dataclasses.field(default_factory=list)
    site_max: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.id)

    def scores_of(self, index: int | np.integer) -> Scores:
        """One row as `decide` takes it. Scores for labels no policy has are not read: `decide`
        ignores them."""
        relevance = self.relevance[index]
        toxicity = {
            label: float(score)
            for label, score in zip(self.labels, self.scores[index].tolist(), strict=True)
            if score == score  # not NaN
        }
        return Scores(
            toxicity=toxicity,
            relevance=None if np.isnan(relevance) else float(relevance),
            text="",
            author_approved_comments=int(self.approved[index]),
            unavailable=bool(self.error[index]),
            word_count=int(self.word_count[index]),
            has_link=bool(self.has_link[index]),
            language=str(self.language[index]),
            list_text=self.list_text[index] if self.list_text is not None else "",
            site_model=self.site_scores[index] if self.site_scores else {},
        )

    @classmethod
    def read(cls, queryset: QuerySet, *, labels: list[str], with_list_text: bool) -> Columns:
        """Read the stored inputs of the queryset's assessments with one plain cursor.

        The ORM's per-row conversions would take most of the time budget: the JSON scores of all
        rows are parsed in one call instead.
        """
        fields = FIELDS + (("list_text",) if with_list_text else ()) + ("toxicity", "site_model")
        sql, params = queryset.values_list(*fields).query.sql_with_params()
        rows: list[tuple] = []
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(FETCH):
                rows.extend(chunk)
        return cls.from_rows(rows, labels=labels, with_list_text=with_list_text)

    @classmethod
    def from_rows(cls, rows: list[tuple], *, labels: list[str], with_list_text: bool) -> Columns:
        width = len(FIELDS) + with_list_text
        columns = list(zip(*rows, strict=True)) if rows else [()] * (width + 2)
        # The site model's stored outputs ({"scores": {...}, "terms": [...]}) are optional.
        site = (
            [(v or {}).get("scores", {}) for v in _parse_json(columns[width + 1])]
            if len(columns) > width + 1
            else [{} for _ in columns[0]]
        )
        return cls(
            id=np.array(columns[0], dtype=np.int64),
            comment_id=np.array(columns[1], dtype=np.int64),
            labels=labels,
            scores=_score_matrix(_parse_json(columns[width]), labels),
            relevance=np.array(columns[2], dtype=float),  # None becomes NaN
            word_count=np.array(columns[3], dtype=np.int64),
            has_link=np.array(columns[4], dtype=bool),
            approved=np.nan_to_num(np.array(columns[5], dtype=float)).astype(np.int64),
            language=np.array(columns[6], dtype=object),
            error=list(columns[7]),
            list_text=[t or "" for t in columns[8]] if with_list_text else None,
            site_scores=site,
            site_max=np.array([max(v.values()) if v else np.nan for v in site], dtype=float),
        )


def _parse_json(values: tuple) -> list[dict]:
    """Scores stored as JSON text (SQLite; PostgreSQL through Django's loaders) or as dicts."""
    try:
        return orjson.loads("[" + ",".join(values) + "]")
    except TypeError:  # a database adapter that returns dicts, or a null
        pass
    return [orjson.loads(v) if isinstance(v, str) else (v or {}) for v in values]


def _score_matrix(toxicity: list[dict], labels: list[str]) -> np.ndarray:
    """rows x labels; NaN where a row lacks a label (an unavailable assessment has none)."""
    if not labels:
        return np.empty((len(toxicity), 0))
    getter = operator.itemgetter(*labels)
    nan = float("nan")
    rows = []
    for scores in toxicity:
        try:
            rows.append(getter(scores))
        except KeyError:
            rows.append(tuple(scores.get(label, nan) for label in labels))
    return np.array(rows, dtype=float).reshape(len(toxicity), len(labels))


# The thresholds' fields `outcomes` implements. A rule added to `Thresholds` later is replayed
# row by row with `decide` until it is added here (see `supports`).
KNOWN = {
    "labels",
    "relevance_review_below",
    "new_commenter_reviews",
    "links_to_review",
    "short_text_words",
    "language_overrides",
    "word_rules",
    "language",
    "overridden",
    "_by_language",
    "site_model_review_at",
    "site_model_reject_at",
}


def supports(thresholds: Thresholds) -> bool:
    """Whether `outcomes` knows every rule these thresholds set (others are at their defaults)."""
    for spec in dataclasses.fields(thresholds):
        if spec.name in KNOWN:
            continue
        if spec.default is not dataclasses.MISSING:
            default = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            default = spec.default_factory()
        else:
            return False
        if getattr(thresholds, spec.name) != default:
            return False
    return True


def outcomes(columns: Columns, thresholds: Thresholds) -> np.ndarray:
    """PUBLISH, REVIEW or REJECT for each row, exactly as `decide` would decide it."""
    if not supports(thresholds):
        codes = {outcome: code for code, outcome in enumerate(OUTCOMES)}
        return np.array(
            [codes[decide(columns.scores_of(i), thresholds).outcome] for i in range(len(columns))],
            dtype=np.int8,
        )
    reject, review = _rules(columns, thresholds, slice(None))
    for language in thresholds.language_overrides:
        rows = np.flatnonzero(columns.language == language)
        if len(rows):
            reject[rows], review[rows] = _rules(columns, thresholds.for_language(language), rows)
    review |= columns.approved < thresholds.new_commenter_reviews
    if columns.site_max is not None:
        # NaN (no site model output) compares False, as `decide` finds no output to compare.
        if thresholds.site_model_reject_at is not None:
            reject |= columns.site_max >= thresholds.site_model_reject_at
        if thresholds.site_model_review_at is not None:
            review |= columns.site_max >= thresholds.site_model_review_at
    if thresholds.links_to_review:
        review |= columns.has_link
    for rule in thresholds.word_rules:
        hits = _word_hits(columns, rule)
        if rule.outcome == Outcome.REJECT:
            reject |= hits
        else:
            review |= hits

    result = np.where(reject, REJECT, np.where(review, REVIEW, PUBLISH)).astype(np.int8)
    result[np.array([bool(error) for error in columns.error], dtype=bool)] = REVIEW
    return result


def _rules(columns: Columns, thresholds: Thresholds, rows) -> tuple[np.ndarray, np.ndarray]:
    """(reject, review) from the label thresholds and the relevance rule, for these rows."""
    review_at = np.full(len(columns.labels), np.inf)
    reject_at = np.full(len(columns.labels), np.inf)
    for j, label in enumerate(columns.labels):
        limits = thresholds.labels.get(label)
        if limits is not None:
            review_at[j], reject_at[j] = limits.review_at, limits.reject_at
    scores = columns.scores[rows]
    # NaN (no score, no relevance) compares False, as `decide` skips what is missing.
    reject = (scores >= reject_at).any(axis=1)
    review = (scores >= review_at).any(axis=1)
    review |= (columns.relevance[rows] < thresholds.relevance_review_below) & (
        columns.word_count[rows] >= thresholds.short_text_words
    )
    return reject, review


def _word_hits(columns: Columns, rule) -> np.ndarray:
    hits = np.zeros(len(columns), dtype=bool)
    if not rule.words.phrases or columns.list_text is None:
        return hits
    matches = rule.words.matches
    for index, (text, language) in enumerate(zip(columns.list_text, columns.language, strict=True)):
        if (not rule.language or rule.language == language) and matches(text):
            hits[index] = True
    return hits
