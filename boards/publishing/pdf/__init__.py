"""PDFs of the record: rendered (render), stored in public or private storage (storage), served (serve).

The agenda pack and the minutes of a meeting, each in a public and a full (restricted) version.
"""
