/* Folded option panels (<details class="fold" data-fold-wide>): open on wide screens, where there is room;
   on a phone they stay folded unless the page opened them (an option is in use). */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 40.01rem)").matches) { return; }
  document.querySelectorAll("details.fold[data-fold-wide]").forEach(function (d) { d.open = true; });
})();
