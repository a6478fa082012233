"""The sites framework's row follows SITE_URL.

allauth names the site in its e-mails from the Site row (SITE_ID), which Django creates as
"example.com". Every migrate (make run, make serve, the test database) sets it from SITE_URL.
"""

from django.conf import settings


def sync_site_with_site_url(**kwargs) -> None:
    """Give the Site row SITE_URL's host as its domain and name (post_migrate receiver)."""
    from django.contrib.sites.models import Site

    using = kwargs.get("using", "default")
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_DOMAIN},
    )
    Site.objects.clear_cache()
