from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author_name", "language", "published_at", "comments_open"]
    list_filter = ["language", "comments_open"]
    search_fields = ["title", "lead", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at":
            # Django's date and time boxes have only loose text beside them, no label of their own.
            date, time = field.widget.widgets
            date.attrs["aria-label"] = _("Publication date")
            time.attrs["aria-label"] = _("Publication time")
        return field
