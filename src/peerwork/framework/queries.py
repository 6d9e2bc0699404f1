"""Reads of the framework library for pages, the API and reports."""

from __future__ import annotations

from django.http import Http404

from peerwork.framework.library import Element, Library, Structure, get_library


def get_structure(structure_id: str) -> Structure:
    structure = get_library().structure(structure_id)
    if structure is None:
        raise Http404
    return structure


def get_element(element_id: str) -> Element:
    element = get_library().element(element_id)
    if element is None:
        raise Http404
    return element


def ancestors(library: Library, element: Element) -> list[Element]:
    """From the top-level element down to ``element``'s parent."""
    chain: list[Element] = []
    parent_id = element.parent
    while parent_id:
        parent = library.elements[parent_id]
        chain.append(parent)
        parent_id = parent.parent
    return chain[::-1]


def referenced_by(library: Library, element: Element) -> list[Element]:
    """Elements that list ``element`` as related, so links work both ways."""
    return [e for e in library.elements.values() if element.id in e.related]
