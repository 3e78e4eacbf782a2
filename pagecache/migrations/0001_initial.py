# The content generation's model moves here from the home app. State only: the table keeps its name
# (home_contentgeneration) and its row, so an existing database loses nothing.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0003_content_generation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentGeneration",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("generation", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "home_contentgeneration"},
                ),
            ],
            database_operations=[],
        ),
    ]
