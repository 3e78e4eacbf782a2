# The content generation's model now lives in the pagecache app (pagecache/migrations/0001_initial.py).
# State only: its table and row stay where they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_content_generation"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentGeneration")],
            database_operations=[],
        ),
    ]
