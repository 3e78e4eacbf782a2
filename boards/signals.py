"""Signal receivers of the boards app."""

from django.dispatch import Signal

# Sent once by boards.bundle.importer after an import has written records in bulk (bulk inserts send no
# post_save), inside the import's transaction and before import_records returns, so a receiver's failure
# rolls the whole import back. Receivers finish in bulk what the bulk path skipped (permission grants,
# search records); work that must wait for the commit should use transaction.on_commit. Not sent by a
# dry run or by an import that changed nothing.
# Keyword arguments, each a sorted list of primary keys created or updated by the import:
#   organisations, people, boards (BoardPage ids), meetings (MeetingPage ids), minutes (MinutesPage ids),
#   actions (Action ids).
records_imported = Signal()
