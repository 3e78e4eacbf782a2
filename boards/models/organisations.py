"""Partner agencies and the people who represent them.

An Organisation owns exactly one auth Group ("Agency: <name>") for its staff.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

AGENCY_GROUP_PREFIX = "Agency: "


class Organisation(index.Indexed, models.Model):
    """A partner agency that sits on one or more boards."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        EDUCATION = "education", "Education"
        EMPLOYMENT = "employment", "Employment"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True, help_text="Used in tables, e.g. “NHS Barnet”.")
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="organisation",
        help_text="The auth group of this agency's staff.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def group_name(self):
        return f"{AGENCY_GROUP_PREFIX}{self.name}"[:150]

    def clean(self):
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:100]
        clash = Group.objects.filter(name=self.group_name)
        if self.group_id:
            clash = clash.exclude(pk=self.group_id)
        if clash.exists():
            raise ValidationError({"name": f"A group called “{self.group_name}” already exists."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        with transaction.atomic():
            if self.group_id is None:
                self.group, _ = Group.objects.get_or_create(name=self.group_name)
            elif self.group.name != self.group_name:
                self.group.name = self.group_name
                self.group.save(update_fields=["name"])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        group = self.group
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            if group is not None:
                group.delete()
        return result


class Person(index.Indexed, models.Model):
    """Someone who sits on or reports to a board."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="Employer.",
    )
    user = models.OneToOneField(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The login of this person, if they have one.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("organisation"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("job_title"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)
