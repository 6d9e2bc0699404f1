"""Our own explanations of a role's classification; the rules and sources are in
``classification.py``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NEXT_STEPS: dict[str, Promise] = {
    "join_delivery": _("Give the peer worker a part in delivering the service: without it the "
                       "role is neither co-production nor co-creation."),
    "bring_experience": _("Let the peer worker use their experiential knowledge in delivery, "
                          "co-producing it with service users, rather than delivering tasks "
                          "designed by others."),
    "involve_early": _("Involve the peer worker early, in commissioning or design, as well as "
                       "in delivery: that makes the role co-creation."),
    "plan_services": _("Make the peer worker a partner in planning the service."),
    "span_boundaries": _("Ask the peer worker to bridge between service users and the service, "
                         "translating what each knows for the other."),
    "beyond_individual": _("Involve the peer worker beyond work with individual service users: "
                           "at the level of the service or the system."),
    "assess": _("Let the peer worker take part in assessing the service."),
}

MODES: dict[str | None, Promise] = {
    "service_cycle.co_creation": _("Co-creation: the peer worker takes part in an early phase "
                                   "(commissioning or design) and in delivery."),
    "service_cycle.co_production": _("Co-production: the peer worker takes part in delivery "
                                     "but in no early phase."),
    None: _("Neither co-production nor co-creation: the peer worker has no part in delivery."),
}

# About a document's language, in the reader's: whole sentences, one per language.
IN_LANGUAGE: dict[str, Promise] = {
    "en": _("This document is in English."),
    "nb": _("This document is in Norwegian Bokmål."),
}
SHOW_IN: dict[str, Promise] = {
    "en": _("Show the English document"),
    "nb": _("Show the Norwegian Bokmål document"),
}
DRAFT_IN: dict[str, Promise] = {
    "en": _("Draft it in English too"),
    "nb": _("Draft it in Norwegian Bokmål too"),
}
