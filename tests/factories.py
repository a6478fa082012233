"""Builders of test data, shared by every test module. Fixtures stay in the conftest.py files.

Each builder saves what it makes and returns it; keyword arguments override the defaults.
"""

import csv
import itertools
import random
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from articles.models import Article, Comment
from moderation import services
from moderation.models import (
    DEFAULT_LABEL_THRESHOLDS,
    Assessment,
    PolicyVersion,
    ReaderProfile,
    ReviewItem,
)
from moderation.policy.rules import Decision, Outcome, Reason
from moderation.scoring import pipeline
from moderation.scoring.results import Result
from notifications.models import Subscription

_sequence = itertools.count(1)


# --- People ---------------------------------------------------------------------------------------


def make_user(username: str | None = None, *, verified: bool = True, banned: bool = False, **extra):
    n = next(_sequence)
    username = username or f"reader{n}"
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="a-long-test-password", **extra
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    if banned:
        ReaderProfile.objects.create(user=user, is_banned=True)
    return user


def established_user(**extra):
    """A reader whose account is a month old, past the stricter limits for new accounts."""
    user = make_user(**extra)
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=30)
    )
    user.refresh_from_db()
    return user


def make_moderator(username: str | None = None):
    """A staff member in the Moderators group, with the group's permission to work the queue."""
    user = make_user(username, is_staff=True)
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(*Permission.objects.filter(codename__in=["moderate_comments"]))
    user.groups.add(group)
    return user


def make_owner(username: str | None = None):
    """Staff in the Site owners group: the add permission on policy versions makes an owner."""
    user = make_user(username, is_staff=True)
    group, _ = Group.objects.get_or_create(name="Site owners")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["add_policyversion", "view_policyversion"])
    )
    user.groups.add(group)
    return user


def client_for(user, ip: str = "127.0.0.1", language: str = "en") -> Client:
    """A test client logged in as `user`, from address `ip`, reading the site in `language`."""
    client = Client(REMOTE_ADDR=ip, headers={"accept-language": language})
    client.force_login(user)
    return client


# --- Articles and comments ------------------------------------------------------------------------


def make_article(**fields) -> Article:
    n = next(_sequence)
    defaults = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "lead": "A short lead about the city council and cycle lanes.",
        "body": "The council voted for new cycle lanes.\n\nShops worry about parking.",
        "author_name": "Jana Korte",
    }
    defaults.update(fields)
    return Article.objects.create(**defaults)


def make_comment(article: Article, author, *, parent: Comment | None = None, **fields) -> Comment:
    defaults = {
        "body": "I agree with the council's decision on cycle lanes.",
        "status": Comment.Status.APPROVED,
        "depth": parent.depth + 1 if parent else 1,
    }
    defaults.update(fields)
    return Comment.objects.create(article=article, author=author, parent=parent, **defaults)


def make_queued(article, author=None, *, reasons=(), near=False, reported=0, **fields):
    """A comment in the review queue, as the policy or reader reports put it there."""
    status = "approved" if reported else "needs_review"
    comment = make_comment(article, author or make_user(), status=status, **fields)
    decision = Decision(Outcome.REVIEW, [Reason(*r) for r in reasons], near_reject=near)
    services.enqueue_for_review(comment=comment, decision=decision, report_count=reported)
    if reasons:
        Assessment.objects.create(
            comment=comment,
            toxicity={r[1]: r[2] for r in reasons if len(r) > 2 and r[1]},
            relevance=next((r[2] for r in reasons if r[0] == "off_topic" and len(r) > 2), 0.5),
            decision="review",
            reasons=[reason.as_dict() for reason in decision.reasons],
        )
    return comment


def make_queue_entry(article: Article, body: str, author=None) -> Comment:
    """A comment the policy sent to review, with its queue item, made through the ORM only: the
    hostile-input tests hold however the moderation services change."""
    comment = make_comment(
        article, author or make_user(), body=body, status=Comment.Status.NEEDS_REVIEW
    )
    item = ReviewItem.objects.create(comment=comment, source="policy", language=article.language)
    item.reasons.create(code="off_topic")
    return comment


def pending_comments(article, n: int = 1) -> list[Comment]:
    """`n` comments by one new author, waiting to be scored."""
    author = make_user()
    return [make_comment(article, author, status="pending") for _ in range(n)]


def turned_down(author=None, *, by=None, action="reject", language="en") -> Comment:
    """A comment of `author` that moderator `by` rejected (or removed, when published)."""
    article = make_article(language=language)
    if action == "reject":
        comment = make_queued(article, author or make_user())
    else:
        comment = make_comment(article, author or make_user())
    services.moderate(
        comment=comment,
        moderator=by or make_moderator(),
        action=action,
        expected_status=comment.status,
        reason="off_topic",
    )
    comment.refresh_from_db()
    return comment


def appeal(comment, text="I stayed on topic: the ferry is in the article."):
    """The author's appeal against the decision on `comment`, filed through the service."""
    return services.file_appeal(comment_id=comment.pk, author=comment.author, text=text)


