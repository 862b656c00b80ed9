/* Destructive buttons carry data-confirm="question?": ask before the form is sent. Without JavaScript the form
   still works (the server-side checks stay the real guard). No inline script: the CSP forbids it. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter || document.activeElement;
    var question = (button && button.getAttribute && button.getAttribute("data-confirm")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
}());
