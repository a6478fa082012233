"""The author's appeal page: the form behind the comment's "Appeal" button and the decision
e-mail's signed link (which works without logging in)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import Article, Comment
from articles.threads import comment_url
from articles.views import notify_next_to
from moderation import services as moderation


def _load_for_author(request: HttpRequest, pk: int, token: str) -> tuple[Comment, bool]:
    """The comment, if the viewer is its author or holds its signed link; else 404."""
    comment = (
        Comment.objects.select_related("article", "author")
        .filter(article__in=Article.objects.published(), pk=pk)
        .first()
    )
    by_link = bool(token) and moderation.comment_id_from_appeal_token(token=token) == pk
    is_author = comment is not None and comment.author_id == request.user.pk
    if comment is None or not (by_link or is_author):
        raise Http404
    return comment, by_link and not is_author


@require_http_methods(["GET", "HEAD", "POST"])
def comment_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    token = (request.POST.get("token") or request.GET.get("token") or "")[:300]
    comment, by_link = _load_for_author(request, pk, token)
    state = moderation.appeal_states(comments=[comment]).get(comment.pk, moderation.AppealState())
    context = {
        "comment": comment,
        "state": state,
        "token": token if by_link else "",
        "max_length": moderation.APPEAL_MAX_LENGTH,
    }
    if request.method != "POST":
        return render(request, "articles/appeal.html", context)
    text = request.POST.get("text", "")
    try:
        moderation.file_appeal(comment_id=comment.pk, author=comment.author, text=text)
    except moderation.AppealRefused as error:
        context.update(error=str(error), text=text[: moderation.APPEAL_MAX_LENGTH * 2])
        return render(request, "articles/appeal.html", context, status=error.status_code)
    if by_link:
        messages.success(
            request, _("Your appeal is received. A moderator will look at the decision again.")
        )
        query = urlencode({"token": token})
        return redirect(f"{reverse('articles:comment_appeal', args=[pk])}?{query}")
    notify_next_to(request, comment, "appealed")
    return redirect(comment_url(comment, request.user))
