"""Agency groups no longer hold model-level view_action/change_action (issue 15: Wagtail's bulk actions and site
history trusted them and showed every agency's actions). The allow-list and the per-object policy decide instead."""

from django.db import migrations

DROPPED = ["view_action", "change_action"]


def drop_action_model_perms(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Organisation = apps.get_model("boards", "Organisation")
    agency_groups = Organisation.objects.exclude(group=None).values("group_id")
    Group.permissions.through.objects.filter(
        group_id__in=agency_groups,
        permission__content_type__app_label="boards",
        permission__codename__in=DROPPED,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("boards", "0003_reminder_log"), ("auth", "0012_alter_user_first_name_max_length")]

    # Not reversed: the old grants were the leak.
    operations = [migrations.RunPython(drop_action_model_perms, migrations.RunPython.noop)]
