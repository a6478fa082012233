from django.contrib import admin

from articles.models import Article, Profile


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author_name", "language", "published_at", "comments_open"]
    list_filter = ["language", "comments_open"]
    search_fields = ["title", "lead", "author_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "is_banned", "banned_at"]
    list_filter = ["is_banned"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
