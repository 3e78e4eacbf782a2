"""The records model: organisations, people, boards, meetings, minutes and actions.

Each concept lives in its own module; this package re-exports them.
"""

from .actions import Action, ActionReferenceSequence, ActionTag, ActionUpdate, ReminderLog
from .boards import BoardIndexPage, BoardPage, BoardPartner, Membership
from .meetings import AgendaItem, AgendaItemTag, Attendance, Declaration, MeetingPage
from .minutes import ChairApprovalTask, MinuteEntry, MinutesPage
from .organisations import Organisation, Person
from .permissions import (
    ActionGroupObjectPermission,
    ActionUserObjectPermission,
    BoardPageGroupObjectPermission,
    BoardPageUserObjectPermission,
)

__all__ = [
    "Action",
    "ActionGroupObjectPermission",
    "ActionReferenceSequence",
    "ActionTag",
    "ActionUpdate",
    "ActionUserObjectPermission",
    "AgendaItem",
    "AgendaItemTag",
    "Attendance",
    "BoardIndexPage",
    "BoardPage",
    "BoardPageGroupObjectPermission",
    "BoardPageUserObjectPermission",
    "BoardPartner",
    "ChairApprovalTask",
    "Declaration",
    "MeetingPage",
    "Membership",
    "MinuteEntry",
    "MinutesPage",
    "Organisation",
    "Person",
    "ReminderLog",
]
