from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles import comment_status, services
from articles.forms import CommentForm, NotificationForm, ReportForm
from articles.models import Article, Comment
from articles.threads import (
    ThreadOrder,
    comment_url,
    order_from,
    page_from,
    thread_page,
    visible_thread,
)
from moderation import services as moderation


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().with_comment_counts()
    paginator = Paginator(articles, settings.ARTICLES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page_obj": page})


MY_COMMENTS_PER_PAGE = 20


@login_required
@require_safe
def my_comments(request: HttpRequest) -> HttpResponse:
    """The reader's own comments, newest first, each with its status and, if turned down, the
    reason and where the reader stands with an appeal."""
    comments = Comment.objects.filter(author_id=request.user.pk).select_related("article")
    paginator = Paginator(comments.order_by("-created_at", "-id"), MY_COMMENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    appeals = moderation.appeal_states(comments=list(page))
    entries = [(comment, appeals.get(comment.pk)) for comment in page]
    return render(request, "articles/my_comments.html", {"page_obj": page, "entries": entries})


def _load_article(slug: str) -> Article:
    return get_object_or_404(Article.objects.published(), slug=slug)


def _render_thread(
    request: HttpRequest, article: Article, context: dict, *, page, order, may_report: bool
) -> str:
    """The page of threads as this reader sees it; fills in `context` what the page needs."""
    threads = thread_page(article, request.user, page=page, order=order)
    if threads is None:
        raise Http404("No such page of comments")
    own = [c for c in threads.comments if c.author_id == request.user.pk]
    context.update(_author_context(request, own))
    context["thread"] = visible_thread(
        threads.comments,
        request.user,
        may_comment=context["block_reason"] is None,
        may_report=may_report,
        reported_ids=moderation.reported_comment_ids(user=request.user, article_id=article.pk),
        root_order=threads.page.root_ids,
        appeals=context["appeals"],
    )
    context["threads"] = threads
    context["thread_orders"] = ThreadOrder.choices
    shown = {entry.comment.pk for entry in context["thread"]}
    if context["reply_to"] not in shown:
        context["reply_to"] = None
    notice = context["comment_notice"]
    if notice and notice["id"] not in shown:
        messages.success(request, notice["text"])
    return render_to_string("articles/_thread.html", context, request)


def _render_article(
    request: HttpRequest,
    article: Article,
    *,
    form: CommentForm | None = None,
    report_form: ReportForm | None = None,
    report_to: int | None = None,
    status: int = 200,
) -> HttpResponse:
    account_reason = services.account_block_reason(user=request.user)
    block_reason = services.commenting_block_reason(user=request.user, article=article)
    form = form or CommentForm(article=article, user=request.user)
    context = {
        "article": article,
        "form": form,
        # A failed reply is shown again under its comment; any other failure in the main form.
        "reply_to": _reply_target(form),
        "can_comment": block_reason is None,
        "report_reasons": moderation.REPORT_REASONS,
        # A refused report is shown again, open and with its errors, under its comment.
        "report_form": report_form,
        "report_to": report_to,
        "block_reason": block_reason,
        "max_length": settings.COMMENTS_MAX_LENGTH,
    }
    # Only a page the discussion has and a known order reach the cache key: a made-up order is
    # the default, and a page that is none ("abc", "0", past the last) is a 404, not a rendering.
    page, order = page_from(request.GET.get("page")), order_from(request.GET.get("order"))
    if page is None:
        raise Http404("No such page of comments")
    # Anonymous readers all see the same discussion: render it once per version of the thread.
    cache_key = None
    if not request.user.is_authenticated and status == 200:
        language = translation.get_language()
        cache_key = f"thread:{article.pk}:{article.thread_version}:{language}:{page}:{order.value}"
        context["thread_html"] = cache.get(cache_key)
    if context.get("thread_html") is None:
        context["thread_html"] = _render_thread(
            request, article, context, page=page, order=order, may_report=account_reason is None
        )
        if cache_key:
            cache.set(cache_key, context["thread_html"], settings.COMMENTS_CACHE_SECONDS)
    return render(request, "articles/article_detail.html", context, status=status)


# What the author just did, said next to the comment the page scrolls to (not at the top of the
# page, out of view): the view that redirects stores it, the article page shows it once.
NOTICE_KEY = "comment_notice"


def _notices() -> dict[str, str]:
    return {
        "posted": _("Thank you. Your comment is awaiting moderation."),
        "reported": _("Thank you. The moderators will look at this comment."),
        "appealed": _("Your appeal is received. A moderator will look at the decision again."),
    }


def notify_next_to(request: HttpRequest, comment: Comment, kind: str) -> None:
    """Show the `kind` notice ("posted", "reported", "appealed") inside the comment, once, on
    the article page the view redirects to."""
    request.session[NOTICE_KEY] = {"id": comment.pk, "kind": kind}


def _author_context(request: HttpRequest, own: list[Comment]) -> dict:
    """For the reader's own comments on the page: the notice to show next to one, the usual wait
    for those in review, and where they stand with appeals."""
    stored = request.session.pop(NOTICE_KEY, None) if request.user.is_authenticated else None
    notice = stored if isinstance(stored, dict) else {}
    text = _notices().get(notice.get("kind", ""))
    in_review = any(c.status == Comment.Status.NEEDS_REVIEW for c in own)
    wait = moderation.review_wait_minutes() if in_review else None
    return {
        "comment_notice": {"id": notice.get("id"), "text": text} if text else None,
        "wait_estimate": comment_status.wait_estimate(wait),
        "appeals": moderation.appeal_states(comments=own) if own else {},
        "appeal_max_length": moderation.APPEAL_MAX_LENGTH,
    }


def _reply_target(form: CommentForm) -> int | None:
    raw = form.data.get("parent") if form.is_bound else None
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_article(request, _load_article(slug))


@require_safe
def comment_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's permanent link: the page of its discussion that holds it."""
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(article__in=Article.objects.published()),
        pk=pk,
    )
    if not comment.is_visible_to(request.user):
        raise Http404
    return redirect(comment_url(comment, request.user))


@never_cache
@require_safe
def comment_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    """Where a comment stands, for its author's page to update itself. A comment that is not
    public is answered for its author only: 404 for anyone else."""
    comment = get_object_or_404(
        Comment.objects.filter(article__in=Article.objects.published()), pk=pk
    )
    if not comment.is_visible_to(request.user):
        raise Http404
    wait = moderation.review_wait_minutes() if comment.status == "needs_review" else None
    can_appeal = comment.is_turned_down and comment.author_id == request.user.pk
    if can_appeal:
        state = moderation.appeal_states(comments=[comment]).get(comment.pk)
        can_appeal = bool(state and state.can_appeal)
    return JsonResponse(
        comment_status.live_status(comment, wait_minutes=wait, can_appeal=can_appeal)
    )


@require_POST
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    article = _load_article(slug)
    form = CommentForm(request.POST, article=article, user=request.user)
    reason = services.commenting_block_reason(user=request.user, article=article)
    if reason is not None:
        messages.error(request, reason.label)
        return _render_article(request, article, form=form, status=403)
    if not form.is_valid():
        return _render_article(request, article, form=form, status=400)
    comment = services.post_comment(
        article=article,
        author=request.user,
        body=form.cleaned_data["body"],
        parent=form.cleaned_data["parent"],
    )
    notify_next_to(request, comment, "posted")
    return redirect(comment_url(comment, request.user))


@require_POST
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(article__in=Article.objects.published()),
        pk=pk,
    )
    reason = services.account_block_reason(user=request.user)
    if reason is not None:
        messages.error(request, reason.label)
        return _render_article(request, comment.article, status=403)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_article(
            request, comment.article, report_form=form, report_to=comment.pk, status=400
        )
    try:
        moderation.report_comment(
            comment=comment,
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
    except moderation.ReportRefused as error:
        messages.error(request, str(error))
        return _render_article(request, comment.article, status=error.status_code)
    notify_next_to(request, comment, "reported")
    return redirect(comment_url(comment, request.user))


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = moderation.notification_settings(user=request.user)
    form = NotificationForm(request.POST or None, initial=current.__dict__)
    if request.method == "POST" and form.is_valid():
        chosen = moderation.NotificationSettings(**form.cleaned_data)
        moderation.save_notification_settings(user=request.user, settings=chosen)
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("articles:notifications")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "subscriptions": moderation.subscriptions_of(user=request.user)}
    return render(request, "articles/notifications.html", context, status=status)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session or a form
@require_http_methods(["GET", "HEAD", "POST"])
def notifications_off(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in each e-mail: stop the e-mails without logging in."""
    if not moderation.unsubscribe_token_is_valid(token=token):
        return render(request, "articles/notifications_off.html", {"invalid": True}, status=400)
    if request.method == "POST":
        moderation.unsubscribe(token=token)
        return render(request, "articles/notifications_off.html", {"done": True})
    return render(request, "articles/notifications_off.html", {})
