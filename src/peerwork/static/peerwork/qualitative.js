/* Marking meaning units in a document, with the mouse or the keyboard alone.
 *
 * Offsets: the server stores code-point offsets (Python str indices) into the
 * document's NFC text; the DOM counts UTF-16 code units. This file works in UTF-16
 * against the text container's textContent (which equals the stored text) and
 * converts to code points only when it fills the form's start and end fields.
 */
(function () {
  "use strict";

  var state = { start: 0, end: 0 };

  function container() { return document.getElementById("doc-text"); }
  function field(name) { return document.getElementById("id_" + name); }
  function text() { var c = container(); return c ? c.textContent : ""; }
  function lang() { return document.documentElement.lang || "en"; }

  // UTF-16 offset -> code points; an offset inside a surrogate pair moves to its start.
  function toCodePoints(value, utf16) {
    if (utf16 > 0 && utf16 < value.length) {
      var unit = value.charCodeAt(utf16 - 1);
      if (unit >= 0xd800 && unit <= 0xdbff) { utf16 -= 1; }
    }
    return Array.from(value.slice(0, utf16)).length;
  }

  function toUtf16(value, codePoints) {
    var index = 0, count = 0;
    for (var ch of value) {
      if (count >= codePoints) { break; }
      index += ch.length;
      count += 1;
    }
    return index;
  }

  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function locate(root, utf16) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node, left = utf16, last = null;
    while ((node = walker.nextNode())) {
      if (left <= node.length) { return [node, left]; }
      left -= node.length;
      last = node;
    }
    return last ? [last, last.length] : [root, 0];
  }

  function boundaries(granularity) {
    var value = text(), result = [];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      var segments = new Intl.Segmenter(lang(), { granularity: granularity }).segment(value);
      for (var s of segments) { result.push(s.index); }
    } else {
      for (var i = 0; i < value.length; i += 1) { result.push(i); }
    }
    result.push(value.length);
    return result;
  }

  function trimEnd(start, end) {
    var value = text();
    while (end > start && /\s/.test(value.charAt(end - 1))) { end -= 1; }
    return end;
  }

  // The first position at or after ``position`` that is not white space.
  function skipSpace(position) {
    var value = text();
    while (position < value.length && /\s/.test(value.charAt(position))) { position += 1; }
    return position;
  }

  function announce(message) {
    var status = document.getElementById("selection-status");
    if (status) { status.textContent = message; }
  }

  function show(start, end, fromMouse) {
    var root = container();
    if (!root) { return; }
    var value = text();
    state.start = Math.max(0, Math.min(start, value.length));
    state.end = Math.max(state.start, Math.min(end, value.length));
    if (!fromMouse) {
      var a = locate(root, state.start), b = locate(root, state.end);
      var range = document.createRange();
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[1]);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    var startField = field("start"), endField = field("end");
    if (startField && endField) {
      startField.value = toCodePoints(value, state.start);
      endField.value = toCodePoints(value, state.end);
    }
    var chosen = value.slice(state.start, state.end);
    var template = root.closest("#coding-area").querySelector("[data-selected-template]");
    var prefix = template ? template.getAttribute("data-selected-template") : "";
    announce(chosen ? prefix + " " + (chosen.length > 160 ? chosen.slice(0, 160) + "…" : chosen) : "");
  }

  function fromSelection() {
    var root = container(), selection = window.getSelection();
    if (!root || !selection || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    if (range.collapsed || !root.contains(range.startContainer) || !root.contains(range.endContainer)) { return; }
    show(offsetIn(root, range.startContainer, range.startOffset),
         offsetIn(root, range.endContainer, range.endOffset), true);
  }

  function next(list, value) {
    for (var i = 0; i < list.length; i += 1) { if (list[i] > value) { return list[i]; } }
    return list[list.length - 1];
  }

  function previous(list, value) {
    for (var i = list.length - 1; i >= 0; i -= 1) { if (list[i] < value) { return list[i]; } }
    return 0;
  }

  function sentenceAt(bounds, position) {
    var start = previous(bounds, position + 1);
    return [start, trimEnd(start, next(bounds, start))];
  }

  function onKey(event) {
    if (event.target !== container()) { return; }
    var sentences, graphemes, handled = true, s = state.start, e = state.end;
    var empty = s === e;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      sentences = boundaries("sentence");
      if (event.shiftKey && !empty) {
        if (event.key === "ArrowDown") { e = trimEnd(s, next(sentences, skipSpace(e))); }
        else { var back = previous(sentences, e); if (back > s) { e = trimEnd(s, back); } }
        show(s, e);
      } else {
        // Down: the sentence that starts after the selection; up: the one before it.
        var from = event.key === "ArrowDown" ? (empty && e === 0 ? 0 : skipSpace(next(sentences, e)))
          : previous(sentences, s);
        var span = sentenceAt(sentences, from);
        show(span[0], span[1]);
      }
    } else if (event.shiftKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      graphemes = boundaries("grapheme");
      if (event.altKey) {
        s = event.key === "ArrowRight" ? Math.min(next(graphemes, s), e) : previous(graphemes, s);
      } else {
        e = event.key === "ArrowRight" ? next(graphemes, e) : Math.max(previous(graphemes, e), s);
      }
      show(s, e);
    } else if ((event.key === "c" || event.key === "C" || event.key === "Enter") && !event.ctrlKey && !event.metaKey) {
      var code = field("code");
      if (code) { code.focus(); }
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  function onCodeKey(event) {
    if (event.target === field("code") && event.key === "Escape") {
      var root = container();
      if (root) { root.focus(); show(state.start, state.end); }
    }
  }

  function restore() {
    var root = container(), startField = field("start"), endField = field("end");
    if (!root) { return; }
    var value = text();
    if (startField && endField && startField.value !== "" && endField.value !== "") {
      show(toUtf16(value, Number(startField.value)), toUtf16(value, Number(endField.value)));
    }
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onCodeKey);
  document.addEventListener("mouseup", function () { window.setTimeout(fromSelection, 0); });
  document.addEventListener("keyup", function (event) {
    if (event.target === container() && event.shiftKey && !/Arrow/.test(event.key)) { fromSelection(); }
  });
  // After coding: keep the document as it is (its text never changes), highlight the
  // span just coded, empty the code field and give the focus back to the text.
  function highlight() {
    if (typeof CSS === "undefined" || !CSS.highlights || typeof Highlight === "undefined") { return; }
    var root = container();
    var a = locate(root, state.start), b = locate(root, state.end);
    var range = new Range();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    var coded = CSS.highlights.get("coded") || new Highlight();
    coded.add(range);
    CSS.highlights.set("coded", coded);
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = document.getElementById("unit-form");
    if (!form || event.detail.elt !== form) { return; }
    var status = document.getElementById("coding-status");
    if (event.detail.successful) {
      if (status) { status.setAttribute("role", "status"); }
      highlight();
      var code = field("code");
      if (code) { code.value = ""; }
      var root = container();
      if (root) { root.focus(); }
    } else if (status && event.detail.xhr) {
      status.setAttribute("role", "alert");
      status.textContent = event.detail.xhr.responseText;
    }
  });
  document.addEventListener("DOMContentLoaded", restore);
}());
