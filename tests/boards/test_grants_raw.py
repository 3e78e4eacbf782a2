"""Loading a fixture (raw saves) leaves grants to the fixture itself and to `sync_permissions`.

A restore loads rows in any order: syncing mid-load would need permissions and groups not yet loaded.
"""

import json

import pytest
from django.core import serializers
from django.core.management import call_command

from boards.models import Action, ActionGroupObjectPermission
from tests import factories

pytestmark = pytest.mark.django_db


def test_loaddata_of_actions_does_not_sync_grants(tmp_path, partnered_board, council):
    action = factories.ActionFactory(board=partnered_board, owner=council)
    fixture = tmp_path / "actions.json"
    fixture.write_text(serializers.serialize("json", [action]))
    data = json.loads(fixture.read_text())
    data[0]["pk"] = action.pk + 1000
    data[0]["fields"]["reference"] = "OBPB/2011/03/99"
    fixture.write_text(json.dumps(data))
    call_command("loaddata", str(fixture), verbosity=0)
    loaded = Action.objects.get(reference="OBPB/2011/03/99")
    assert not ActionGroupObjectPermission.objects.filter(content_object=loaded).exists()
    call_command("sync_permissions", verbosity=0)
    assert ActionGroupObjectPermission.objects.filter(content_object=loaded, group=council.group).exists()
