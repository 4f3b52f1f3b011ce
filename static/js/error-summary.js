// The error summary of a refused form: focused when the page loads (where the browser did
// not honour autofocus), and each link moves the focus to its field with the field's
// label or legend in view, as a screen reader and a sighted keyboard user both expect.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var around = field.closest("fieldset") || field.closest(".field") || field;
    around.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
