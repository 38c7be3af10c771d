// apcase: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";

  // Move focus to the error summary after a failed submit so screen readers announce it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.target); });

  // Links inside the error summary: focus the field, not just scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); }
  });
})();
