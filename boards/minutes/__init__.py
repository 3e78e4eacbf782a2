"""Minutes in the admin: drafting them from a held meeting, the chair's approval workflow, its notifier and hooks.

The minutes page, its approval seal and the chair's task live in boards.models.minutes.
"""
