"""Ending every session of a user: done the moment their account is deactivated (boards.signal_handlers).

Sessions are in the database, so this works without the cache.
"""

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone

logger = logging.getLogger(__name__)


def end_sessions_of(user_id):
    """Delete the live sessions that belong to the user; returns how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        try:
            data = session.get_decoded()
        except Exception:  # a session that cannot be decoded belongs to nobody we can identify
            continue
        if str(data.get("_auth_user_id")) == str(user_id):
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
