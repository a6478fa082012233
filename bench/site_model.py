"""The site model against a plain baseline, and what it costs.

Prints
- `baseline_auc=… site_model_auc=…`: cross-validated on held-out articles (GroupKFold by
  `article_id`; rows without one are their own group), each model fitted on the other folds only:
  a plain TF-IDF + logistic regression, and the site model (n-grams alone, as after an import);
- `test_baseline_auc=… test_site_model_auc=…`: trained on the whole file, measured on `--test`;
- `examples=N train_s=T score_ms_per_comment=S`: training with its cross-validation on 20,000
  examples (the rows repeated, in articles of 50), and scoring one comment at a time with its
  weightiest n-grams, as the worker does; `batch_score_ms_per_comment` in batches of 32, and the
  CPU times (the wall-clock times suffer on a shared machine).

By default the file is GermEval 2018's training set and `--test` its test set (converted with
bench/germeval_csv.py); any labelled CSV (README, "Labelled files") can take their place:

    .venv/bin/python bench/site_model.py [--csv FILE.csv] [--test FILE.csv]
"""

import argparse
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

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from bench.germeval_csv import read_germeval, write_csv  # noqa: E402
from moderation.models import PolicyVersion  # noqa: E402
from moderation.site_model import csvfile, training  # noqa: E402
from moderation.site_model.classifier import MAIN_OUTPUT, Sample, SiteClassifier  # noqa: E402

GERMEVAL = Path(os.environ.get("GERMEVAL_DIR", "/work/shared/data/germeval2018"))
TIMED_EXAMPLES = 20_000


def germeval(name: str) -> Path:
    path = Path(tempfile.mkdtemp()) / f"{name}.csv"
    write_csv(read_germeval(GERMEVAL / f"germeval2018.{name}.txt"), path)
    return path


def baseline_scores(train: list[csvfile.Row], test: list[csvfile.Row]) -> np.ndarray:
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000)
    model.fit(vectorizer.fit_transform([r.text for r in train]), [r.label for r in train])
    return model.predict_proba(vectorizer.transform([r.text for r in test]))[:, 1]


def site_model_scores(train: list[csvfile.Row], test: list[csvfile.Row]) -> np.ndarray:
    data = training.training_set_from_rows(train)
    classifier = SiteClassifier().fit(data.samples, data.labels, data.reasons, [])
    return np.array([s[MAIN_OUTPUT] for s in classifier.predict([Sample(r.text) for r in test])])


def grouped_cv(rows: list[csvfile.Row]) -> tuple[float, float]:
    """(baseline, site model) AUC on out-of-fold predictions, folds grouped by article."""
    labels = np.array([row.label for row in rows])
    groups = [row.article_id or f"line-{row.line}" for row in rows]
    baseline, site = np.zeros(len(rows)), np.zeros(len(rows))
    for train_index, test_index in GroupKFold(n_splits=training.FOLDS).split(rows, labels, groups):
        train, test = [rows[i] for i in train_index], [rows[i] for i in test_index]
        baseline[test_index] = baseline_scores(train, test)
        site[test_index] = site_model_scores(train, test)
    return roc_auc_score(labels, baseline), roc_auc_score(labels, site)


def timing(rows: list[csvfile.Row], policy: PolicyVersion) -> None:
    rng = random.Random(8)
    many = [
        replace(rows[i % len(rows)], line=i + 2, article_id=f"a{rng.randrange(400)}")
        for i in range(TIMED_EXAMPLES)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    classifier, _ = training.train(training.training_set_from_rows(many), policy=policy)
    train_s, train_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    samples = [Sample(text=row.text) for row in rows[:500]]
    started, cpu = time.perf_counter(), time.process_time()
    for sample in samples:
        classifier.score([sample])
    single_ms = (time.perf_counter() - started) * 1000 / len(samples)
    single_cpu_ms = (time.process_time() - cpu) * 1000 / len(samples)
    started = time.perf_counter()
    for start in range(0, len(samples), 32):
        classifier.score(samples[start : start + 32])
    batch_ms = (time.perf_counter() - started) * 1000 / len(samples)
    print(
        f"examples={TIMED_EXAMPLES} train_s={train_s:.1f} score_ms_per_comment={single_ms:.2f} "
        f"batch_score_ms_per_comment={batch_ms:.2f} train_cpu_s={train_cpu_s:.1f} "
        f"score_cpu_ms_per_comment={single_cpu_ms:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, help="labelled CSV (default: GermEval training)")
    parser.add_argument("--test", type=Path, help="labelled CSV (default: GermEval test)")
    args = parser.parse_args()
    rows = csvfile.read_rows(args.csv or germeval("training"))
    policy = PolicyVersion()

    _, metrics = training.train(training.training_set_from_rows(rows), policy=policy)
    review = metrics["at_thresholds"]["review"]
    print(
        f"cv_auc={metrics['auc']} cv_examples={metrics['examples']} cv_folds={metrics['folds']} "
        f"cv_precision_at_{review['threshold']}={review['precision']} "
        f"cv_recall_at_{review['threshold']}={review['recall']}"
    )
    baseline_auc, site_auc = grouped_cv(rows)
    print(f"baseline_auc={baseline_auc:.4f} site_model_auc={site_auc:.4f}")
    if args.test or not args.csv:
        test = csvfile.read_rows(args.test or germeval("test"))
        labels = [row.label for row in test]
        print(
            f"test_baseline_auc={roc_auc_score(labels, baseline_scores(rows, test)):.4f} "
            f"test_site_model_auc={roc_auc_score(labels, site_model_scores(rows, test)):.4f} "
            f"test_examples={len(test)}"
        )
    timing(rows, policy)


if __name__ == "__main__":
    main()
