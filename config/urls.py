from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]

# allauth answers its own rate limits (sign-up, log-in) with the view it finds here.
handler429 = "articles.ratelimits.allauth_too_many_requests"
