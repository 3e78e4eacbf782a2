"""Ends every session of a user the moment their account is deactivated.

Connected in BoardsConfig.ready(); sessions are in the database, so this works without the cache.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

logger = logging.getLogger(__name__)

User = get_user_model()


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


@receiver(pre_save, sender=User)
def remember_if_active(sender, instance, raw=False, update_fields=None, **kwargs):
    # A login's last_login update does not touch is_active: skip the extra query.
    if raw or instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._was_active = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def end_sessions_on_deactivation(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or instance.is_active or not getattr(instance, "_was_active", False):
        return
    count = end_sessions_of(instance.pk)
    logger.info(
        "user deactivated, sessions ended", extra={"event": "sessions_ended", "user": instance.pk, "count": count}
    )
