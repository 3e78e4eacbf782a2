from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from boards.media import media_image_urlpatterns
from boards.page_chooser import ChosenPagesView
from boards.publishing.feeds import MinutesAtomFeed, MinutesRSSFeed
from boards.publishing.page_files import PAGE_FILE_PATTERN, serve_page_file
from home.views import AccessibilityStatementView
from partnership import views as site_views

urlpatterns = [
    path("health/", site_views.HealthView.as_view(), name="health"),
    path(".well-known/security.txt", site_views.security_txt, name="security_txt"),
    path("django-admin/", admin.site.urls),
    # Wagtail's view answers 500 when the root page is among the ids; ours leaves it out (same path, unnamed,
    # behind the same admin-access check Wagtail's admin URLs get).
    path("admin/choose-page/chosen-multiple/", never_cache(require_admin_access(ChosenPagesView.as_view()))),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += media_image_urlpatterns()

# Public feeds and the sitemap (boards/publishing/feeds.py), before Wagtail's catch-all.
urlpatterns += [
    path("feeds/minutes/rss/", MinutesRSSFeed(), name="minutes_rss"),
    path("feeds/minutes/atom/", MinutesAtomFeed(), name="minutes_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # …/agenda.pdf, …/minutes/minutes.pdf, …/meetings.ics: page routes that Wagtail's pattern cannot match.
    re_path(PAGE_FILE_PATTERN, serve_page_file, name="page_file"),
]

# The accessibility statement (home/views.py), linked from every page's footer.
urlpatterns += [path("accessibility/", AccessibilityStatementView.as_view(), name="accessibility_statement")]

# Public search (search/), before Wagtail's catch-all.
urlpatterns += [path("search/", include("search.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
