"""Files the site keeps beside runs and events: visitors' uploads, runs' pictures, datasets and weights on disk.

The checks and formats are Django-free (``playground/data/uploads.py``,
``catalog.py``, ``fetch.py``); this app holds the database rows, the API routes
and the management commands around them.
"""
