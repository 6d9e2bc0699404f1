"""The framework library through the API. It is public reference data."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from peerwork.api.schemas import (
    ElementOut,
    ElementTree,
    LibraryOut,
    Message,
    SourceOut,
    StructureOut,
    StructureSummary,
    Text,
)
from peerwork.framework.library import Element, Library, Source, Structure, get_library

router = Router(tags=["library"])


def _text(value: dict[str, str]) -> Text:
    return Text(en=value["en"], nb=value["nb"])


def _source(library: Library, source: Source) -> SourceOut:
    return SourceOut(document=source.document,
                     document_title=library.documents[source.document]["title"],
                     lines=source.lines, note=_text(source.note) if source.note else None)


def _tree(element: Element) -> ElementTree:
    return ElementTree(id=element.id, label=element.label, title=_text(element.title),
                       summary=_text(element.summary), children=[_tree(c) for c in element.children])


def _summary(structure: Structure) -> StructureSummary:
    return StructureSummary(id=structure.id, order=structure.order, title=_text(structure.title),
                            summary=_text(structure.summary),
                            element_count=sum(1 for _ in structure.walk()))


def _element(library: Library, element: Element) -> ElementOut:
    return ElementOut(
        id=element.id, structure=element.structure, parent=element.parent, label=element.label,
        title=_text(element.title), summary=_text(element.summary), why=_text(element.why),
        source=_source(library, element.source), related=list(element.related),
        attributes=element.attributes, children=[c.id for c in element.children],
    )


@router.get("", response=LibraryOut, auth=None, summary="The library's version and structures")
def library_index(request: HttpRequest) -> LibraryOut:
    library = get_library()
    return LibraryOut(version=library.version,
                      structures=[_summary(s) for s in library.structures])


@router.get("/structures/{structure_id}", response={200: StructureOut, 404: Message}, auth=None,
            summary="One structure with its elements as a tree")
def library_structure(request: HttpRequest, structure_id: str) -> StructureOut:
    library = get_library()
    structure = library.structure(structure_id)
    if structure is None:
        raise HttpError(404, "No such structure.")
    return StructureOut(**_summary(structure).dict(), source=_source(library, structure.source),
                        elements=[_tree(e) for e in structure.elements])


@router.get("/elements", response={200: list[ElementOut], 404: Message, 422: Message},
            auth=None,
            summary="Elements, optionally of one structure or matching a search")
def library_elements(
    request: HttpRequest,
    structure: str = Query("", max_length=60),
    q: str = Query("", max_length=200),
    lang: str = Query("en", pattern="^(en|nb)$"),
) -> Any:
    library = get_library()
    if structure and library.structure(structure) is None:
        raise HttpError(404, "No such structure.")
    if not q.strip():
        return HttpResponse(_listing(structure), content_type="application/json")
    elements = [e for e in library.search(q, lang) if not structure or e.structure == structure]
    body = json.dumps([_element_dict(e.id) for e in elements], ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


# The library does not change while a process runs, so each element's JSON is built
# (and checked against ElementOut) once; the listings are served as ready bytes.
@cache
def _element_dict(element_id: str) -> dict[str, Any]:
    library = get_library()
    return _element(library, library.elements[element_id]).model_dump(mode="json")


@cache
def _listing(structure: str) -> bytes:
    elements = get_library().elements.values()
    return json.dumps([_element_dict(e.id) for e in elements
                       if not structure or e.structure == structure],
                      ensure_ascii=False).encode()


@router.get("/elements/{element_id}", response={200: ElementOut, 404: Message}, auth=None,
            summary="One element")
def library_element(request: HttpRequest, element_id: str) -> ElementOut:
    library = get_library()
    element = library.element(element_id)
    if element is None:
        raise HttpError(404, "No such element.")
    return _element(library, element)
