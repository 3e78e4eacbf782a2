"""What the public record publishes beyond its pages: feeds, calendars, PDFs, and the tasks that render them.

Everything here shows only what boards.permissions says the public (or the asking user) may see.
"""
