"""The impact log: one row per service improvement a peer worker raised.

Each stage keeps its own date; ``stage`` is the furthest reached. ``version`` is
named by every write, so two editors never silently overwrite each other.
Entries describe services, never service users: the forms warn about personal data.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from peerwork.impact.enums import ExperienceSource, Function, ImpactLevel, Stage
from peerwork.orgs.models import Organisation

MAX_TEXT = 4000


class Improvement(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="improvements")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("what the problem was"), max_length=MAX_TEXT)
    experience_source = models.CharField(_("whose experience it came from"), max_length=30,
                                         choices=ExperienceSource.choices)
    function = models.CharField(_("Model 4 function it came through"), max_length=60,
                                choices=Function.choices)
    level = models.CharField(_("level of impact"), max_length=60, choices=ImpactLevel.choices)
    outcome = models.TextField(_("outcome notes"), max_length=MAX_TEXT, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices,
                             default=Stage.IDENTIFIED)
    identified_on = models.DateField(_("identified on"))
    raised_on = models.DateField(null=True, blank=True)
    designed_on = models.DateField(null=True, blank=True)
    piloted_on = models.DateField(null=True, blank=True)
    implemented_on = models.DateField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The form's one-time key: a replayed submission (a double click, a resent form)
    # finds the row it already made instead of making a second one.
    submission = models.UUIDField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[ScopedManager] = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ("-identified_on", "-id")
        indexes = [
            models.Index(fields=["organisation", "-identified_on", "-id"], name="impact_org_date"),
            models.Index(fields=["organisation", "stage"], name="impact_org_stage"),
            # The log's cached chart is keyed by the latest change (queries.log_state).
            models.Index(fields=["organisation", "updated"], name="impact_org_updated"),
        ]
        constraints = [models.UniqueConstraint(fields=["organisation", "submission"],
                                               name="impact_one_row_per_submission")]

    def __str__(self) -> str:
        return self.title

    def dates(self) -> dict[str, object]:
        """Each stage's date (None where not reached), in order."""
        return {stage.value: getattr(self, f"{stage.value}_on") for stage in Stage}
