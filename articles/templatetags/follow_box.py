"""The "Notify me of new comments" box on an article page."""

from django import template

from articles import services
from articles.forms import FollowEmailForm

register = template.Library()


@register.inclusion_tag("articles/_follow.html", takes_context=True)
def follow_box(context, article) -> dict:
    request = context["request"]
    return {
        "article": article,
        "state": services.follow_state(user=request.user, article=article),
        "form": FollowEmailForm(),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
