from django.db import migrations, models


def seal_published_approvals(apps, schema_editor):
    """Minutes live before the seal existed were published on their approval: seal their live version.

    Only the live revision is sealed (what was published); any other approved-looking draft needs the chair again.
    """
    from boards.models.minutes import approval_seal

    MinutesPage = apps.get_model("boards", "MinutesPage")
    Page = apps.get_model("wagtailcore", "Page")
    Revision = apps.get_model("wagtailcore", "Revision")
    for page in MinutesPage.objects.filter(live=True).exclude(approved_on=None).exclude(live_revision=None):
        revision = Revision.objects.filter(pk=page.live_revision_id).first()
        if revision is None or not revision.content.get("approved_on"):
            continue
        meeting_id = Page.objects.filter(path=page.path[:-4]).values_list("pk", flat=True).first()
        seal = approval_seal(page.pk, meeting_id, revision.content)
        revision.content["approval_seal"] = seal
        revision.save(update_fields=["content"])
        MinutesPage.objects.filter(pk=page.pk).update(approval_seal=seal)


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0004_agency_groups_drop_action_model_perms"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutespage",
            name="approval_seal",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(seal_published_approvals, migrations.RunPython.noop),
    ]
