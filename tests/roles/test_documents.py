"""Drafting documents: what each is drafted from, and its text to HTML (structure from
plain lines, every character escaped)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerwork.roles import services
from peerwork.roles.documents import SOURCES, _Sources, changed_since, draft, snapshot, to_html
from peerwork.roles.models import RoleDesign

from .conftest import DESIGN


def test_documents_lines_become_headings_lists_and_checklists():
    # Act
    html = to_html("# Start\nFirst line\nsame paragraph\n\n- one\n- two\n- [ ] check\n- [x] done")

    # Assert
    assert html == ("<h2>Start</h2>\n<p>First line same paragraph</p>\n"
                    "<ul><li>one</li><li>two</li></ul>\n"
                    '<ul class="checklist"><li><span aria-hidden="true">☐</span> check</li>'
                    '<li><span aria-hidden="true">☑</span> done</li></ul>')


@given(st.text(alphabet=st.sampled_from(list("<>&\"'#- []\nabc/script=")), max_size=200))
def test_documents_any_text_is_escaped(text):
    # Act
    html = to_html(text)

    # Assert: the only tags are the renderer's own.
    stripped = html
    for tag in ("<h2>", "</h2>", "<p>", "</p>", "<ul>", '<ul class="checklist">', "</ul>", "<li>",
                "</li>", '<span aria-hidden="true">', "</span>"):
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped
    assert ">" not in stripped


def changed(role, name):
    """``role`` with one source field given another value."""
    other = copy.copy(role)
    if name == "organisation":
        other.organisation = copy.copy(role.organisation)
        other.organisation.name += " og omegn"
        return other
    value = getattr(role, name)
    new = {
        bool: lambda v: not v, int: lambda v: v + 1000, str: lambda v: v + " (changed)",
        dict: lambda v: {**v, "service_cycle.design": ["involvement_level.service"]},
        list: lambda v: [*v, "model4.function.boundary_spanning"],
    }[type(value)](value)
    if name == "form":
        new = "role_form.peer_support_worker"
    setattr(other, name, new)
    return other


@pytest.mark.parametrize("kind", list(SOURCES))
def test_documents_each_source_changes_the_draft_and_nothing_else_does(world, kind):
    # Arrange: an unsaved role, with every field filled.
    role = RoleDesign(organisation=world.org, **{**DESIGN, "peer_worker": world.peer})
    drafted = draft(kind=kind, role=role, language="en")
    others = [f.name for f in RoleDesign._meta.concrete_fields
              if f.name in services.DESIGN_FIELDS and f.name not in SOURCES[kind]
              and f.name != "peer_worker"]

    # Act / Assert: a source the draft does not use would give a false "changed" notice;
    # a field read that is not a source would hide a real one.
    for name in SOURCES[kind]:
        assert draft(kind=kind, role=changed(role, name), language="en") != drafted, name
        assert changed_since(kind, changed(role, name), snapshot(kind, role)) == [name]
    for name in others:
        assert draft(kind=kind, role=changed(role, name), language="en") == drafted, name
        assert changed_since(kind, changed(role, name), snapshot(kind, role)) == []


def test_documents_a_drafter_cannot_read_a_field_outside_its_sources(world):
    # Arrange
    role = RoleDesign(organisation=world.org, **DESIGN)
    sources = _Sources(snapshot("support_plan", role))

    # Act / Assert
    assert sources.supervisor == "Line Berg, Erfaringssentrum"
    with pytest.raises(AttributeError, match="tasks is not among this document's SOURCES"):
        _ = sources.tasks