def visitor(article, email="visitor@example.net", language="en"):
    """A visitor without an account who follows `article` and has confirmed the address."""
    return Subscription.objects.create(
        article=article, email=email, language=language, confirmed_at=timezone.now()
    )


# --- Scores and policies --------------------------------------------------------------------------


def record_outcome(comments: list[Comment], outcome, share: float = 1.0) -> None:
    """Record the policy's `outcome` for pending comments, as a worker would, with the audit
    sample drawing `share` of them."""
    PolicyVersion.objects.create(audit_sample_share=share)
    result = Result(
        toxicity={"insult": 0.99 if outcome == Outcome.REJECT else 0.01},
        relevance=0.8,
        relevance_article=0.8,
        relevance_parent=None,
        language="de",
        language_source="declared",
        decision=Decision(outcome, []),
    )
    pipeline.record_assessments(
        comments=comments,
        results=[result] * len(comments),
        policy=PolicyVersion.objects.active(),
        scorer=None,
    )


def assessed(insult: float, *, language: str = "de", decision: str = "publish"):
    """A stored assessment of a new comment, with `insult` its only notable score."""
    comment = make_comment(make_article(), make_user())
    return Assessment.objects.create(
        comment=comment,
        toxicity={"insult": insult, "toxicity": 0.01},
        relevance=0.9,
        word_count=12,
        has_link=False,
        author_approved_comments=5,
        language=language,
        decision=decision,
    )


def lenient_policy(**changes):
    """A saved policy under which the tiny models' scores publish everything."""
    version = PolicyVersion(relevance_review_below=0.0, new_commenter_reviews=0)
    for field in PolicyVersion._meta.concrete_fields:
        if field.name.endswith(("_review_at", "_reject_at")):
            setattr(version, field.name, 1.0)
    for name, value in changes.items():
        setattr(version, name, value)
    version.save()
    return version


def policy_form_data(**changes) -> dict:
    """The admin's policy form, filled in with a valid draft; `changes` override fields."""
    data = {
        "note": "Stricter on insults",
        "relevance_review_below": "0.9",
        "short_text_words": "6",
        "new_commenter_reviews": "1",
        "links_to_review": "on",
        "audit_sample_share": "0.02",
        "site_model_review_at": "0.5",
    }
    for label, (review, reject) in DEFAULT_LABEL_THRESHOLDS.items():
        data[f"{label}_review_at"] = str(review)
        data[f"{label}_reject_at"] = str(reject)
    data.update(changes)
    return data


def with_words(data: dict, *entries: tuple[str, str, str]) -> dict:
    """The policy form `data` with word list entries (language, rule, phrase) in its formset."""
    data = dict(data)
    data.update(
        {
            "word_entries-TOTAL_FORMS": str(len(entries)),
            "word_entries-INITIAL_FORMS": "0",
            "word_entries-MIN_NUM_FORMS": "0",
            "word_entries-MAX_NUM_FORMS": "1000",
        }
    )
    for i, (language, rule, phrase) in enumerate(entries):
        data[f"word_entries-{i}-language"] = language
        data[f"word_entries-{i}-rule"] = rule
        data[f"word_entries-{i}-phrase"] = phrase
    return data


# --- Labelled files for the site model ------------------------------------------------------------

INSULTS = ["Idiot", "Versager", "Dummkopf", "Schwachkopf", "Trottel", "Vollidiot"]
ADVERTS = ["Jetzt kaufen", "Rabatt sichern", "Gratis testen", "Angebot klicken"]
TOPICS = ["Radweg", "Stadtrat", "Bibliothek", "Fähre", "Parkplatz", "Haushalt", "Schule"]


def synthetic_rows(per_kind: int = 25, seed: int = 1) -> list[dict]:
    """Fine comments about a topic, insults (disrespectful) and adverts (spam), over 8 articles."""
    rng = random.Random(seed)
    rows = []
    for i in range(per_kind * 2):
        topic = rng.choice(TOPICS)
        rows.append(
            {
                "text": f"Der {topic} ist eine gute Idee, danke für den Bericht {i}.",
                "label": "0",
                "reason": "",
            }
        )
    for i in range(per_kind):
        rows.append(
            {
                "text": f"Du {rng.choice(INSULTS)}, du bist ein {rng.choice(INSULTS)} {i}",
                "label": "1",
                "reason": "disrespectful",
            }
        )
        rows.append(
            {
                "text": f"{rng.choice(ADVERTS)}: www.shop{i}.example {rng.choice(ADVERTS)}",
                "label": "1",
                "reason": "spam",
            }
        )
    for i, row in enumerate(rows):
        row["article_id"] = f"a{i % 8}"
        row["article_title"] = f"Artikel {i % 8}"
    return rows


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None) -> Path:
    """`rows` as a labelled CSV file at `path`, with `header` (or the full one) as its columns."""
    header = header or ["text", "label", "reason", "article_id", "article_title"]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
