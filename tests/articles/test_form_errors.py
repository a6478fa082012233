"""A refused form marks each field with an error invalid and ties the error to it, so that a
screen reader reads the error when the field gets focus; every page starts with a skip link."""

from django.test.html import Element, parse_html
from django.urls import reverse

from tests.factories import make_comment, make_user


def elements(node: Element | str):
    if isinstance(node, Element):
        yield node
        for child in node.children:
            yield from elements(child)


def text_of(node: Element | str) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text_of(child) for child in node.children)


def invalid_fields(page: str) -> list[Element]:
    return [e for e in elements(parse_html(page)) if dict(e.attributes).get("aria-invalid")]


def description_of(page: str, field: Element) -> str:
    """The text a screen reader reads after the field's label: what aria-describedby names."""
    ids = dict(field.attributes).get("aria-describedby", "").split()
    by_id = {dict(e.attributes).get("id"): e for e in elements(parse_html(page))}
    return " ".join(text_of(by_id[i]) for i in ids)


def test_an_empty_comment_marks_the_box_invalid_and_ties_the_error_to_it(reader_client, article):
    response = reader_client.post(
        reverse("articles:comment_create", args=[article.slug]), {"body": " "}
    )

    [field] = invalid_fields(response.content.decode())
    assert dict(field.attributes)["id"] == "body-new"
    assert "Please write a comment" in description_of(response.content.decode(), field)


def test_an_empty_reply_marks_its_box_under_its_comment_invalid(reader_client, article, reader):
    parent = make_comment(article, make_user())

    response = reader_client.post(
        reverse("articles:comment_create", args=[article.slug]), {"body": "", "parent": parent.pk}
    )

    [field] = invalid_fields(response.content.decode())
    assert dict(field.attributes)["id"] == f"body-{parent.pk}"
    assert "Please write a comment" in description_of(response.content.decode(), field)


def test_a_report_without_a_reason_reopens_its_form_with_the_error_on_the_reasons(
    reader_client, article
):
    comment = make_comment(article, make_user())
    make_comment(article, make_user())

    response = reader_client.post(reverse("articles:comment_report", args=[comment.pk]), {})

    page = response.content.decode()
    radios = invalid_fields(page)
    assert [dict(r.attributes)["name"] for r in radios] == ["reason"] * 5
    assert "Choose a reason" in description_of(page, radios[0])
    assert page.count('<details class="report" open>') == 1


def test_a_sign_up_error_is_tied_to_its_field(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "username": "bob", "password1": "x", "password2": "x"},
    )

    page = response.content.decode()
    fields = invalid_fields(page)
    assert [dict(f.attributes)["name"] for f in fields][:2] == ["email", "password1"]
    assert "valid email address" in description_of(page, fields[0])
    assert "too short" in description_of(page, fields[1])


def test_a_notification_settings_error_is_tied_to_its_field(reader_client):
    response = reader_client.post(reverse("articles:notifications"), {"language": "xx"})

    page = response.content.decode()
    [field] = invalid_fields(page)
    assert dict(field.attributes)["name"] == "language"
    assert "Select a valid choice" in description_of(page, field)


def test_the_article_page_starts_with_a_link_to_the_discussion(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    first_link = next(e for e in elements(parse_html(page)) if e.name == "a")
    assert dict(first_link.attributes)["href"] == "#discussion"
    assert text_of(first_link).strip() == "Skip to the discussion"
    assert 'id="discussion"' in page


def test_other_pages_start_with_a_link_to_the_content(client, db):
    for url in [reverse("articles:list"), reverse("articles:policy"), reverse("account_login")]:
        page = client.get(url).content.decode()

        first_link = next(e for e in elements(parse_html(page)) if e.name == "a")
        assert dict(first_link.attributes)["href"] == "#content", url
        assert text_of(first_link).strip() == "Skip to the content"
        assert '<main id="content"' in page
