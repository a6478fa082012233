from articles.templatetags.comment_text import comment_html
from tests.factories import make_comment


def test_it_escapes_script_tags():
    assert comment_html("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_it_escapes_event_handler_attributes():
    html = comment_html('<img src=x onerror="alert(1)">')

    assert "<img" not in html
    assert "&lt;img" in html


def test_it_keeps_line_breaks_and_paragraphs():
    assert comment_html("one\ntwo\n\nthree") == "<p>one<br>two</p>\n\n<p>three</p>"


def test_it_makes_links_clickable_with_nofollow_ugc():
    html = comment_html("See https://example.org/report for details")

    assert '<a href="https://example.org/report" rel="nofollow ugc">' in html


def test_it_does_not_link_javascript_urls():
    assert "<a" not in comment_html("javascript:alert(1)")


def test_the_article_page_renders_a_payload_as_text(client, article, reader):
    make_comment(article, reader, body='<script>alert("x")</script> <b onerror=alert(1)>')

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in page
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in page
    assert "<b onerror" not in page
