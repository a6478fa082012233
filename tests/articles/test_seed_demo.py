from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Comment
from moderation import services


def test_seed_demo_creates_articles_accounts_and_a_mixed_thread(db):
    call_command("seed_demo")

    assert set(Article.objects.values_list("language", flat=True)) == {"de", "en"}
    users = get_user_model().objects
    assert users.get(username="moderator").groups.filter(name="Moderators").exists()
    assert users.get(username="moderator").is_staff
    assert users.get(username="owner").is_superuser
    assert users.get(username="leserin").check_password("agora-demo-2026")
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert {"approved", "pending", "rejected", "needs_review"} <= statuses
    assert Comment.objects.filter(parent__parent__isnull=False).exists()


def test_seed_demo_if_empty_leaves_an_existing_site_alone(db):
    call_command("seed_demo")
    Article.objects.filter(slug="harbour-ferry-returns").delete()

    call_command("seed_demo", if_empty=True)

    assert not Article.objects.filter(slug="harbour-ferry-returns").exists()


def test_seed_demo_gives_the_site_owners_group_the_owners_permission(db):
    from moderation.permissions import is_site_owner

    call_command("seed_demo")

    owner_group = get_user_model().objects.get(username="owner").groups.get(name="Site owners")
    assert owner_group.permissions.filter(codename="add_policyversion").exists()
    staff = get_user_model().objects.create_user("newowner", is_staff=True)
    staff.groups.add(owner_group)
    assert is_site_owner(get_user_model().objects.get(pk=staff.pk))


def test_a_staff_member_in_the_site_owners_group_opens_every_owners_page(client, db):
    from articles.management.commands.seed_demo import demo_group
    from moderation.models import PolicyVersion, SiteModelVersion
    from tests.factories import make_article, make_comment, make_user

    owner = make_user("newowner", is_staff=True)
    owner.groups.add(demo_group("Site owners"))
    client.force_login(owner)
    version = PolicyVersion.objects.create()
    model = SiteModelVersion.objects.create(
        file_name="v.joblib", sha256="0" * 64, example_count=1, outputs=["site_model"]
    )
    comment = make_comment(make_article(), make_user())

    for url in [
        "/admin/moderation/dashboard/",
        "/admin/moderation/dashboard/calibration/",
        "/admin/moderation/policyversion/",
        "/admin/moderation/policyversion/add/",
        f"/admin/moderation/policyversion/{version.pk}/change/",
        f"/admin/moderation/policyversion/{version.pk}/what-if/",
        f"/admin/moderation/policyversion/compare/?old=default&new={version.pk}",
        "/admin/moderation/sitemodelversion/",
        f"/admin/moderation/sitemodelversion/{model.pk}/activate/",
        "/admin/moderation/labelledexample/",
        f"/admin/articles/comment/{comment.pk}/change/",  # the what-if links the comments
    ]:
        assert client.get(url).status_code == 200, url
    assert not owner.is_superuser


def test_the_demo_readers_rejected_comment_was_decided_by_the_moderator_and_can_be_appealed(db):
    call_command("seed_demo")

    rejected = Comment.objects.get(status="rejected")
    state = services.appeal_states(comments=[rejected])[rejected.pk]
    assert state.can_appeal
    assert "persönlich" in rejected.rejection_reason
