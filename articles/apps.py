from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles and comments")

    def ready(self) -> None:
        from articles.site_address import sync_site_with_site_url

        post_migrate.connect(sync_site_with_site_url, sender=self)
