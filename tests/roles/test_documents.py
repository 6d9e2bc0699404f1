"""Document text to HTML: structure from plain lines, and every character escaped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerwork.roles.documents import to_html


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
