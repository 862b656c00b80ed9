/* The live page: poll live.json (ETag / If-None-Match, so an unchanged state is a bodiless 304), re-render
   now / next / later in the viewer's time zone, and announce changes politely to screen readers. */
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live-url");
  var eventTz = root.getAttribute("data-event-tz");
  var chosen = root.getAttribute("data-chosen-tz");
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { detected = ""; }
  var tz = chosen || detected || eventTz;
  var pollMs = (parseInt(root.getAttribute("data-poll-seconds"), 10) || 2) * 1000;
  var etag = null;
  var lastSummary = null;
  var channelsBox = document.getElementById("live-channels");
  var announcer = document.getElementById("live-announcer");
  var updated = document.getElementById("live-updated");
  var zoneNote = document.getElementById("live-zone");
  var labels = {};
  try { labels = JSON.parse(root.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
  var lang = document.documentElement.lang || "en";
  var plurals = null;
  try { plurals = new Intl.PluralRules(lang); } catch (e) { plurals = null; }
  function text(key) { return labels[key] || key; }
  /* The page's words (web/live.py live_labels) with their %(name)s filled; counted ones by plural category. */
  function say(key, values) {
    var template = labels[key] || key;
    if (typeof template === "object") {
      var category = plurals ? plurals.select(values.num) : (values.num === 1 ? "one" : "other");
      template = template[category] || template.other || "";
    }
    return template.replace(/%\((\w+)\)[sd]/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }
  /* A sentence with <strong>…</strong> around one value, as text nodes (never innerHTML). */
  function sayInto(parent, key, values) {
    say(key, values).split(/(<strong>.*?<\/strong>)/).forEach(function (part) {
      var m = /^<strong>(.*)<\/strong>$/.exec(part);
      parent.appendChild(m ? node("strong", null, m[1]) : document.createTextNode(part));
    });
  }

  function fmt(iso, zone, seconds) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
    if (seconds) { options.second = "2-digit"; }
    try { return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, options).format(new Date(iso)); }
    catch (e) { return iso.slice(11, 16); }
  }

  function longDate(iso, zone) {
    try {
      return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, { weekday: "long", day: "numeric", month: "long",
                                                                      year: "numeric", timeZone: zone }).format(new Date(iso));
    } catch (e) { return iso.slice(0, 10); }
  }

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) { n.className = className; }
    if (text !== undefined && text !== null) { n.textContent = text; }
    return n;
  }

  function when(parent, iso) {
    var t = node("time", null, fmt(iso, tz));
    t.setAttribute("datetime", iso);
    parent.appendChild(t);
    if (tz !== eventTz) { parent.appendChild(node("span", "live-event-time", " " + say("event_time", { time: fmt(iso, eventTz) }))); }
  }

  function person(p) {
    return [p.name, p.title, p.organization].filter(Boolean).join(", ");
  }

  function floorPerson(p) {
    return p.name + (p.delegations && p.delegations.length ? " (" + p.delegations.join(" / ") + ")" : "");
  }

  function labelled(className, label, text) {
    var p = node("p", className);
    p.appendChild(node("span", "live-label", label));
    p.appendChild(document.createTextNode(" " + text));
    return p;
  }

  function link(href, text) {
    var a = node("a", null, text);
    a.href = href;
    a.rel = "noopener noreferrer";
    return a;
  }

  /* The list of speakers of the session on now, and its public room links. */
  function floorBlock(box, s) {
    var f = s.floor;
    if (f && f.speaking) { box.appendChild(labelled("live-speaker live-floor", text("now_speaking"), floorPerson(f.speaking))); }
    if (f && f.next && f.next.length) {
      box.appendChild(labelled("live-floor-next", text("next_on_list"), f.next.map(floorPerson).join("; ")));
    }
    var room = s.room;
    if (room && (room.livestream_url || room.recording_url)) {
      var p = node("p", "live-room");
      if (room.livestream_url) { p.appendChild(link(room.livestream_url, text("livestream"))); }
      if (room.recording_url) { p.appendChild(document.createTextNode(" ")); p.appendChild(link(room.recording_url, text("recording"))); }
      box.appendChild(p);
    }
  }

  function sessionBlock(box, s, showEnd) {
    box.appendChild(node("p", "live-title", s.title));
    var times = node("p", "live-times");
    when(times, s.expected_start);
    if (showEnd) { times.appendChild(document.createTextNode("–")); when(times, s.expected_end); }
    if (s.late_minutes > 0) {
      times.appendChild(document.createTextNode(" "));
      times.appendChild(node("span", "live-late-badge", say("late_planned", { num: s.late_minutes, time: fmt(s.planned_start, tz) })));
    }
    if (s.is_fixed) { times.appendChild(document.createTextNode(" ")); times.appendChild(node("span", "live-fixed", text("fixed"))); }
    box.appendChild(times);
    var kind = (labels.kinds && labels.kinds[s.kind]) || s.kind_label;
    box.appendChild(node("p", "live-kind", kind + (s.theme ? " · " + s.theme : "")));
    var who = null;
    if (s.speaker_now) { who = [text("speaking_now"), person(s.speaker_now)]; }
    else if (s.video_from) { who = [text("video_from"), person(s.video_from)]; }
    if (who) {
      var p = node("p", "live-speaker");
      p.appendChild(node("span", "live-label", who[0]));
      p.appendChild(document.createTextNode(" " + who[1]));
      box.appendChild(p);
    }
    floorBlock(box, s);
  }

  function render(data) {
    var frag = document.createDocumentFragment();
    data.channels.forEach(function (ch, i) {
      var section = node("section", "live-channel");
      section.setAttribute("aria-labelledby", "live-ch-" + (i + 1));
      var h2 = node("h2", null, ch.name);
      h2.id = "live-ch-" + (i + 1);
      section.appendChild(h2);
      section.appendChild(node("p", "live-status" + (ch.late_minutes > 0 ? " is-late" : ""),
        ch.late_minutes > 0 ? say("running_late", { num: ch.late_minutes }) : text("on_time")));
      var now = node("div", "live-now");
      now.appendChild(node("h3", null, text("now")));
      if (ch.now) { sessionBlock(now, ch.now, true); }
      else if (ch.break_until) {
        now.appendChild(node("p", "live-title", text("short_break")));
        var until = node("p", "live-times");
        var parts = say("until", { time: "\u0000" }).split("\u0000");
        until.appendChild(document.createTextNode(parts[0]));
        when(until, ch.break_until);
        if (parts[1]) { until.appendChild(document.createTextNode(parts[1])); }
        now.appendChild(until);
      } else { now.appendChild(node("p", "live-none", text("nothing_now"))); }
      section.appendChild(now);
      var next = node("div", "live-next");
      next.appendChild(node("h3", null, text("next")));
      if (ch.next && ch.next.day && ch.next.day !== data.day) { next.appendChild(node("p", "live-day", longDate(ch.next.expected_start, tz))); }
      if (ch.next) { sessionBlock(next, ch.next, false); }
      else { next.appendChild(node("p", "live-none", text("nothing_more"))); }
      section.appendChild(next);
      if (ch.later.length) {
        var later = node("div", "live-later");
        later.appendChild(node("h3", null, text("later")));
        var list = node("ol", "plain");
        ch.later.forEach(function (s) {
          var li = node("li");
          when(li, s.expected_start);
          li.appendChild(document.createTextNode(" " + s.title));
          if (s.late_minutes > 0) { li.appendChild(document.createTextNode(" ")); li.appendChild(node("span", "live-late-badge", say("late", { num: s.late_minutes }))); }
          list.appendChild(li);
        });
        later.appendChild(list);
        section.appendChild(later);
      }
      frag.appendChild(section);
    });
    channelsBox.replaceChildren(frag);
  }

  function summary(data) {
    return data.channels.map(function (ch) {
      var parts = [ch.now ? say("summary_now", { channel: ch.name, title: ch.now.title })
        : (ch.break_until ? say("summary_break", { channel: ch.name, time: fmt(ch.break_until, tz) })
          : say("summary_nothing", { channel: ch.name }))];
      if (ch.now && ch.now.speaker_now) { parts.push(say("summary_speaking", { name: ch.now.speaker_now.name })); }
      if (ch.now && ch.now.floor && ch.now.floor.speaking) { parts.push(text("now_speaking") + " " + floorPerson(ch.now.floor.speaking) + "."); }
      if (ch.next) { parts.push(say("summary_next", { title: ch.next.title, time: fmt(ch.next.expected_start, tz) })); }
      parts.push((ch.late_minutes > 0 ? say("running_late", { num: ch.late_minutes }) : text("on_time")) + ".");
      return parts.join(" ");
    }).join(" ");
  }

  function showZone() {
    if (!zoneNote) { return; }
    zoneNote.replaceChildren();
    sayInto(zoneNote, (chosen ? "zone" : "zone_device") + (tz !== eventTz ? "_other" : ""), { zone: tz, event_zone: eventTz });
  }

  function stamp() {
    if (updated) { updated.textContent = say("last_update", { time: fmt(new Date().toISOString(), tz, true) }); }
  }

  function poll() {
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (response.status === 304) { stamp(); return null; }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      etag = response.headers.get("ETag");
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      render(data);
      stamp();
      var text = summary(data);
      if (lastSummary !== null && text !== lastSummary) { announcer.textContent = text; }
      lastSummary = text;
    }).catch(function () {
      if (updated) { updated.textContent = text("connection_lost"); }
    }).then(function () {
      window.setTimeout(poll, document.hidden ? pollMs * 5 : pollMs);
    });
  }

  root.setAttribute("data-js", "on");
  showZone();
  poll();
}());
