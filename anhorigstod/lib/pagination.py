"""Pagination that counts no more rows than a page needs.

Django's ``Paginator`` counts the whole result on every page view: for the manager of a
large municipality, every talk of every year (160,000 at a million talks nationally) is
counted to print "Page 1 of 3,200". :class:`BoundedPaginator` counts at most ``bound``
rows, or up to the end of the requested page when that lies further on, and says "more
than 1,000" when there are more: the page links still work page by page, and the count
costs the same whatever the size of the table.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

DEFAULT_BOUND = 1000


class BoundedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``limit + 1``: exact up to ``limit`` rows,
    ``limit + 1`` meaning "more than ``limit``" (:attr:`is_exact` tells which).

    ``limit`` is ``bound``, raised by :meth:`get_page` / :meth:`page` to the last row of
    the requested page, so that page and the link to the next one are always right.
    Use a ``bound`` that is a multiple of ``per_page``.
    """

    def __init__(self, object_list: Any, per_page: int, *, bound: int = DEFAULT_BOUND, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound
        self.limit = bound

    def _reach(self, number: Any) -> None:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        # Set before the count is first read (it is cached): the count reaches this page.
        if "count" not in self.__dict__:
            self.limit = max(self.bound, wanted * self.per_page)

    def get_page(self, number: Any) -> Page:
        self._reach(number)
        return super().get_page(number)

    def page(self, number: Any) -> Page:
        self._reach(number)
        return super().page(number)

    @cached_property
    def count(self) -> int:
        """The rows, counted up to ``limit + 1``: one query over at most that many rows."""
        if isinstance(self.object_list, QuerySet):
            # Without the order, which does not change how many rows there are, the database
            # may read the cheapest ``limit + 1`` rows rather than the first ones.
            return self.object_list.order_by().values("pk")[: self.limit + 1].count()
        return len(self.object_list[: self.limit + 1])

    @property
    def is_exact(self) -> bool:
        """Whether :attr:`count` is every row, not a "more than :attr:`limit`"."""
        return self.count <= self.limit

    @property
    def pages_more_than(self) -> int:
        """With an inexact count: the pages there are more than (the full pages in ``limit``)."""
        return self.limit // self.per_page
