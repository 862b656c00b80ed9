/* Offer the viewer's own time zone. Pages that show times carry <p class="tz-offer" data-event-zone="..." hidden> (the tz_offer macro);
   when the address has no ?tz= and the browser's zone differs from the event's, this fills it with a link to the
   same page with ?tz=<viewer's zone>. The server renders the times and keeps the event's zone beside them.
   Without JavaScript nothing changes: the "Show times in" field still works. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var offer = document.querySelector(".tz-offer[data-event-zone]");
  if (!offer || !window.Intl || !window.URL) { return; }
  var url = new URL(window.location.href);
  if (url.searchParams.get("tz")) { return; }
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var eventZone = offer.getAttribute("data-event-zone");
  if (!zone || zone === eventZone) { return; }
  url.searchParams.set("tz", zone);
  var link = document.createElement("a");
  link.href = url.pathname + url.search + url.hash;
  // The words come from the page, in its language (data-say-*); {zone} is the browser's zone.
  link.textContent = offer.getAttribute("data-say-offer").replace("{zone}", zone);
  offer.appendChild(link);
  offer.appendChild(document.createTextNode(offer.getAttribute("data-say-now")));
  offer.hidden = false;
}());
