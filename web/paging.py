"""Long lists a page at a time: ``?page=N`` of a query, counted in one query and fetched in one more."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort, request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
PAGE_SIZE = 25


@dataclass
class Page(Generic[T]):
    """Rows ``(number - 1) * size`` onwards of ``total``; page numbers start at 1."""

    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def first_row(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.items) - 1 if self.items else 0


def page_count(total: int, size: int) -> int:
    """Pages of ``total`` rows; an empty list still has its one, empty, page."""
    return max(1, math.ceil(total / size))


def page_number(args: Mapping[str, str]) -> int:
    """The ``page`` argument of a request (1 when absent); 400 for one that is not a whole number from 1."""
    text = args.get("page", "1")
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 10**6):
        abort(400, f"The page must be a whole number from 1, not '{text[:40]}'.")
    return int(text)


def page_size(args: Mapping[str, str], default: int, most: int) -> int:
    """The ``per_page`` argument of a request (``default`` when absent); 400 for one outside 1 to ``most``."""
    text = args.get("per_page", str(default))
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= most):
        abort(400, f"The per_page must be a whole number from 1 to {most}, not '{text[:40]}'.")
    return int(text)


def paginate(session: Session, query: Select[Any], number: int, size: int = PAGE_SIZE) -> Page[Any]:
    """Page ``number`` of the rows of ``query`` (which must be ordered); 404 past the last page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if number > page_count(total, size):
        abort(404, f"There is no page {number}: this list has {page_count(total, size)}.")
    return Page(list(session.scalars(query.limit(size).offset((number - 1) * size))), number, size, total)


def page_url(number: int) -> str:
    """This page's address with ``page=number`` and every other argument (its filters) kept."""
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "page": str(number)}
    return url_for(request.endpoint or "", **args)
