from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz

# The admin is Agora's, not "Django administration" (templates/admin/base_site.html shows these).
admin.site.site_header = "Agora"
admin.site.site_title = _("Agora administration")
admin.site.index_title = _("Moderation and content")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's own URLs, which would answer this path with a 404.
    path("admin/moderation/dashboard/", include("moderation.admin.dashboard")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]

# allauth answers its own rate limits (sign-up, log-in) with the view it finds here.
handler429 = "articles.ratelimits.allauth_too_many_requests"
