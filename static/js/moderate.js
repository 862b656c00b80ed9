/* The moderators' console: tick the session and speaker clocks every second (from the server's time, not the
   device's), and reload when another moderator changes the running order (unless a field is being edited). */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) { return; }
  var skew = Date.parse(root.getAttribute("data-server-now")) - Date.now();
  var version = root.getAttribute("data-version");
  var versionUrl = root.getAttribute("data-version-url");
  var WRAP_UP = 60;

  /* Words come from the page (data-say-*), already in the moderator's language; {name} marks a value. */
  function say(key, values, fallback) {
    var text = root.getAttribute("data-say-" + key) || fallback;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function clock(seconds) {
    var sign = seconds < 0 ? "-" : "";
    seconds = Math.abs(Math.floor(seconds));
    var s = seconds % 60;
    return sign + Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  function since(iso) { return (Date.now() + skew - Date.parse(iso)) / 1000; }

  function tick() {
    var sessionClock = root.querySelector("[data-elapsed-since]");
    if (sessionClock) {
      var elapsed = since(sessionClock.getAttribute("data-elapsed-since"));
      var left = parseInt(sessionClock.getAttribute("data-limit-seconds"), 10) - elapsed;
      sessionClock.textContent = left >= 0
        ? say("elapsed-left", { elapsed: clock(elapsed), left: clock(left) }, "{elapsed} elapsed, {left} left")
        : say("elapsed-over", { elapsed: clock(elapsed), over: clock(-left) }, "{elapsed} elapsed, over time by {over}");
    }
    /* The planned speaker's clock and the list of speakers' clock each count down. */
    Array.prototype.forEach.call(root.querySelectorAll("[data-speaker-since]"), function (speaker) {
      var spoken = since(speaker.getAttribute("data-speaker-since"));
      var limit = speaker.getAttribute("data-limit-seconds");
      var out = speaker.querySelector(".countdown");
      if (limit === null) {
        out.textContent = say("no-limit", { elapsed: clock(spoken) }, "{elapsed} elapsed (no time limit)");
        return;
      }
      var remaining = parseInt(limit, 10) - spoken;
      var state = remaining > WRAP_UP ? "ok" : (remaining >= 0 ? "wrap-up" : "overrun");
      speaker.className = "speaker-clock state-" + state;
      out.replaceChildren();
      if (state === "overrun") {
        var b = document.createElement("strong"); b.textContent = say("over-time", {}, "OVER TIME"); out.appendChild(b);
        out.appendChild(document.createTextNode(" " + say("by", { over: clock(-remaining) }, "by {over}")));
      } else if (state === "wrap-up") {
        var w = document.createElement("strong"); w.textContent = say("wrap-up", {}, "WRAP UP"); out.appendChild(w);
        out.appendChild(document.createTextNode(": " + say("left", { left: clock(remaining) }, "{left} left")));
      } else {
        out.textContent = say("left-of", { left: clock(remaining), limit: clock(parseInt(limit, 10)) },
          "{left} left of {limit}");
      }
    });
  }

  function editing() {
    var active = document.activeElement;
    return active && (active.tagName === "INPUT" || active.tagName === "SELECT") && active.type !== "hidden";
  }

  function checkVersion() {
    fetch(versionUrl, { cache: "no-store", credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (data && String(data.version) !== version) {
        if (editing()) { document.getElementById("console-stale").hidden = false; }
        else { window.location.reload(); }
      }
    }).catch(function () { /* try again at the next beat */ });
  }

  window.setInterval(tick, 1000);
  if (window.fetch) { window.setInterval(checkVersion, 3000); }
}());
