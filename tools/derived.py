"""A place for what a pydantic model derives from its fields (arrays built from its lists), kept to be reused."""

from __future__ import annotations

from typing import Any


class Derived:
    """Held in a private attribute: not part of the model's value, so any two are equal (a model that has built
    its arrays equals one that has not)."""

    value: Any = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Derived)

    __hash__ = None  # type: ignore[assignment]
