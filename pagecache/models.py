"""The content generation's one-row table (moved from the home app; the table keeps its name, no data moves)."""

from django.db import models


class ContentGeneration(models.Model):
    """One row: the public content's generation, replaced in the transaction of every write that could show.

    The anonymous page cache (pagecache.middleware) keys every page by it, so a publish, unpublish, edit, delete or
    import makes every cached page unreachable at the moment it commits.
    """

    generation = models.BigIntegerField(default=0)

    class Meta:
        db_table = "home_contentgeneration"

    def __str__(self):
        return f"content generation {self.generation}"
