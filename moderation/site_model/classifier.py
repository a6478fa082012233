"""The site model itself: word and character n-grams (TF-IDF), optionally with the assessment's
scores and the comment's sentence embedding, into logistic regressions: one for "a moderator would
not publish this", and one that tells the reasons with enough examples apart.

Linear models, so that the n-grams that weighed most for a comment can be shown (coefficient ×
TF-IDF value), and scoring a comment costs well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn import config_context
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

MAIN_OUTPUT = "site_model"
RELEVANCE_FEATURES = ("relevance", "relevance_article", "relevance_parent")
# The plain configuration's regularisation; training chooses among a few (`selection`).
C = 1.0


def reason_output(reason: str) -> str:
    return f"{MAIN_OUTPUT}_{reason}"


@dataclass
class Features:
    """Which features a classifier uses besides the n-grams, fixed when it is trained."""

    toxicity_labels: list[str] = field(default_factory=list)
    relevance: bool = False
    embeddings: bool = False

    def names(self) -> list[str]:
        names = ["word n-grams", "character n-grams"]
        names += [f"toxicity: {label}" for label in self.toxicity_labels]
        names += list(RELEVANCE_FEATURES) if self.relevance else []
        return names + (["sentence embedding"] if self.embeddings else [])


@dataclass
class Sample:
    """One text and the model scores the optional features read (missing ones count as 0)."""

    text: str
    scores: dict = field(default_factory=dict)
    embedding: np.ndarray | None = None


Embedder = Callable[[list[str]], np.ndarray]


class SiteClassifier:
    """The n-grams are the plain configuration's: word 1–2 and char_wb 2–5 grams, sublinear TF-IDF;
    the regressions weigh both classes equally (`class_weight="balanced"`), with strength `c`."""

    def __init__(self, features: Features | None = None, *, c: float = C) -> None:
        self.features = features or Features()
        self.c = c
        self.words = TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regular expression, not a password)
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32
        )
        self.main: LogisticRegression | None = None
        self.reason_model: LogisticRegression | None = None
        self.sole_reason: str | None = None
        self.reasons: list[str] = []
        self.terms: np.ndarray = np.array([], dtype=object)
        self.embedding_width = 0

    @property
    def fitted_main(self) -> LogisticRegression:
        """The "not published" regression, once `fit` or `fit_matrix` has made it."""
        if self.main is None:
            raise ValueError("The site classifier has not been fitted.")
        return self.main

    @property
    def outputs(self) -> list[str]:
        return [MAIN_OUTPUT, *map(reason_output, self.reasons)]

    def fit(
        self,
        samples: Sequence[Sample],
        labels: np.ndarray,
        reasons: Sequence[str],
        chosen: list[str],
    ) -> SiteClassifier:
        """Fit the vectorizers and the regressions on these samples."""
        return self.fit_matrix(self.fit_vectorizers(samples), labels, reasons, chosen)

    def fit_vectorizers(self, samples: Sequence[Sample]) -> sparse.csr_matrix:
        """Learn the n-gram vocabulary (no labels involved); returns the samples' matrix."""
        return self.with_dense(self.fit_grams(samples), samples)

    def fit_grams(self, samples: Sequence[Sample]) -> sparse.csr_matrix:
        """Learn the n-gram vocabulary (no labels involved); returns the samples' n-gram rows."""
        texts = [sample.text for sample in samples]
        grams = sparse.hstack(
            [self.words.fit_transform(texts), self.chars.fit_transform(texts)], format="csr"
        )
        self.terms = np.concatenate(
            [self.words.get_feature_names_out(), self.chars.get_feature_names_out()]
        )
        return grams

    def with_dense(self, grams: sparse.csr_matrix, samples: Sequence[Sample]) -> sparse.csr_matrix:
        """The n-gram rows with this classifier's optional features appended."""
        if self.features.embeddings and not self.embedding_width:
            self.embedding_width = next(
                (len(s.embedding) for s in samples if s.embedding is not None), 0
            )
        return sparse.hstack([grams, self._dense(samples)], format="csr")

    def fit_matrix(
        self,
        matrix: sparse.csr_matrix,
        labels: np.ndarray,
        reasons: Sequence[str],
        chosen: list[str],
    ) -> SiteClassifier:
        """Fit the regressions on rows of `matrix`: "not published", then which reason.

        The reasons' model learns from the turned-down rows alone, so each reason's output is
        P(not published) × P(this reason | not published), at the cost of one small fit.
        """
        self.main = _regression(self.c).fit(matrix, labels)
        self.reasons = list(chosen)
        self.reason_model = None
        down = np.flatnonzero(labels == 1)
        names = np.array([r if r in chosen else "" for r in np.asarray(reasons)[down]])
        self.sole_reason = names[0] if len(set(names.tolist())) == 1 else None
        if len(set(names.tolist())) > 1:
            self.reason_model = LogisticRegression(C=self.c, max_iter=300).fit(matrix[down], names)
        return self

    def predict_matrix(self, matrix: sparse.csr_matrix) -> dict[str, np.ndarray]:
        """Each output's probabilities for the rows of `matrix`."""
        main = self.fitted_main.predict_proba(matrix)[:, 1]
        outputs = {MAIN_OUTPUT: main}
        if self.reason_model is not None:
            given = self.reason_model.predict_proba(matrix)
            classes = list(self.reason_model.classes_)
            for reason in self.reasons:
                share = given[:, classes.index(reason)] if reason in classes else 0.0
                outputs[reason_output(reason)] = main * share
        else:
            # Every turned-down example had the same reason (or none of those chosen).
            for reason in self.reasons:
                outputs[reason_output(reason)] = main * (reason == self.sole_reason)
        return outputs

    def predict(self, samples: Sequence[Sample]) -> list[dict[str, float]]:
        """Each output's probability for each sample."""
        return self.score(samples)[0]

    def score(
        self, samples: Sequence[Sample], top: int = 8
    ) -> tuple[list[dict[str, float]], list[list[tuple[str, float]]]]:
        """Each output's probability for each sample, and the n-grams that pushed most towards
        "not published" (coefficient × TF-IDF value), from one pass over the texts."""
        if not samples:
            return [], []
        # scikit-learn's input checks cost more than the scoring itself for one comment.
        with config_context(assume_finite=True, skip_parameter_validation=True):
            matrix = self.matrix(samples)
            columns = self.predict_matrix(matrix)
        scores = [
            {name: round(float(values[i]), 4) for name, values in columns.items()}
            for i in range(len(samples))
        ]
        return scores, [self._terms(matrix, row, top) for row in range(len(samples))]

    def _terms(self, matrix: sparse.csr_matrix, row: int, top: int) -> list[tuple[str, float]]:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns = matrix.indices[start:end]
        grams = columns < len(self.terms)
        columns, values = columns[grams], matrix.data[start:end][grams]
        weights = self.fitted_main.coef_[0][columns] * values
        order = np.argsort(-weights)[:top]
        return [
            (str(self.terms[columns[i]]), round(float(weights[i]), 3))
            for i in order
            if weights[i] > 0
        ]

    def matrix(self, samples: Sequence[Sample]) -> sparse.csr_matrix:
        texts = [sample.text for sample in samples]
        parts = [self.words.transform(texts), self.chars.transform(texts), self._dense(samples)]
        return sparse.hstack(parts, format="csr")

    def _dense(self, samples: Sequence[Sample]) -> sparse.csr_matrix:
        """The optional features as columns: toxicity labels, relevance, the embedding."""
        columns: list[np.ndarray] = []
        for label in self.features.toxicity_labels:
            columns.append(
                np.array([(s.scores.get("toxicity") or {}).get(label, 0.0) for s in samples])
            )
        if self.features.relevance:
            for name in RELEVANCE_FEATURES:
                # A missing relevance (no article, no parent) reads as "unrelated": 0.
                columns.append(np.array([s.scores.get(name) or 0.0 for s in samples]))
        dense = np.column_stack(columns) if columns else np.zeros((len(samples), 0))
        if self.features.embeddings:
            width = self.embedding_width
            stacked = np.stack(
                [s.embedding if s.embedding is not None else np.zeros(width) for s in samples]
            )
            dense = np.hstack([dense, stacked])
        return sparse.csr_matrix(dense.astype(np.float32))


def _regression(c: float) -> LogisticRegression:
    """liblinear's dual form: the same optimum as the primal, several times faster when there are
    more n-grams than examples, as there always are here."""
    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=1000
    )
