"""The review screen's list of shortcuts names only the keys that have a button on this item."""

from moderation.policy.rules import Outcome
from tests.factories import pending_comments, record_outcome

REVIEW = "/admin/moderation/reviewitem/review/"


def shortcuts(page: str) -> str:
    return page.split('id="shortcuts"', 1)[1].split("</dl>", 1)[0]


def test_a_published_audit_sample_lists_confirm_and_remove_but_no_approve_key(
    article,
    drawing,
    moderator_client,
):
    [published] = pending_comments(article)
    record_outcome([published], Outcome.PUBLISH)

    listed = shortcuts(moderator_client.get(REVIEW).content.decode())

    assert "confirm the automatic decision" in listed
    assert "remove, then a reason key" in listed
    assert "keep the comment published" not in listed


def test_a_rejected_audit_sample_lists_approve_but_no_reject_key(
    article,
    drawing,
    moderator_client,
):
    [rejected] = pending_comments(article)
    record_outcome([rejected], Outcome.REJECT)

    listed = shortcuts(moderator_client.get(REVIEW).content.decode())

    assert "approve" in listed
    assert "reject, then a reason key" not in listed
