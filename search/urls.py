"""URL of the public search page: /search/ (included before Wagtail's catch-all)."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [path("", views.search_view, name="search")]
