import nh3
from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

from articles import plaintext

register = template.Library()

ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


@register.filter
def comment_html(text: str) -> SafeString:
    """Reader text as safe HTML: escaped, line breaks kept, links clickable with nofollow ugc.

    Django escapes the text and finds the links; nh3 then allows nothing but paragraphs, breaks
    and http(s) links, and sets rel on every link, so no markup from the reader survives.
    Controls and noncharacters are dropped first, for comments stored before the input refused
    them: the same HTML goes into the feeds, where they break the XML.
    """
    linked = urlize(plaintext.clean_text(text), nofollow=False, autoescape=True)
    html = linebreaks(linked, autoescape=False)
    return mark_safe(  # noqa: S308 - the sanitiser's output
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel="nofollow ugc",
        )
    )


@register.filter
def plain_text(text: str) -> str:
    """Reader or editor text without controls or noncharacters, for e-mails and other plain text."""
    return plaintext.clean_text(str(text))


@register.filter
def one_line(text: str) -> str:
    """The text cleaned and on one line, for e-mail subjects."""
    return plaintext.one_line(str(text))
