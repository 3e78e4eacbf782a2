"""The full-text index of SearchRecord, by database vendor: tsvector + GIN on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from search import fulltext_sql

    fulltext_sql.create(schema_editor.connection)


def backwards(apps, schema_editor):
    from search import fulltext_sql

    fulltext_sql.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_records")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
