"""The benchmark process's urlconf: the real site plus the floor views (bench-only, never in production).

The floor routes come first so Wagtail's catch-all does not swallow them.
"""

from django.urls import path

from partnership.urls import urlpatterns as site_urlpatterns
from tests.benchmarks import floor

urlpatterns = [
    path("__bench__/floor/meeting/<int:page_id>/", floor.meeting, name="bench_floor_meeting"),
    path("__bench__/floor/search/", floor.search, name="bench_floor_search"),
    path("__bench__/peer/search/", floor.peer_search, name="bench_peer_search"),
    *site_urlpatterns,
]
