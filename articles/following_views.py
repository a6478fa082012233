"""Following a discussion by e-mail: the "notify me" actions on an article, a visitor's
confirmation link, and the one-click stop link in every follower e-mail (RFC 8058)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles import services
from articles.forms import FollowEmailForm
from articles.models import Article
from moderation import services as moderation


def _load_article(slug: str) -> Article:
    return get_object_or_404(Article.objects.published(), slug=slug)


def _back(request: HttpRequest, article: Article) -> HttpResponse:
    """To the page the form was on (the account page lists subscriptions too), else the article."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = article.get_absolute_url() + "#follow"
    return redirect(target)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified reader follows the article in one click."""
    article = _load_article(slug)
    if services.follow_state(user=request.user, article=article) == "unverified":
        messages.error(
            request, _("Please verify your e-mail address before you follow a discussion.")
        )
        return _back(request, article)
    moderation.follow(user=request.user, article=article)
    messages.success(request, _("You will receive an e-mail about new comments here."))
    return _back(request, article)


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    moderation.unfollow(user=request.user, article_id=article.pk)
    messages.success(request, _("You no longer receive e-mails about new comments here."))
    return _back(request, article)


@require_POST
def follow_by_email(request: HttpRequest, slug: str) -> HttpResponse:
    """A visitor without an account gives an address; nothing is sent to it but the link that
    confirms it (double opt-in)."""
    article = _load_article(slug)
    form = FollowEmailForm(request.POST)
    if not form.is_valid():
        context = {"article": article, "form": form}
        return render(request, "articles/follow_request.html", context, status=400)
    moderation.request_subscription(
        email=form.cleaned_data["email"], article=article, language=translation.get_language()
    )
    return render(request, "articles/follow_request.html", {"article": article, "sent": True})


@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: a page with a button (link scanners only GET)."""
    if request.method == "POST":
        outcome, subscription = moderation.confirm_follower(token=token)
    else:
        outcome, subscription = moderation.follower_confirmation(token=token)
    context = {
        "outcome": outcome.value,
        "subscription": subscription,
        "done": request.method == "POST",
    }
    status = 200 if outcome == moderation.Confirmation.CONFIRMED else 400
    return render(request, "articles/follow_confirm.html", context, status=status)


@csrf_exempt  # RFC 8058: mail clients POST here without a session or a form
@require_http_methods(["GET", "HEAD", "POST"])
def follow_off(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in every follower e-mail: GET asks, POST stops; no login needed."""
    stop = moderation.stop_request(token=token)
    if stop is None:
        return render(request, "articles/follow_off.html", {"invalid": True}, status=400)
    if request.method == "POST":
        moderation.stop_following(request=stop)
        return render(request, "articles/follow_off.html", {"stop": stop, "done": True})
    return render(request, "articles/follow_off.html", {"stop": stop})
