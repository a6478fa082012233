"""Bans: with a reason and a duration, in the bans' audit trail, ending by themselves."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import BanChange, ReaderProfile
from tests.factories import make_queued, make_user

PROFILES = reverse("admin:moderation_readerprofile_changelist")


def ban(client, user, **data):
    return client.post(reverse("admin:moderation_ban", args=[user.pk]), data)


def test_a_ban_and_an_unban_appear_in_the_audit_trail_with_who_and_why(moderator_client, moderator):
    author = make_user("troll")

    ban(moderator_client, author, ban_reason="insults again and again")
    ban(moderator_client, author, unban="1")

    unban, banned = BanChange.objects.filter(user=author)
    assert (banned.action, banned.actor, banned.reason) == (
        "ban",
        moderator,
        "insults again and again",
    )
    assert (unban.action, unban.actor) == ("unban", moderator)
    page = moderator_client.get(reverse("admin:moderation_banchange_changelist")).content.decode()
    assert "insults again and again" in page
    assert page.index("unbanned") < page.index("insults again and again")


def test_a_temporary_ban_lasts_the_chosen_days(moderator_client):
    author = make_user()

    ban(moderator_client, author, ban_days="7")

    until = ReaderProfile.objects.get(user=author).banned_until
    assert timedelta(days=6, hours=23) < until - timezone.now() <= timedelta(days=7)
    assert BanChange.objects.get(user=author).banned_until == until
    assert services.is_banned(author)


def test_a_temporary_ban_ends_by_itself(moderator_client, article):
    author = make_user()
    ban(moderator_client, author, ban_days="1")
    ReaderProfile.objects.filter(user=author).update(
        banned_until=timezone.now() - timedelta(seconds=1)
    )

    assert not services.is_banned(author)
    assert not ReaderProfile.objects.banned().filter(user=author).exists()
    reader = moderator_client
    reader.force_login(author)
    response = reader.post(
        reverse("articles:comment_create", args=[article.slug]), {"body": "Back again, politely."}
    )
    assert response.status_code == 302


def test_a_ban_without_a_duration_lasts_until_unbanned(moderator_client):
    author = make_user()

    ban(moderator_client, author)

    assert ReaderProfile.objects.get(user=author).banned_until is None
    assert services.is_banned(author)


def test_an_unknown_duration_is_refused(moderator_client):
    author = make_user()

    response = ban(moderator_client, author, ban_days="9999")

    assert response.status_code == 400
    assert not services.is_banned(author)


def test_the_review_screen_offers_a_duration_for_the_ban(moderator_client, article):
    make_queued(article)

    page = moderator_client.get(reverse("admin:moderation_review")).content.decode()

    assert 'name="ban_days"' in page
    assert "7 days" in page and "until unbanned" in page


def test_unbanning_from_the_reader_profiles_confirms_it(moderator_client, moderator):
    from django.contrib.auth.models import Permission

    # As seed_demo gives the Moderators group.
    moderator.groups.get().permissions.add(
        *Permission.objects.filter(codename__in=["view_readerprofile", "change_readerprofile"])
    )
    author = make_user("sorry", banned=True)
    profile = ReaderProfile.objects.get(user=author)

    response = moderator_client.post(
        PROFILES, {"action": "unban_selected", "_selected_action": [profile.pk]}, follow=True
    )

    assert "Unbanned 1 reader, who may comment again: sorry." in response.content.decode()
    assert not services.is_banned(author)
    assert BanChange.objects.get(user=author, action="unban").actor == moderator
