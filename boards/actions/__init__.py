"""Actions in the admin and in public: the snippet's viewset, listing table, forms, filters and choosers, the status
views, the public action log, reminder digests and their tasks. Who sees what is boards.permissions' answer.
"""
