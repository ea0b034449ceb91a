"""One ``<collection>_aql.py`` module per collection, each with one ``*Operations`` class.

Only :class:`nomarr.persistence.db.Database` (and its units of work) import from here; callers
reach these classes as ``db.<collection>``.
"""

__all__: list[str] = []
