"""Filters for the results tables, which show one cell per area and group: as Python
rather than included templates, since a round's page has hundreds of them."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

register = template.Library()

GROUP_LABELS = {
    "all": _("All respondents"),
    "manager": _("Managers"),
    "colleague": _("Professional colleagues"),
    "peer_worker": _("Peer workers"),
    "colleague+manager": _("Managers and colleagues"),
    "manager+peer_worker": _("Managers and peer workers"),
    "colleague+peer_worker": _("Colleagues and peer workers"),
}


@register.filter
def group_label(key: str) -> str:
    """The name of a group of respondents, or a merged group, in the active language."""
    return str(GROUP_LABELS.get(key, key))


@register.filter
def score_cell(cell: Any) -> SafeString:
    """One score: hidden when too few stand behind it, else mean (spread, n)."""
    if cell.suppressed:
        return format_html('<span class="suppressed">{}<span class="visually-hidden"> {}</span></span>',
                           _("hidden"), _("(too few answers to show without revealing someone)"))
    if cell.mean is None:
        return SafeString("—")
    return format_html('{} <span class="meta">(±{}, n={})</span>',
                       floatformat(cell.mean, 1), floatformat(cell.sd, 1), cell.n)
