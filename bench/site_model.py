"""The site model on GermEval 2018: its cost, and how it compares with a plain baseline.

Prints
- `cv_auc=… cv_examples=…`: the site model's cross-validated AUC on the training file;
- `baseline_auc=… site_model_auc=…`: trained on the training file, measured on the held-out test
  file, against a plain TF-IDF + logistic regression trained on the same rows;
- `examples=N train_s=T score_ms_per_comment=S`: training (with its cross-validation) on 20,000
  examples (GermEval's rows repeated, grouped into articles of 50) and scoring one comment at a
  time, with the weightiest n-grams, as the worker does; `batch_score_ms_per_comment` in batches
  of 32.

    .venv/bin/python bench/site_model.py
"""

import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("AGORA_VAR_DIR", tempfile.mkdtemp(prefix="agora-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from bench.germeval_csv import read_germeval, write_csv  # noqa: E402
from moderation.models import PolicyVersion  # noqa: E402
from moderation.site_model import csvfile, training  # noqa: E402
from moderation.site_model.classifier import MAIN_OUTPUT, Sample  # noqa: E402

DATA = Path(os.environ.get("GERMEVAL_DIR", "/work/shared/data/germeval2018"))
TIMED_EXAMPLES = 20_000


def rows_of(name: str) -> list[csvfile.Row]:
    path = Path(tempfile.mkdtemp()) / f"{name}.csv"
    write_csv(read_germeval(DATA / f"germeval2018.{name}.txt"), path)
    return csvfile.read_rows(path)


def main() -> None:
    train_rows, test_rows = rows_of("training"), rows_of("test")
    policy = PolicyVersion()
    classifier, metrics = training.train(training.training_set_from_rows(train_rows), policy=policy)
    print(f"cv_auc={metrics['auc']} cv_examples={metrics['examples']} cv_folds={metrics['folds']}")
    review = metrics["at_thresholds"]["review"]
    print(
        f"cv_precision_at_{review['threshold']}={review['precision']} cv_recall={review['recall']}"
    )

    labels = [row.label for row in test_rows]
    predicted = classifier.predict([Sample(text=row.text) for row in test_rows])
    site_auc = roc_auc_score(labels, [scores[MAIN_OUTPUT] for scores in predicted])
    vectorizer = TfidfVectorizer()
    baseline = LogisticRegression(max_iter=1000).fit(
        vectorizer.fit_transform([row.text for row in train_rows]), [r.label for r in train_rows]
    )
    baseline_scores = baseline.predict_proba(vectorizer.transform([r.text for r in test_rows]))
    baseline_auc = roc_auc_score(labels, baseline_scores[:, 1])
    print(
        f"baseline_auc={baseline_auc:.4f} site_model_auc={site_auc:.4f} test_examples={len(labels)}"
    )

    rng = random.Random(8)
    pool = train_rows + test_rows
    many = [
        replace(
            pool[i % len(pool)], line=i + 2, article_id=f"a{rng.randrange(TIMED_EXAMPLES // 50)}"
        )
        for i in range(TIMED_EXAMPLES)
    ]
    started = time.perf_counter()
    classifier, _ = training.train(training.training_set_from_rows(many), policy=policy)
    train_s = time.perf_counter() - started

    samples = [Sample(text=row.text) for row in test_rows[:500]]
    started = time.perf_counter()
    for sample in samples:
        classifier.score([sample])
    single_ms = (time.perf_counter() - started) * 1000 / len(samples)
    started = time.perf_counter()
    for start in range(0, len(samples), 32):
        classifier.score(samples[start : start + 32])
    batch_ms = (time.perf_counter() - started) * 1000 / len(samples)
    print(
        f"examples={TIMED_EXAMPLES} train_s={train_s:.1f} score_ms_per_comment={single_ms:.2f} "
        f"batch_score_ms_per_comment={batch_ms:.2f}"
    )


if __name__ == "__main__":
    main()
