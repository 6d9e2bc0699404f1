"""OpenAPI names each request and response schema after its class, so two classes of one
name in different API modules would make one endpoint document (and the isolation walker
fill) the other's body."""

from __future__ import annotations

import collections

from ninja import Schema

import peerwork.api.urls  # noqa: F401 - imports every API module


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_api_schema_class_names_are_unique():
    # Arrange
    ours = {c for c in _subclasses(Schema) if c.__module__.startswith("peerwork.")}

    # Act
    by_name = collections.defaultdict(set)
    for cls in ours:
        by_name[cls.__name__].add(cls.__module__)

    # Assert
    assert len(ours) > 20
    assert {name: modules for name, modules in by_name.items() if len(modules) > 1} == {}
