"""The role groups (Secretariat, Chairs) and the model and page permissions they carry.

Idempotent: run after every migrate (boards.signal_handlers) and by load_demo; per-object grants live in boards.grants.
"""

import logging

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

logger = logging.getLogger(__name__)

SECRETARIAT = "Secretariat"
CHAIRS = "Chairs"

SECRETARIAT_MODEL_PERMS = {
    "boards": ["organisation", "person", "action", "actionupdate"],
    "wagtaildocs": ["document"],
    "wagtailimages": ["image"],
    "taggit": ["tag"],
}
PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]


def _perm(app_label, codename):
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def ensure_role_groups():
    """Create the role groups and give them what their job needs; returns the groups."""
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    chairs, _ = Group.objects.get_or_create(name=CHAIRS)
    access_admin = _perm("wagtailadmin", "access_admin")
    for group in (secretariat, chairs):
        if access_admin:
            group.permissions.add(access_admin)

    for app_label, models in SECRETARIAT_MODEL_PERMS.items():
        for model in models:
            cts = ContentType.objects.filter(app_label=app_label, model=model)
            secretariat.permissions.add(*Permission.objects.filter(content_type__in=cts))

    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMS:
            perm = _perm("wagtailcore", codename)
            if perm:
                GroupPagePermission.objects.get_or_create(group=secretariat, page=root, permission=perm)

    collection = Collection.get_first_root_node()
    if collection is not None:
        for codename in ("add_document", "change_document", "choose_document", "delete_document"):
            perm = _perm("wagtaildocs", codename)
            if perm:
                GroupCollectionPermission.objects.get_or_create(
                    group=secretariat, collection=collection, permission=perm
                )
    return secretariat, chairs


def ensure_permissions_exist():
    """Permissions are created by auth's own post_migrate handler, which may not have run yet: create them first."""
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
