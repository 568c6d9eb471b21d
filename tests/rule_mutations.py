"""Small profile mutations for the table-driven rule tests: each flips one fact of a valid profile."""

from __future__ import annotations

from collections.abc import Callable

from models.profile import Profile

Mutation = Callable[[Profile], None]


def set_(**values: object) -> Mutation:
    def mutate(p: Profile) -> None:
        for name, value in values.items():
            setattr(p, name, value)

    return mutate


def row(table: str, index: int, **values: object) -> Mutation:
    def mutate(p: Profile) -> None:
        target = getattr(p, table)[index]
        for name, value in values.items():
            setattr(target, name, value)

    return mutate


def add(table: str, item: object) -> Mutation:
    def mutate(p: Profile) -> None:
        getattr(p, table).append(item)

    return mutate


def clear(table: str) -> Mutation:
    def mutate(p: Profile) -> None:
        setattr(p, table, [])

    return mutate
