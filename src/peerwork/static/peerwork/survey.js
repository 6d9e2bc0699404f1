// Skip logic on a survey page. The server parses each condition into a small tree
// (peerwork/surveys/expressions.py) and puts it in data-relevant; this file only
// evaluates trees, so the page and the server agree. No eval, no inline script.
(function () {
  "use strict";

  function num(v) {
    if (v === null || v === undefined || v === "" || Array.isArray(v) || typeof v === "boolean") return null;
    var n = Number(String(v).replace(",", "."));
    return isNaN(n) ? null : n;
  }

  function compare(op, a, b) {
    if (Array.isArray(a) || Array.isArray(b)) return false;
    var x = num(a), y = num(b);
    if (x === null || y === null) {
      if (op === "=" || op === "!=") {
        var same = (a === null || a === undefined ? "" : String(a)) === (b === null || b === undefined ? "" : String(b));
        return op === "=" ? same : !same;
      }
      if (a === null || a === undefined || b === null || b === undefined) return false;
      x = String(a); y = String(b);
    }
    switch (op) {
      case "=": return x === y;
      case "!=": return x !== y;
      case "<": return x < y;
      case "<=": return x <= y;
      case ">": return x > y;
      case ">=": return x >= y;
    }
    return false;
  }

  function evaluate(node, answers) {
    var op = node[0];
    if (op === "lit") return node[1];
    if (op === "ref") return answers.hasOwnProperty(node[1]) ? answers[node[1]] : null;
    if (op === "and") return !!evaluate(node[1], answers) && !!evaluate(node[2], answers);
    if (op === "or") return !!evaluate(node[1], answers) || !!evaluate(node[2], answers);
    if (op === "not") return !evaluate(node[1], answers);
    if (op === "selected") {
      var chosen = evaluate(node[1], answers), wanted = String(evaluate(node[2], answers));
      if (Array.isArray(chosen)) return chosen.map(String).indexOf(wanted) >= 0;
      return chosen !== null && String(chosen).split(/\s+/).indexOf(wanted) >= 0;
    }
    if (op === "count-selected") {
      var list = evaluate(node[1], answers);
      return Array.isArray(list) ? list.length : 0;
    }
    return compare(op, evaluate(node[1], answers), evaluate(node[2], answers));
  }

  function current(form) {
    var answers = {};
    try { answers = JSON.parse(form.getAttribute("data-answers") || "{}"); } catch (e) { answers = {}; }
    var multiples = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.indexOf("q-") !== 0 || el.disabled) return;
      var id = el.name.slice(2);
      if (el.type === "hidden") { if (id.slice(-6) === "-shown") multiples[id.slice(0, -6)] = multiples[id.slice(0, -6)] || []; return; }
      if (el.type === "checkbox") { multiples[id] = multiples[id] || []; if (el.checked) multiples[id].push(el.value); return; }
      if (el.type === "radio") { if (el.checked) answers[id] = el.value; else if (!(id in answers)) answers[id] = null; return; }
      answers[id] = el.value === "" ? null : el.value;
    });
    Object.keys(multiples).forEach(function (k) { answers[k] = multiples[k]; });
    return answers;
  }

  function apply(form) {
    var answers = current(form);
    form.querySelectorAll("[data-relevant]").forEach(function (box) {
      var show = true;
      try { show = !!evaluate(JSON.parse(box.getAttribute("data-relevant")), answers); } catch (e) { show = true; }
      box.hidden = !show;
      box.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
    });
  }

  document.querySelectorAll("form[data-survey-form]").forEach(function (form) {
    apply(form);
    form.addEventListener("change", function () { apply(form); });
    form.addEventListener("input", function () { apply(form); });
  });
})();
