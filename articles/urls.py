from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles import appeal_views, feeds, following_views, views
from articles.ratelimits import rate_limited

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("policy/", TemplateView.as_view(template_name="articles/policy.html"), name="policy"),
    path("feed/", require_safe(feeds.LatestArticlesFeed()), name="feed"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path(
        "articles/<slug:slug>/comments/",
        rate_limited("comment")(views.comment_create),
        name="comment_create",
    ),
    path(
        "articles/<slug:slug>/feed/",
        require_safe(feeds.ArticleCommentsFeed()),
        name="comments_feed",
    ),
    path("articles/<slug:slug>/follow/", following_views.follow, name="follow"),
    path("articles/<slug:slug>/unfollow/", following_views.unfollow, name="unfollow"),
    path(
        "articles/<slug:slug>/follow/email/",
        rate_limited("follow")(following_views.follow_by_email),
        name="follow_by_email",
    ),
    path("follow/confirm/<str:token>/", following_views.follow_confirm, name="follow_confirm"),
    path("follow/off/<str:token>/", following_views.follow_off, name="follow_off"),
    path("comments/<int:pk>/", views.comment_link, name="comment_link"),
    path(
        "comments/<int:pk>/report/",
        rate_limited("report")(views.comment_report),
        name="comment_report",
    ),
    path("comments/<int:pk>/status.json", views.comment_status_json, name="comment_status"),
    path(
        "comments/<int:pk>/appeal/",
        rate_limited("appeal")(appeal_views.comment_appeal),
        name="comment_appeal",
    ),
    path("account/comments/", views.my_comments, name="my_comments"),
    path("account/notifications/", views.notification_settings, name="notifications"),
    path(
        "account/notifications/off/<str:token>/",
        views.notifications_off,
        name="notifications_off",
    ),
]
