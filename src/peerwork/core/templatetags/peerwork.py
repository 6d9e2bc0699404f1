"""Template helpers shared by every app."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation

register = template.Library()


@register.filter
def localized(value: Any) -> str:
    """Pick the current language from bilingual content ``{"en": …, "nb": …}``."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    language = (translation.get_language() or "en").split("-")[0]
    return value.get(language) or value.get("en") or ""


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or None; for dictionaries keyed by data, not by name."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def lookup_structure(library: Any, structure_id: str) -> Any:
    return library.structure(structure_id)


@cache
def _element_prefix() -> str:
    return reverse("framework:element", args=["x"]).removesuffix("x/")


@register.filter
def element_url(element_id: str) -> str:
    """The library page of an element; cheaper than ``{% url %}`` in long trees."""
    return f"{_element_prefix()}{element_id}/"
