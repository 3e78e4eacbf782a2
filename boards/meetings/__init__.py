"""Meetings in the admin: publishing an agenda against the statutory clock, the deadlines panel, guarded deletes.

The meeting page itself and its validation form live in boards.models.
"""
