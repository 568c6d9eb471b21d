"""Units shown as a tree in reports: parents before children, siblings by name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.org import OrgUnit
from models.text import search_key


@dataclass(frozen=True)
class TreeUnit:
    unit: OrgUnit
    depth: int  # 0 for a unit whose parent is not in the list (a root of what the user sees)


def path_ids(path: str) -> list[int]:
    """ "/1/5/12/" -> [1, 5, 12]: the unit's ancestors from the root down, then the unit itself."""
    return [int(part) for part in path.strip("/").split("/") if part]


def tree_order(units: Iterable[OrgUnit]) -> list[TreeUnit]:
    """`units` in tree order with their depth relative to the shown roots.

    Report rows are always a union of subtrees (a scope, or a campaign subtree within a scope), so
    the ancestors of a unit that are in the list form an unbroken chain down to it; sorting on the
    names along that chain puts each parent right before its children without walking the tree.
    """
    units = list(units)
    by_id = {unit.id: unit for unit in units}

    def key(unit: OrgUnit) -> tuple[tuple[str, str], ...]:
        chain = [by_id[i] for i in path_ids(unit.path) if i in by_id]
        return tuple((search_key(u.name), u.code) for u in chain)

    keyed = sorted(((key(unit), unit) for unit in units), key=lambda item: item[0])
    return [TreeUnit(unit, len(chain) - 1) for chain, unit in keyed]
