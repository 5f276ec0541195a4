"""The shared shape of everything residents submit: status, district, effort area, history.

Ideas, feedback, comments and reports are kinds of ``Submission`` (joined-table
inheritance), so the moderation queue reads one table and a new kind plugs in
without touching the others.
"""
