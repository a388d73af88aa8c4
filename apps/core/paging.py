"""Paging that stays fast on deep pages and counts once (issue 15).

``Paginator`` slices the list's full query: for page 2,000 of 100,000 projects PostgreSQL
builds and discards 99,950 complete rows — every join, every completion subquery — sorting
them on disk. ``DeferredJoinPaginator`` first reads the page's primary keys with the list's
filters and ordering but none of its joins or annotations (an index-only walk of the
ordering's index), then loads just those rows and puts them back in that order: the same
rows in the same order, whatever the page.

A queryset marked with ``keys_first(qs)`` takes the same path from its first page: with a
condition that matches many rows scattered over the table (``?q=光伏`` matches 1 project in
12), the plain LIMIT joins every match with its region, sector and unit and sorts the wide rows
(190 ms at 100,000 projects) where the keys alone sort in 35 ms (issue 15).

A page that already counted its rows (e.g. the list's totals line) passes ``count=`` so the
paginator does not count a second time.

Every list page pages through ``paginate``: ``?page=`` and ``?page_size=`` (one of
``settings.PAGE_SIZE_CHOICES`` unless the list has its own choices), the choices on the page
for the template's "每页" links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

#: From this offset on, pages are read by primary keys first; before it the plain LIMIT is
#: as fast and is one query instead of two.
DEFERRED_FROM = 1000


def keys_first(queryset: QuerySet) -> QuerySet:
    """Mark ``queryset`` so that its pages read their keys first even near the top (the mark
    is on the query, so it survives later filters and orderings)."""
    queryset = queryset.all()
    queryset.query.keys_first = True
    return queryset


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.combinator:
            # Counting needs no joins for display nor the ordering (Django keeps the joins of
            # select_related out of count(), but not always the annotations' subqueries).
            return qs.order_by().values("pk").count()
        return super().count

    def page(self, number: Any):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        qs = self.object_list
        if (
            not isinstance(qs, QuerySet)
            or qs.query.is_sliced
            or qs.query.combinator
            or (bottom < DEFERRED_FROM and not getattr(qs.query, "keys_first", False))
        ):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in qs.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids], number, self)


def page_size(request: Any, choices: Sequence[int], default: int) -> int:
    """``?page_size=`` if it is one of ``choices``, else ``default``."""
    try:
        size = int(request.GET.get("page_size", default))
    except ValueError:
        return default
    return size if size in choices else default


def paginate(
    request: Any,
    queryset: Any,
    *,
    choices: Sequence[int] | None = None,
    default: int | None = None,
    count: int | None = None,
) -> Page:
    """The requested page of ``queryset``; ``page.page_sizes`` are the sizes one may pick
    (``settings.PAGE_SIZE_CHOICES`` unless given, the first the default)."""
    choices = tuple(choices or settings.PAGE_SIZE_CHOICES)
    size = page_size(request, choices, choices[0] if default is None else default)
    page = DeferredJoinPaginator(queryset, size, count=count).get_page(request.GET.get("page"))
    page.page_sizes = choices
    return page
