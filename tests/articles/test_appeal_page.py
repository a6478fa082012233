"""The author appeals from the comment on the page or from the decision e-mail's signed link;
moderators decide the appeal on the review screen."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import Appeal, ReviewItem, StatusChange
from notifications import decision_mail
from notifications.appeal_links import appeal_token
from notifications.models import EmailPreferences
from tests.factories import make_article, make_comment, make_moderator, turned_down


def appeal_url(comment):
    return reverse("articles:comment_appeal", args=[comment.pk])


def test_the_author_sees_an_appeal_form_under_their_rejected_comment(reader_client, reader):
    comment = turned_down(reader)

    page = reader_client.get(comment.article.get_absolute_url()).content.decode()

    assert f'action="{appeal_url(comment)}"' in page
    assert "Appeal against this decision" in page


def test_the_author_appeals_from_the_page_and_reads_the_thanks_and_the_state(reader_client, reader):
    comment = turned_down(reader)

    response = reader_client.post(appeal_url(comment), {"text": "It <b>is</b> on topic."})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = reader_client.get(response["Location"]).content.decode()
    assert "Your appeal is received." in page
    assert "Your appeal is being reviewed by a moderator." in page
    assert f'action="{appeal_url(comment)}"' not in page
    assert Appeal.objects.get().text == "It <b>is</b> on topic."


def test_the_page_tells_the_author_their_appeal_was_granted(reader_client, reader):
    comment = turned_down(reader)
    services.file_appeal(comment_id=comment.pk, author=reader, text="Please look again.")
    services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=True)

    page = reader_client.get(comment.article.get_absolute_url()).content.decode()

    assert "Your appeal was granted: your comment is published." in page


def test_the_page_tells_the_author_their_appeal_was_rejected(reader_client, reader):
    comment = turned_down(reader)
    services.file_appeal(comment_id=comment.pk, author=reader, text="Please look again.")
    services.decide_appeal(comment_id=comment.pk, moderator=make_moderator(), grant=False)

    page = reader_client.get(comment.article.get_absolute_url()).content.decode()

    assert "Your appeal was rejected: the decision stands." in page


def test_a_second_appeal_gets_409_with_a_clear_message(reader_client, reader):
    comment = turned_down(reader)
    reader_client.post(appeal_url(comment), {"text": "First."})

    response = reader_client.post(appeal_url(comment), {"text": "Second."})

    assert response.status_code == 409
    assert "You have already appealed against this decision." in response.content.decode()
    assert Appeal.objects.get().text == "First."


def test_an_appeal_on_a_published_comment_gets_400(reader_client, reader):
    comment = make_comment(make_article(), reader)

    response = reader_client.post(appeal_url(comment), {"text": "Why?"})

    assert response.status_code == 400
    assert "Only a rejected or removed comment can be appealed." in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_appeal_too_late_gets_403_with_the_period(reader_client, reader, settings):
    settings.MODERATION_APPEAL_DAYS = 14
    comment = turned_down(reader)
    StatusChange.objects.update(created_at=timezone.now() - timedelta(days=15))

    response = reader_client.post(appeal_url(comment), {"text": "Please."})

    assert response.status_code == 403
    assert "14 days after the decision" in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_empty_appeal_gets_400_and_the_form_again(reader_client, reader):
    comment = turned_down(reader)

    response = reader_client.post(appeal_url(comment), {"text": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please write briefly why the decision should be reviewed." in page
    assert 'aria-invalid="true"' in page
    assert not Appeal.objects.exists()


def test_someone_else_gets_404_and_nothing_changes(client, reader):
    comment = turned_down(reader)
    client.force_login(make_moderator())

    assert client.post(appeal_url(comment), {"text": "Let me."}).status_code == 404
    assert client.get(appeal_url(comment)).status_code == 404
    assert not Appeal.objects.exists()


def test_the_decision_e_mail_links_to_an_appeal_that_works_without_logging_in(reader, client):
    EmailPreferences.objects.create(user=reader, notify_on_decision=True, language="en")
    comment = turned_down(reader)
    decision_mail.send_decision_notice(comment_id=comment.pk)
    link = re.search(r"https?://\S+/appeal/\?token=\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")
    token = page.context["token"]
    response = client.post(f"/{path}", {"text": "On topic.", "token": token}, follow=True)

    assert "you can appeal against it once" in mail.outbox[0].body
    assert response.status_code == 200
    assert "Your appeal is being reviewed by a moderator." in response.content.decode()
    assert Appeal.objects.get().comment == comment


def test_a_forged_or_foreign_appeal_link_gets_404(client, reader):
    comment, other = turned_down(reader), turned_down(reader)
    url = appeal_url(comment)

    assert client.get(url, {"token": "forged"}).status_code == 404
    assert client.post(url, {"text": "x", "token": appeal_token(other.pk)}).status_code == 404
    assert not Appeal.objects.exists()


# The review screen.


@pytest.fixture
def appealed(reader):
    first = make_moderator("first")
    comment = turned_down(reader, by=first)
    services.file_appeal(comment_id=comment.pk, author=reader, text="The <ferry> is the topic.")
    return comment


def test_the_review_screen_shows_the_appeal_text_and_its_two_choices(moderator_client, appealed):
    page = moderator_client.get(reverse("admin:moderation_review")).content.decode()

    assert "The &lt;ferry&gt; is the topic." in page
    assert "Decided first by first." in page
    assert "Grant the appeal: publish the comment" in page
    assert "Uphold the decision" in page


def test_the_review_screens_shortcut_help_names_what_a_and_r_do_on_an_appeal(
    moderator_client, appealed
):
    page = moderator_client.get(reverse("admin:moderation_review")).content.decode()
    help_list = page.split('id="shortcuts"')[1].split("</dl>")[0]

    assert "<dt>a</dt><dd>grant the appeal: publish the comment</dd>" in help_list
    assert "<dt>r</dt><dd>uphold the decision</dd>" in help_list
    assert "reason key" not in help_list
    assert 'id="appeal-grant"' in page and 'id="appeal-uphold"' in page


def test_a_moderator_grants_an_appeal_from_the_review_screen(moderator_client, appealed):
    url = reverse("admin:moderation_decide_appeal", args=[appealed.pk])

    response = moderator_client.post(url, {"outcome": "grant"})

    assert response.status_code == 302
    appealed.refresh_from_db()
    assert appealed.status == "approved"
    assert not ReviewItem.objects.open().exists()


def test_the_original_decider_is_refused_while_another_moderator_exists(appealed, moderator):
    first = Client()
    first.force_login(appealed.status_changes.filter(reason_code="off_topic").get().actor)
    url = reverse("admin:moderation_decide_appeal", args=[appealed.pk])

    response = first.post(url, {"outcome": "uphold"})

    assert response.status_code == 403
    assert Appeal.objects.get().outcome == "filed"


def test_a_reader_cannot_decide_an_appeal(reader_client, appealed):
    url = reverse("admin:moderation_decide_appeal", args=[appealed.pk])

    assert reader_client.post(url, {"outcome": "grant"}).status_code in {302, 403}
    appealed.refresh_from_db()
    assert appealed.status == "rejected"


def test_moderators_read_the_appeals_in_the_admin(moderator_client, appealed):
    page = moderator_client.get(reverse("admin:moderation_appeal_changelist"))

    assert page.status_code == 200
    assert "appeal filed" in page.content.decode()
