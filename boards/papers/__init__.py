"""Papers: the documents attached to agenda items, and the checks every upload of one goes through.

Who may download a paper is decided by boards.permissions (can_download_document).
"""
