"""Guardian's direct foreign-key object-permission tables for boards and actions.

Every row here is derived from data (partners, owners, sharing) by boards.grants (boards.permissions reads them).
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class BoardPageUserObjectPermission(UserObjectPermissionBase):
    """A user's object permission on a board."""

    content_object = models.ForeignKey("boards.BoardPage", on_delete=models.CASCADE)

    def __str__(self):
        return f"{self.user} · {self.permission.codename} · {self.content_object_id}"


class BoardPageGroupObjectPermission(GroupObjectPermissionBase):
    """A group's object permission on a board."""

    content_object = models.ForeignKey("boards.BoardPage", on_delete=models.CASCADE)

    def __str__(self):
        return f"{self.group} · {self.permission.codename} · {self.content_object_id}"


class ActionUserObjectPermission(UserObjectPermissionBase):
    """A user's object permission on an action."""

    content_object = models.ForeignKey("boards.Action", on_delete=models.CASCADE)

    def __str__(self):
        return f"{self.user} · {self.permission.codename} · {self.content_object_id}"


class ActionGroupObjectPermission(GroupObjectPermissionBase):
    """A group's object permission on an action."""

    content_object = models.ForeignKey("boards.Action", on_delete=models.CASCADE)

    def __str__(self):
        return f"{self.group} · {self.permission.codename} · {self.content_object_id}"
