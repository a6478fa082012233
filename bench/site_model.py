"""The site model against the plain baseline, and what it costs.

Prints
- one `candidate=… cv_auc=…` line per candidate `train_site_model` weighs (cross-validated on
  held-out articles: GroupKFold by `article_id`, rows without one their own group), then
  `chosen=… cv_auc=… holdout_auc=…` (the newest 20% of rows, by line order, held out after
  choosing) and the thresholds the trade-off suggests for catching 80% of violations;
- `test_baseline_auc=… test_site_model_auc=…`: each trained on the whole file, measured on
  `--test`; the baseline is the plain TF-IDF (word 1–2 + char_wb 2–5 grams, sublinear) + logistic
  regression (C=1, balanced) fitted on the same rows;
- `examples=20000 train_s=T chosen=…`: the whole training (every candidate's cross-validation,
  the holdout and the final fit) on 20,000 examples (the rows repeated, in articles of 50), then
  scoring one comment at a time with its weightiest n-grams, as the worker does.

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
from scipy import sparse  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

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
    """The plain configuration, written out here independently of the site model's code."""
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    texts, test_texts = [r.text for r in train], [r.text for r in test]
    matrix = sparse.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    model = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear")
    model.fit(matrix, [r.label for r in train])
    test_matrix = sparse.hstack([words.transform(test_texts), chars.transform(test_texts)]).tocsr()
    return model.predict_proba(test_matrix)[:, 1]


def site_model_scores(classifier: SiteClassifier, test: list[csvfile.Row]) -> np.ndarray:
    return np.array([s[MAIN_OUTPUT] for s in classifier.predict([Sample(r.text) for r in test])])


def print_validation(metrics: dict) -> None:
    for candidate in metrics["candidates"]:
        print(f"candidate={candidate['name']!r} cv_auc={candidate['cv_auc']}")
    suggested = metrics["suggested"]
    print(
        f"chosen={metrics['chosen']!r} cv_auc={metrics['auc']} "
        f"holdout_auc={metrics['holdout_auc']} holdout_examples={metrics['holdout_examples']} "
        f"review_at={suggested['review_at']} review_recall={suggested['review_recall']} "
        f"review_share={suggested['review_share']} reject_at={suggested['reject_at']}"
    )


def timing(rows: list[csvfile.Row], policy: PolicyVersion) -> None:
    rng = random.Random(8)
    many = [
        replace(rows[i % len(rows)], line=i + 2, article_id=f"a{rng.randrange(400)}")
        for i in range(TIMED_EXAMPLES)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    classifier, metrics = training.train(training.training_set_from_rows(many), policy=policy)
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
        f"examples={TIMED_EXAMPLES} train_s={train_s:.1f} chosen={metrics['chosen']!r} "
        f"candidates={len(metrics['candidates'])} score_ms_per_comment={single_ms:.2f} "
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

    classifier, metrics = training.train(training.training_set_from_rows(rows), policy=policy)
    print_validation(metrics)
    if args.test or not args.csv:
        test = csvfile.read_rows(args.test or germeval("test"))
        labels = [row.label for row in test]
        print(
            f"test_baseline_auc={roc_auc_score(labels, baseline_scores(rows, test)):.4f} "
            f"test_site_model_auc={roc_auc_score(labels, site_model_scores(classifier, test)):.4f}"
            f" test_examples={len(test)}"
        )
    timing(rows, policy)


if __name__ == "__main__":
    main()
