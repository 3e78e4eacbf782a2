"""URLs of search: the public search page /search/ (included before Wagtail's catch-all) and the link of a
restricted action result."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_view, name="search"),
    path("action/<int:pk>/", views.open_action, name="open_action"),
]
