"""Canonical ids to suggest when a request matches nothing: same family and size first.

A candidate is listed for a person, never chosen. Wrapper-shaped ids (``@…/``, ``~…``,
``accounts/…``) are never suggested: they are provider spellings, not models.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from catalog_pipeline.domain.ids import is_canonical

_TOKENS = re.compile(r"[-_.:/]+")
_SIZE = re.compile(r"\d+(?:\.\d+)?[bmk]|a\d+b|\d+x\d+b")
_WRAPPER_SHAPED = re.compile(r"(?:^|/)[@~]|(?:^|/)(?:accounts|publishers|models|projects)/")
_SCORED_BY_SPELLING = 50


class _Shape(NamedTuple):
    publisher: str
    family: str
    sizes: frozenset[str]
    tokens: tuple[str, ...]


def _shape(canonical: str) -> _Shape:
    publisher, _, model = canonical.partition("/")
    tokens = tuple(token for token in _TOKENS.split(model) if token)
    family = next((t for t in tokens if not t[0].isdigit()), "")
    sizes = frozenset(t for t in tokens if _SIZE.fullmatch(t))
    return _Shape(publisher, family, sizes, tuple(t for t in tokens if t not in sizes))


@dataclass(frozen=True)
class Suggestions:
    """Canonical ids fit to suggest (no wrapper-shaped ones), grouped by model family, by
    the family's first three letters and by publisher."""

    shapes: dict[str, _Shape]
    by_family: dict[str, tuple[str, ...]]
    by_stem: dict[str, tuple[str, ...]]
    by_publisher: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, ids: Iterable[str]) -> Suggestions:
        shapes = {i: _shape(i) for i in ids if is_canonical(i) and not _WRAPPER_SHAPED.search(i)}
        families: dict[str, list[str]] = defaultdict(list)
        stems: dict[str, list[str]] = defaultdict(list)
        publishers: dict[str, list[str]] = defaultdict(list)
        for candidate, shape in shapes.items():
            families[shape.family].append(candidate)
            stems[shape.family[:3]].append(candidate)
            publishers[shape.publisher].append(candidate)
        return cls(shapes, _tuples(families), _tuples(stems), _tuples(publishers))

    def spelled_alike(self, target: str, shape: _Shape) -> tuple[str, ...]:
        """Ids of the same publisher or family stem, the pool for a spelling comparison."""
        pool = dict.fromkeys(self.by_publisher.get(shape.publisher, ()))
        pool.update(dict.fromkeys(self.by_stem.get(shape.family[:3], ()) if shape.family else ()))
        return tuple(pool)


def _tuples(groups: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in groups.items()}


def nearest(target: str, pool: Suggestions, count: int = 5) -> tuple[str, ...]:
    """Canonical ids a person may have meant: same family and size first, then the most
    leading name and version parts in common, the same publisher, similar spelling; then,
    if that is not enough, ids of the same publisher or family stem spelled alike
    (``difflib``). Never chosen, only listed."""
    mine = _shape(target)
    ranked = []
    for candidate in pool.by_family.get(mine.family, ()) if mine.family else ():
        theirs = pool.shapes[candidate]
        shared = 0
        for left, right in zip(mine.tokens, theirs.tokens, strict=False):
            if left != right:
                break
            shared += 1
        same_size = bool(mine.sizes) and mine.sizes <= theirs.sizes
        ranked.append((-same_size, -shared, -(theirs.publisher == mine.publisher), candidate))
    ranked.sort()
    scored = sorted(
        (*key[:3], -difflib.SequenceMatcher(None, target, key[3]).ratio(), key[3])
        for key in ranked[:_SCORED_BY_SPELLING]
    )
    found = [entry[-1] for entry in scored[:count]]
    if len(found) < count:
        alike = difflib.get_close_matches(
            target, pool.spelled_alike(target, mine), n=count, cutoff=0.6
        )
        found += [candidate for candidate in alike if candidate not in found]
    return tuple(found[:count])
