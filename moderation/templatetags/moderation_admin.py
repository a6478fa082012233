from django import template

from moderation import services
from moderation.models import ModelStatus

register = template.Library()


@register.inclusion_tag("moderation/_model_status.html")
def model_status() -> dict:
    """What the workers last reported about loading the models (the web never loads them)."""
    return {"status": ModelStatus.objects.filter(pk=1).first()}


@register.inclusion_tag("moderation/_queue_summary.html", takes_context=True)
def review_queue_summary(context) -> dict:
    """The queue's size and the age of its oldest item, for moderators on the admin index."""
    if not services.is_moderator(context["request"].user):
        return {"show": False}
    return {"show": True, **services.queue_summary()}
