"""Signals of writes that Django's model signals do not announce.

``bulk_written``: ``bulk_create`` and ``QuerySet.update`` send no ``post_save``; a service
that writes rows that way sends this (``sender`` = the model class) so caches of aggregates
(the cockpit's, apps.dashboard.cache) can drop, without the writing app importing them.
"""

from django.dispatch import Signal

bulk_written = Signal()
