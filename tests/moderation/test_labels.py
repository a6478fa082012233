"""Detoxify's labels and the admin's own words, in the moderator's language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from moderation.codes import TOXICITY_LABELS, toxicity_label
from moderation.models import DEFAULT_LABEL_THRESHOLDS, PolicyVersion
from moderation.review.selectors import describe
from tests.factories import make_moderator, make_queued, make_user

QUEUE = reverse("admin:moderation_reviewitem_changelist")
REVIEW = reverse("admin:moderation_review")


@pytest.fixture
def german_moderator(db):
    client = Client(headers={"accept-language": "de"})
    client.force_login(make_moderator("moderatorin"))
    return client


def test_every_label_of_the_policy_has_a_translated_name():
    assert set(TOXICITY_LABELS) == set(DEFAULT_LABEL_THRESHOLDS)
    with translation.override("de"):
        assert toxicity_label("identity_attack") == "Angriff auf Identität"
        assert toxicity_label("severe_toxicity") == "schwere Toxizität"
        assert toxicity_label("identity_hate") == "identity hate"  # another model's label


def test_the_review_screen_shows_the_labels_in_german(german_moderator, article):
    make_queued(article, make_user(), reasons=[("toxicity_review", "insult", 0.6, 0.5)])

    page = german_moderator.get(REVIEW).content.decode()

    assert '<span class="ri-label">Beleidigung</span>' in page
    assert "Beleidigung 0.60" in page or "Beleidigung 0,60" in page  # the reason, with its score
    assert ">insult<" not in page


def test_the_queues_label_filter_is_in_german(german_moderator, article):
    make_queued(article, make_user(), reasons=[("toxicity_review", "sexual_explicit", 0.6, 0.5)])

    page = german_moderator.get(QUEUE).content.decode()

    assert "sexuell explizit" in page
    assert "?label=sexual_explicit" in page


def test_the_reasons_name_the_label_in_the_active_language():
    reason = {"code": "toxicity_reject", "label": "threat", "score": 0.9, "threshold": 0.85}

    with translation.override("de"):
        assert describe(reason).startswith("Drohung 0,90")
    with translation.override("en"):
        assert describe(reason).startswith("threat 0.90")


def test_the_policy_fields_are_labelled_in_german():
    field = PolicyVersion._meta.get_field("identity_attack_review_at")

    with translation.override("de"):
        assert str(field.verbose_name).startswith("Angriff auf Identität: ")
    with translation.override("en"):
        assert str(field.verbose_name) == "identity attack: review at"


def test_the_admin_header_says_agora_not_django(german_moderator):
    page = german_moderator.get(reverse("admin:index")).content.decode()

    assert '<a href="/admin/">Agora</a>' in page
    assert "Agora-Verwaltung" in page  # the window title
    assert "Django" not in page
    assert 'href="/static/moderation/admin.css"' in page or "moderation/admin.css" in page


def test_the_ban_message_says_it_once_in_german():
    with translation.override("de"):
        one = ngettext(
            "%(name)s is banned; %(count)d unpublished comment rejected.",
            "%(name)s is banned; %(count)d unpublished comments rejected.",
            1,
        ) % {"name": "lea", "count": 1}
        many = ngettext(
            "%(name)s is banned; %(count)d unpublished comment rejected.",
            "%(name)s is banned; %(count)d unpublished comments rejected.",
            3,
        ) % {"name": "lea", "count": 3}

    assert one == "lea ist gesperrt; 1 unveröffentlichter Kommentar abgelehnt."
    assert many == "lea ist gesperrt; 3 unveröffentlichte Kommentare abgelehnt."
