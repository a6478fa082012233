"""Following's models and readers' e-mail choices moved from `moderation` to `notifications`: on a
database that still has the old schema, migrating keeps every row and every choice, and the
permissions that groups hold follow the models."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from moderation.models import ReaderProfile
from notifications.models import CommentToAnnounce, EmailPreferences, FollowerMail, Subscription

BEFORE = [("moderation", "0016_model_status_load_seconds"), ("notifications", None)]


def migrate(targets):
    """Migrate to `targets`; the apps as they were at the named migrations."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db):
    """The database as the release before the move left it, with the old content types."""
    ContentType.objects.filter(app_label="notifications").delete()
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def seed_following(apps) -> dict:
    User = apps.get_model("auth", "User")
    ReaderProfile = apps.get_model("moderation", "ReaderProfile")
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("articles", "Comment")
    user = User.objects.create(username="follower", email="f@example.org")
    article = Article.objects.create(
        title="Fähre", slug="faehre", lead="Die Fähre fährt wieder.", body="Text."
    )
    comment = Comment.objects.create(article=article, author=user, body="Gut.", status="approved")
    ReaderProfile.objects.create(
        user=user,
        is_banned=True,
        ban_reason="Spam",
        notify_on_decision=True,
        language="en",
        notify_on_reply=False,
        follow_frequency="daily",
    )
    subscription = apps.get_model("moderation", "Subscription").objects.create(
        article=article, user=user, confirmed_at=timezone.now()
    )
    apps.get_model("moderation", "CommentToAnnounce").objects.create(comment=comment)
    apps.get_model("moderation", "FollowerMail").objects.create(
        recipient="f@example.org",
        comment=comment,
        article=article,
        user=user,
        subscription=subscription,
        reason="following",
        due_at=timezone.now(),
    )
    return {"subscription": subscription.pk, "comment": comment.pk, "user": user.pk}


def test_migrating_an_old_database_keeps_every_following_row(old_schema):
    seeded = seed_following(old_schema)

    migrate(latest())

    subscription = Subscription.objects.get()
    assert subscription.pk == seeded["subscription"]
    assert list(CommentToAnnounce.objects.values_list("comment_id", flat=True)) == [
        seeded["comment"]
    ]
    mail = FollowerMail.objects.get()
    assert (mail.subscription_id, mail.comment_id) == (seeded["subscription"], seeded["comment"])
    assert Subscription._meta.db_table in connection.introspection.table_names()
    assert "moderation_subscription" not in connection.introspection.table_names()


def test_migrating_an_old_database_moves_each_readers_email_choices_and_keeps_the_ban(
    old_schema,
):
    seeded = seed_following(old_schema)

    migrate(latest())

    choices = EmailPreferences.objects.get(user_id=seeded["user"])
    assert (
        choices.notify_on_decision,
        choices.language,
        choices.notify_on_reply,
        choices.follow_frequency,
    ) == (True, "en", False, "daily")
    profile = ReaderProfile.objects.get(user_id=seeded["user"])
    assert (profile.is_banned, profile.ban_reason) == (True, "Spam")


def test_a_group_that_could_see_subscriptions_still_can_after_the_move(old_schema):
    old_type = ContentType.objects.create(app_label="moderation", model="subscription")
    permission = Permission.objects.create(
        content_type=old_type, codename="view_subscription", name="Can view subscription"
    )
    group = Group.objects.create(name="Community")
    group.permissions.add(permission)

    migrate(latest())

    moved = Group.objects.get(name="Community").permissions.get()
    assert (moved.content_type.app_label, moved.codename) == ("notifications", "view_subscription")
    assert not ContentType.objects.filter(app_label="moderation", model="subscription").exists()
