"""The django-tasks task that updates the search index (immediate in dev and tests, a worker in production).

Arguments are plain id lists so the task serialises to JSON for a database queue.
"""

import logging

from django_tasks import task

from search import indexing
from search.records import ACTION, AGENDA_ITEM, MINUTE, Scope

logger = logging.getLogger(__name__)


@task()
def update_search_index(meeting_ids=(), board_ids=(), item_ids=(), entry_ids=(), action_ids=()):
    """Refresh the records of these meetings, boards, agenda items, minute entries and actions."""
    scope = Scope(meeting_ids=set(meeting_ids), board_ids=set(board_ids))
    scope.add(AGENDA_ITEM, item_ids).add(MINUTE, entry_ids).add(ACTION, action_ids)
    return indexing.refresh(scope)


def schedule(**ids):
    """Enqueue an index update; never raises (the next rebuild or update repairs a missed one)."""
    ids = {k: sorted({int(i) for i in v if i is not None}) for k, v in ids.items() if v}
    if not ids:
        return None
    try:
        return update_search_index.enqueue(**ids)
    except Exception:
        logger.exception("could not enqueue search index update %s", ids)
        return None
