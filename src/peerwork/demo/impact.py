"""Fjordvik's impact log: improvements its peer worker raised over two years, each moved
stage by stage on the dates it got there, from just identified to assessed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_scopes import scope

from peerwork.demo.people import Cast
from peerwork.impact import services
from peerwork.impact.enums import ExperienceSource, Function, ImpactLevel
from peerwork.impact.models import Improvement
from peerwork.impact.stages import ORDER

PEER, USERS, ORGANISATION = (ExperienceSource.PEER_WORKER, ExperienceSource.SERVICE_USERS,
                             ExperienceSource.USER_ORGANISATION)
# (who logged it, title, problem, source, function, level, outcome,
#  days ago it reached each stage from "identified" on)
ENTRIES: list[tuple[str, str, str, str, str, str, str, tuple[int, ...]]] = [
    ("peer", "Nytt innkallingsbrev til nye brukere",
     "Innkallingsbrevet var fullt av paragrafer og varslet at tilbudet ble avsluttet ved "
     "fravær. Mange kom ikke til første samtale.",
     PEER, Function.SERVICE_PLANNING, ImpactLevel.SERVICE,
     "Brevet ble skrevet om av erfaringskonsulenten og en sykepleier. Et halvt år etter "
     "uteble færre fra første samtale.", (690, 672, 640, 600, 545, 400)),
    ("manager", "Brukerperspektivet som fast punkt på teammøtet",
     "Erfaringskonsulenten var med på møtene, men ble sjelden spurt.",
     PEER, Function.CO_PRODUCING, ImpactLevel.ORGANISATION,
     "Punktet står på hver agenda. Teamet sier de tenker annerledes om brukere som ikke "
     "vil ha hjelp.", (620, 610, 590, 540, 470, 250)),
    ("peer", "Likepersonsgruppe på ettermiddagstid",
     "Brukere i jobb eller skole kunne ikke delta i gruppene på dagtid.",
     USERS, Function.CO_PRODUCING, ImpactLevel.INDIVIDUAL,
     "Gruppen møtes hver torsdag kl. 17 og har fast oppmøte.", (505, 480, 452, 380, 300)),
    ("colleague", "Venterommet gjort mindre klinisk",
     "Brukerne beskrev venterommet som et legekontor og følte seg som pasienter før "
     "samtalen hadde begynt.",
     USERS, Function.BOUNDARY_SPANNING, ImpactLevel.SERVICE, "", (420, 401, 362, 200)),
    ("peer", "Temadag om erfaringskompetanse for hele tjenesten",
     "Mange ansatte visste ikke hva en erfaringskonsulent gjør, og noen var usikre på "
     "taushetsplikten.",
     ORGANISATION, Function.BOUNDARY_SPANNING, ImpactLevel.ORGANISATION, "",
     (300, 290, 240, 120)),
    ("peer", "Følge til møter med NAV",
     "Brukere avlyste møter med NAV fordi de gruet seg til å møte alene.",
     USERS, Function.BOUNDARY_SPANNING, ImpactLevel.INDIVIDUAL, "", (200, 181, 150)),
    ("peer", "Brukerstemme i evalueringen av dagtilbudet",
     "Evalueringen av dagtilbudet spurte bare de ansatte.",
     ORGANISATION, Function.SERVICE_PLANNING, ImpactLevel.SERVICE, "", (120, 101)),
    ("peer", "Enklere språk i individuell plan",
     "Planene er skrevet for fagfolk, og brukerne kjenner seg ikke igjen i dem.",
     PEER, Function.BOUNDARY_SPANNING, ImpactLevel.INDIVIDUAL, "", (45,)),
    ("colleague", "Kveldsåpent lavterskeltilbud",
     "Det finnes ikke noe sted å gå på kvelden for dem som ikke vil ha en avtale.",
     USERS, Function.SERVICE_PLANNING, ImpactLevel.SERVICE, "", (15,)),
]


def ensure_impact_log(cast: Cast) -> None:
    organisation = cast.organisation
    authors: dict[str, Any] = {"peer": cast.peer, "manager": cast.manager,
                               "colleague": cast.colleague}
    today = timezone.localdate()
    with scope(organisation=organisation):
        logged = set(Improvement.objects.filter(organisation=organisation)
                     .values_list("title", flat=True))
    for who, title, problem, source, function, level, outcome, days in ENTRIES:
        if title in logged:
            continue
        actor = authors[who]
        entry = services.log_improvement(
            actor=actor, organisation=organisation, identified_on=today - dt.timedelta(days=days[0]),
            data={"title": title, "problem": problem, "experience_source": source,
                  "function": function, "level": level, "outcome": outcome})
        for stage, ago in zip(ORDER[1:], days[1:], strict=False):
            entry = services.move_stage(actor=actor, entry=entry, stage=stage,
                                        on=today - dt.timedelta(days=ago), version=entry.version)
