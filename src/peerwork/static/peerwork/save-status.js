// Answers saved one at a time (HTMX, survey and assessment pages) report their outcome in
// the question's .save-status line. HTMX does not swap 4xx answers by default, so a refused
// answer (out of range, too long, already submitted, closed) would leave the line empty, or
// still saying "Saved." from before: here the server's reason is shown instead, as an alert.
// A failed connection shows the line's data-unsaved text. No inline script (strict CSP).
(function () {
  "use strict";

  function isStatus(el) { return el && el.classList && el.classList.contains("save-status"); }

  function mark(target, failed) {
    target.classList.toggle("save-error", failed);
    target.setAttribute("role", failed ? "alert" : "status");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, status = event.detail.xhr.status;
    if (!isStatus(target)) return;
    if (status >= 400 && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    mark(target, status >= 400);
  });

  function unsaved(event) {
    var target = event.detail.target;
    if (!isStatus(target) || (event.detail.xhr && event.detail.xhr.status < 500 && event.detail.xhr.status >= 400)) return;
    target.textContent = target.getAttribute("data-unsaved") || "";
    mark(target, true);
  }

  document.addEventListener("htmx:sendError", unsaved);
  document.addEventListener("htmx:responseError", unsaved);
}());
