from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Comment
from articles.plaintext import one_line
from articles.templatetags.comment_text import comment_html
from articles.threads import visible_thread


class SiteUrlFeed(Feed):
    """A feed whose links all start with SITE_URL.

    Django would put the Site row's domain (and the request's scheme) in front of them; the public
    address is SITE_URL, so every link is made absolute here and Django leaves it as it is.
    """

    def item_link(self, item) -> str:
        return settings.SITE_URL + item.get_absolute_url()


class LatestArticlesFeed(SiteUrlFeed):
    title = _("Agora: latest articles")
    description = _("The newest articles, open for respectful, on-topic discussion.")

    def link(self) -> str:
        return settings.SITE_URL + reverse("articles:list")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("articles:feed")

    def items(self):
        return Article.objects.published()[:30]

    # Every text goes through clean_text or one_line: one control character in a title would
    # make the whole feed fail (Django refuses to write it into XML), for every reader.
    def item_title(self, item: Article) -> str:
        return one_line(item.title)

    def item_description(self, item: Article) -> str:
        # A description is HTML to feed readers: the lead as the page shows text, escaped.
        return comment_html(item.lead)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_author_name(self, item: Article) -> str:
        return one_line(item.author_name)


class ArticleCommentsFeed(SiteUrlFeed):
    """The published comments of one article, newest first."""

    def get_object(self, request, slug: str) -> Article:
        return get_object_or_404(Article.objects.published(), slug=slug)

    def get_feed(self, obj: Article, request):
        # The feed speaks its article's language, whatever the reader's interface language: its
        # <language> and its own words (titles) follow the article.
        with translation.override(obj.language):
            return super().get_feed(obj, request)

    def title(self, obj: Article) -> str:
        return _("Comments on “%(title)s”") % {"title": one_line(obj.title)}

    def link(self, obj: Article) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    def feed_url(self, obj: Article) -> str:
        return settings.SITE_URL + reverse("articles:comments_feed", kwargs={"slug": obj.slug})

    def description(self, obj: Article) -> str:
        return comment_html(obj.lead)

    def items(self, obj: Article) -> list[Comment]:
        # As on the page: a reply whose parent is hidden never appears out of context.
        visible = [
            e.comment for e in visible_thread(Comment.objects.for_thread(obj), AnonymousUser())
        ]
        for comment in visible:
            comment.article = obj
        return sorted(visible, key=lambda c: (c.created_at, c.pk), reverse=True)[:50]

    def item_title(self, item: Comment) -> str:
        return _("%(author)s on “%(title)s”") % {
            "author": one_line(item.author.username),
            "title": one_line(item.article.title),
        }

    def item_description(self, item: Comment) -> str:
        # Feed readers render the description as HTML: give them the page's sanitised HTML
        # (which has no control characters either).
        return comment_html(item.body)

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return one_line(item.author.username)
