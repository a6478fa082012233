"""The audit trail in the admin: newest first, in words, with translated column headers."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from moderation.models import StatusChange
from tests.factories import make_queued, make_user

AUDIT = reverse("admin:moderation_statuschange_changelist")


def make_trail(comment, moderator) -> None:
    earlier = timezone.now() - timedelta(hours=1)
    StatusChange.objects.create(
        comment=comment,
        from_status="pending",
        to_status="needs_review",
        actor_label="policy (defaults)",
        reason_code="policy",
        reason="new_commenter",
        created_at=earlier,
    )
    StatusChange.objects.create(
        comment=comment,
        from_status="needs_review",
        to_status="rejected",
        actor=moderator,
        reason_code="off_topic",
        reason="reject",
    )


def test_the_audit_list_shows_the_newest_first_in_words(moderator_client, moderator, article):
    make_trail(make_queued(article), moderator)

    page = moderator_client.get(AUDIT).content.decode()

    assert page.index("Off-topic") < page.index("new commenter")
    assert "needs review" in page
    assert "automatic assessment (default policy)" in page
    assert ">needs_review<" not in page.split("<tbody>")[1].split("</tbody>")[0]
    assert "policy (defaults)" not in page


def test_the_audit_lists_column_headers_are_translated(moderator_client, moderator, article):
    make_trail(make_queued(article), moderator)

    page = moderator_client.get(AUDIT, headers={"accept-language": "de"}).content.decode()

    header = page.split("<thead>")[1].split("</thead>")[0]
    for german in ("Wann", "Vorher", "Von", "Begründung"):
        assert german in header
    assert "Who" not in header and "By" not in header


def test_the_review_screen_and_the_comment_page_show_the_trail_newest_first(
    moderator_client, moderator, article, client
):
    comment = make_queued(article)
    make_trail(comment, moderator)
    screen = moderator_client.get(reverse("admin:moderation_review")).content.decode()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    comment_page = client.get(
        reverse("admin:articles_comment_change", args=[comment.pk])
    ).content.decode()

    for page in (screen, comment_page):
        assert page.index("Off-topic") < page.index("new commenter")
        assert "automatic assessment (default policy)" in page
