"""SearchRecord: the flat, denormalised record the database search backend stores and queries.

Its full-text index is vendor-specific, made by migrations: weighted tsvector + GIN on PostgreSQL, FTS5 on SQLite.
"""

from django.db import models


class SearchRecord(models.Model):
    """One searchable thing (agenda item, minute, action, meeting) as one audience may see it."""

    class Kind(models.TextChoices):
        AGENDA_ITEM = "agenda_item", "Agenda item"
        MINUTE = "minute", "Minute"
        ACTION = "action", "Action"
        MEETING = "meeting", "Meeting"

    # "<kind>:<object id>:<audience>" — one object has at most a public and a restricted record.
    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    object_id = models.BigIntegerField()
    meeting_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    board_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    board_title = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    # Weighted with the title (A): what was resolved matters more than what was said.
    resolution = models.TextField(blank=True)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    # "public" or "board:<id>" (staff of that board's partner agencies and the secretariat).
    audience = models.CharField(max_length=40, db_index=True)
    # A public stand-in (number, title, exemption label) for a record whose full text is restricted;
    # viewers who may see the full record get that instead.
    is_redaction = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["audience", "date"], name="search_rec_audience_date"),
            # Everything the facet counts read of a record: counting all of an audience's records (the empty
            # query) scans this index alone, never the rows with their text.
            models.Index(
                fields=["audience", "board_id", "kind", "year", "is_redaction", "id"], name="search_rec_facets"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def restricted(self):
        return self.audience != "public"


class FacetRow(models.Model):
    """A facet value of a record, repeating the record's audience, board, type and year.

    Written with the record and deleted with it (records are replaced, never updated), so the copies cannot
    drift; they let the empty query count a facet by scanning this table alone.
    """

    audience = models.CharField(max_length=40, default="")
    is_redaction = models.BooleanField(default=False)
    board_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, default="")
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class SearchRecordOrganisation(FacetRow):
    """An organisation a record concerns (lead, owner, sharer): the organisation facet."""

    # Indexed by the covering index below, which the facet join reads without touching the rows.
    record = models.ForeignKey(SearchRecord, on_delete=models.CASCADE, related_name="organisations", db_index=False)
    organisation_id = models.BigIntegerField()
    slug = models.CharField(max_length=100, db_index=True)
    name = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["record", "slug", "name"], name="search_rec_org_cover")]

    def __str__(self):
        return self.name


class SearchRecordTag(FacetRow):
    """A topic tag of a record: the tag facet."""

    record = models.ForeignKey(SearchRecord, on_delete=models.CASCADE, related_name="tags", db_index=False)
    slug = models.CharField(max_length=100, db_index=True)
    name = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["record", "slug", "name"], name="search_rec_tag_cover")]

    def __str__(self):
        return self.name


class SearchIndexState(models.Model):
    """One row: the index's generation, replaced by every write in the write's transaction.

    Cached totals and facet counts are keyed by it, so a publish, unpublish, edit or delete makes them unreachable.
    """

    generation = models.BigIntegerField(default=0)

    def __str__(self):
        return f"search index generation {self.generation}"
