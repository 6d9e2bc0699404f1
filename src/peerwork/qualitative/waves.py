"""The free-text answers of a survey wave as material for analysis: one document per
answer, with the wave's background answers as case attributes only where suppression
allows (``importers.survey_documents``), never for a wave with fewer than *k* answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peerwork.qualitative import services
from peerwork.qualitative.models import Document, Project
from peerwork.surveys import queries as survey_queries
from peerwork.surveys import results_queries
from peerwork.surveys.definition import Question
from peerwork.surveys.models import Wave
from peerwork.surveys.results_rules import VIEW_RESULTS

TEXT_TYPES = frozenset({"text", "longtext"})
# Background questions whose answers are categories, and so can be case attributes.
ATTRIBUTE_TYPES = frozenset({"single", "likert"})


@dataclass(frozen=True)
class Source:
    wave: Wave
    question: Question

    @property
    def key(self) -> str:
        return f"{self.wave.pk}:{self.question.id}"


def sources_for(user: Any, project: Project) -> list[Source]:
    """Each free-text question of each wave in the project's organisation that ``user``
    may read the results of and that has at least k submitted answers."""
    organisation = project.organisation
    if not user.has_perm(VIEW_RESULTS, organisation):
        return []
    found = []
    for survey in survey_queries.surveys_of(organisation):
        for wave in survey_queries.waves_of(survey):
            if results_queries.submitted_count(wave) < results_queries.min_cell(wave):
                continue
            found += [Source(wave, q) for q in results_queries.definition(wave).questions()
                      if q.type in TEXT_TYPES]
    return found


def find_source(user: Any, project: Project, wave_id: int, question_id: str) -> Source | None:
    return next((s for s in sources_for(user, project)
                 if s.wave.pk == wave_id and s.question.id == question_id), None)


def answers_of(source: Source, language: str) -> list[tuple[str, dict[str, str]]]:
    """(text, background answers by question label) for every non-empty answer."""
    background = [q for q in results_queries.definition(source.wave).questions()
                  if q.background and q.type in ATTRIBUTE_TYPES]
    found = []
    for answers in results_queries.stored_answers(source.wave):
        text = answers.get(source.question.id)
        if not isinstance(text, str) or not text.strip():
            continue
        attributes = {q.label(language): q.choice_label(str(answers[q.id]), language)
                      for q in background if answers.get(q.id) not in (None, "")}
        found.append((text, attributes))
    return found


def import_source(*, actor: Any, project: Project, source: Source, language: str) -> list[Document]:
    answers = answers_of(source, language)
    if not answers:
        raise ValidationError(_("This question has no answers to import."))
    title = f"{source.wave.title}: {source.question.label(language)}"
    return services.import_survey_texts(actor=actor, project=project, title=title, answers=answers,
                                        k=results_queries.min_cell(source.wave))
