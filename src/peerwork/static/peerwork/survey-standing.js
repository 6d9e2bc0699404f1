// "Where do I stand?": place the visitor's own salary among the published percentiles.
// Runs entirely in the browser. The form never submits, and nothing typed is sent anywhere.
(function () {
  "use strict";
  var form = document.getElementById("standing-form");
  var result = document.getElementById("standing-result");
  var table = document.getElementById("standing-points");
  if (!form || !result || !table) { return; }
  var points = Array.prototype.map.call(table.querySelectorAll("tr[data-percentile]"), function (row) {
    return { p: Number(row.dataset.percentile), value: Number(row.dataset.value) };
  }).sort(function (a, b) { return a.p - b.p; });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function describe(salary) {
    var first = points[0], last = points[points.length - 1];
    if (salary < first.value) { return fill(form.dataset.below, { p: first.p }); }
    if (salary > last.value) { return fill(form.dataset.above, { p: last.p }); }
    for (var i = 0; i < points.length; i += 1) {
      if (salary === points[i].value) { return fill(form.dataset.exact, { p: points[i].p }); }
      if (i + 1 < points.length && salary > points[i].value && salary < points[i + 1].value) {
        return fill(form.dataset.between, { low: points[i].p, high: points[i + 1].p });
      }
    }
    return "";
  }

  function mark(salary) {
    Array.prototype.forEach.call(table.querySelectorAll("tr[data-percentile]"), function (row) {
      row.classList.toggle("standing-near", salary !== null && Number(row.dataset.value) <= salary);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();  // never send the salary to the server
    var raw = document.getElementById("standing-salary").value.replace(/[\s\u00a0.,]/g, "");
    var salary = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!points.length || isNaN(salary)) {
      result.textContent = form.dataset.invalid;
      mark(null);
      return;
    }
    result.textContent = describe(salary);
    mark(salary);
  });
})();
