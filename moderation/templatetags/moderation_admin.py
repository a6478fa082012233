from django import template

from moderation.models import ModelStatus

register = template.Library()


@register.inclusion_tag("moderation/_model_status.html")
def model_status() -> dict:
    """What the workers last reported about loading the models (the web never loads them)."""
    return {"status": ModelStatus.objects.filter(pk=1).first()}
