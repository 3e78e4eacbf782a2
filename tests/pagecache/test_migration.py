"""The content generation's move from home to pagecache keeps the table and its row (state-only migrations)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("home", "0003_content_generation"), ("pagecache", None)]


# serialized_rollback: like the suite's other transactional tests, so the flush after it leaves the database as the
# next one expects (a plain flush re-creates the role groups, which a serialized restore then inserts again).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_the_row_a_database_of_the_old_code_had():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_state = executor.loader.project_state(BEFORE[:1])
    assert ("home", "contentgeneration") in old_state.models
    with connection.cursor() as cursor:
        # Row 2 is a marker nothing else writes (a deploy's migrate replaces row 1's generation on purpose).
        cursor.execute("INSERT INTO home_contentgeneration (id, generation) VALUES (2, 424242)")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from pagecache.models import ContentGeneration

    assert ContentGeneration.objects.get(pk=2).generation == 424242
    assert ContentGeneration.objects.filter(pk=1).exists()
    state = executor.loader.project_state(executor.loader.graph.leaf_nodes())
    assert ("home", "contentgeneration") not in state.models
    assert ("pagecache", "contentgeneration") in state.models
