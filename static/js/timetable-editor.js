/* The timetable editor: one day as a grid (channels as columns, time running down), sessions moved and resized by
   pointer or keyboard. The script judges nothing itself: every placement is checked by the server's problems check
   (/timetable/check) and saved as a normal organizer request carrying the session's version. Served from static/
   under the CSP: no inline script; styles are set through the CSSOM. Words come from data- attributes. */
(function () {
  "use strict";
  var root = document.getElementById("tt-editor");
  if (!root || !window.fetch) { return; }

  var PX_PER_MINUTE = 2;
  var MINUTE = 60000;
  var ds = root.dataset;
  var lang = document.documentElement.lang || "en";
  var grid = root.querySelector(".tte-grid");
  var live = root.querySelector(".tte-live");
  var undoButton = root.querySelector(".tte-undo");
  var stepSelect = root.querySelector(".tte-step");
  var state = { sessions: {}, order: [], channels: [], columns: {}, problems: [], undo: [], step: 5 };
  var drag = null;   // a pointer gesture in progress
  var picked = null; // a keyboard move in progress
  var checkTimer = null;
  var checkToken = 0;
  var fmtEvent, fmtViewer;

  // --- small helpers ---------------------------------------------------------------------------------------
  function say(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_m, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }
  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function request(url, body) {
    return fetch(url, {
      method: body === undefined ? "GET" : "POST", credentials: "same-origin",
      headers: body === undefined ? { Accept: "application/json" } :
        { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": ds.csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, json: json };
      });
    });
  }
  function channelKey(id) { return id === null || id === undefined ? "none" : String(id); }
  function channelName(id) {
    var found = state.channels.filter(function (c) { return channelKey(c.id) === channelKey(id); })[0];
    return found ? found.name : ds.noChannel;
  }
  function timeRange(start, minutes) {
    var text = fmtEvent.format(new Date(start)) + "–" + fmtEvent.format(new Date(start + minutes * MINUTE));
    if (fmtViewer) {
      text += " (" + fmtViewer.format(new Date(start)) + "–" + fmtViewer.format(new Date(start + minutes * MINUTE)) +
        " " + state.viewerZone + ")";
    }
    return text;
  }
  function placeOf(s) {
    var p = s.preview || s;
    return { start: p.start, duration: p.duration, channel_id: p.channel_id };
  }
  function words(s, place) {
    place = place || placeOf(s);
    return { title: s.title, time: place.start === null ? "" : timeRange(place.start, place.duration),
             channel: channelName(place.channel_id) };
  }
  function snap(minutesFromWindow) {
    return Math.round(minutesFromWindow / state.step) * state.step;
  }

  // --- loading and drawing ---------------------------------------------------------------------------------
  function adopt(json) {
    var s = state.sessions[json.id] || { id: json.id };
    s.title = json.title; s.kind = json.kind; s.version = json.version; s.fixed = json.fixed;
    s.cancelled = json.cancelled; s.colour = json.colour; s.speakers = json.speakers; s.edit_url = json.edit_url;
    s.start = json.starts_at === null ? null : Date.parse(json.starts_at);
    s.duration = json.duration; s.channel_id = json.channel_id;
    s.preview = null;
    state.sessions[json.id] = s;
    return s;
  }

  function load() {
    return request(ds.dayUrl).then(function (response) {
      if (window.performance && performance.mark) { performance.mark("timetable-editor-fetched"); }
      var data = response.json;
      state.windowStart = Date.parse(data.window.start);
      state.windowEnd = Date.parse(data.window.end);
      state.step = parseInt(stepSelect.value, 10) || data.step;
      state.timezone = data.timezone;
      state.channels = data.channels.slice();
      state.problems = data.problems;
      var viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
      var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      fmtEvent = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: data.timezone }, options));
      fmtViewer = viewer && viewer !== data.timezone ?
        new Intl.DateTimeFormat(lang, Object.assign({ timeZone: viewer }, options)) : null;
      state.viewerZone = viewer;
      data.sessions.concat(data.unscheduled).forEach(adopt);
      if (data.sessions.some(function (s) { return s.channel_id === null; })) {
        state.channels.push({ id: null, name: ds.noChannel });
      }
      draw();
      root.hidden = false;
      var fallback = document.querySelector(".tt-static");
      if (fallback) { fallback.hidden = true; }
      root.setAttribute("data-ready", "true");
      if (window.performance && performance.mark) { performance.mark("timetable-editor-ready"); }
    });
  }

  function draw() {
    grid.textContent = "";
    var minutes = (state.windowEnd - state.windowStart) / MINUTE;
    grid.style.setProperty("--tte-columns", state.channels.length);
    grid.style.setProperty("--tte-height", minutes * PX_PER_MINUTE + "px");
    grid.style.setProperty("--tte-hour", 60 * PX_PER_MINUTE + "px");
    grid.classList.toggle("has-viewer-zone", !!fmtViewer);
    var corner = el("div", "tte-corner", state.timezone + (fmtViewer ? " / " + state.viewerZone : ""));
    grid.appendChild(corner);
    state.channels.forEach(function (c) { grid.appendChild(el("div", "tte-col-head", c.name)); });
    var gutter = el("div", "tte-gutter");
    gutter.setAttribute("aria-hidden", "true");
    for (var t = state.windowStart; t < state.windowEnd; t += 60 * MINUTE) {
      var mark = el("span", "tte-hour", fmtEvent.format(new Date(t)));
      if (fmtViewer) { mark.appendChild(el("span", "tte-hour-viewer", fmtViewer.format(new Date(t)))); }
      mark.style.top = ((t - state.windowStart) / MINUTE) * PX_PER_MINUTE + "px";
      gutter.appendChild(mark);
    }
    grid.appendChild(gutter);
    state.columns = {};
    state.channels.forEach(function (c) {
      var column = el("div", "tte-col");
      column.setAttribute("data-channel", channelKey(c.id));
      state.columns[channelKey(c.id)] = column;
      grid.appendChild(column);
    });
    Object.keys(state.sessions).forEach(function (id) { render(state.sessions[id]); });
    layoutAll();
    drawUnscheduled();
    flagProblems();
  }

  function render(s) {
    if (!s.el) {
      s.el = el("button", "tte-item");
      s.el.type = "button";
      s.el.setAttribute("data-id", s.id);
      s.el.appendChild(el("span", "tte-item-time"));
      s.el.appendChild(el("span", "tte-badge", ds.msgFixed));
      s.el.appendChild(el("span", "tte-item-title"));
      s.el.appendChild(el("span", "tte-item-speakers"));
      s.el.appendChild(el("span", "visually-hidden tte-item-state"));
      var handle = el("span", "tte-resize");
      handle.setAttribute("aria-hidden", "true");
      s.el.appendChild(handle);
    }
    var place = placeOf(s);
    s.el.className = "tte-item kind-" + s.kind + (s.fixed ? " is-fixed" : "") + (s.unlocked ? " is-unlocked" : "") +
      (s.cancelled ? " is-cancelled" : "") + (s.el.classList.contains("has-problem") ? " has-problem" : "") +
      (s.preview ? " is-moving" : "") + (state.selected === s ? " is-selected" : "");
    if (s.colour) { s.el.style.setProperty("--theme-colour", s.colour); }
    s.el.querySelector(".tte-item-title").textContent = s.title;
    s.el.querySelector(".tte-badge").hidden = !s.fixed;
    s.el.querySelector(".tte-item-speakers").textContent = (s.speakers || []).join(", ");
    if (place.start === null) {
      s.el.querySelector(".tte-item-time").textContent = s.duration + " min";
      s.el.style.top = s.el.style.height = s.el.style.left = s.el.style.width = "";
      return;
    }
    s.el.querySelector(".tte-item-time").textContent = timeRange(place.start, place.duration);
    var column = state.columns[channelKey(place.channel_id)];
    if (column && s.el.parentNode !== column) { reparent(s.el, column); }
    var top = ((place.start - state.windowStart) / MINUTE) * PX_PER_MINUTE;
    s.el.style.top = top + "px";
    s.el.style.height = Math.max(place.duration * PX_PER_MINUTE, 10) + "px";
    if (s.preview) { s.el.style.left = "0"; s.el.style.width = "100%"; }
  }

  function reparent(node, parent) {
    var focused = document.activeElement === node;
    parent.appendChild(node);
    if (focused) { node.focus({ preventScroll: true }); }
  }

  function layoutColumn(key) {
    // Side-by-side lanes for sessions that overlap in one channel, so none hides another.
    var items = [];
    Object.keys(state.sessions).forEach(function (id) {
      var s = state.sessions[id];
      var place = placeOf(s);
      if (place.start !== null && channelKey(place.channel_id) === key && !s.preview) { items.push(s); }
    });
    items.sort(function (a, b) { return a.start - b.start || b.duration - a.duration; });
    var lanes = [];
    var groups = [];
    var groupEnd = -Infinity;
    items.forEach(function (s) {
      var end = s.start + s.duration * MINUTE;
      if (s.start >= groupEnd) { groups.push([]); lanes = []; }
      groupEnd = Math.max(groupEnd, end);
      var lane = lanes.findIndex(function (busy) { return busy <= s.start; });
      if (lane === -1) { lane = lanes.length; lanes.push(end); } else { lanes[lane] = end; }
      s.lane = lane;
      groups[groups.length - 1].push(s);
      groups[groups.length - 1].lanes = lanes.length;
    });
    groups.forEach(function (group) {
      group.forEach(function (s) {
        s.el.style.left = (100 * s.lane / group.lanes) + "%";
        s.el.style.width = (100 / group.lanes) + "%";
      });
    });
  }
  function layoutAll() { Object.keys(state.columns).forEach(layoutColumn); }

  function drawUnscheduled() {
    var list = root.querySelector(".tte-unscheduled-list");
    list.textContent = "";
    var waiting = Object.keys(state.sessions).map(function (id) { return state.sessions[id]; })
      .filter(function (s) { return s.start === null && !s.preview; });
    waiting.sort(function (a, b) { return a.title.localeCompare(b.title); });
    waiting.forEach(function (s) {
      var item = el("li");
      render(s);
      item.appendChild(s.el);
      list.appendChild(item);
    });
    root.querySelector(".tte-unscheduled-empty").hidden = waiting.length > 0;
  }

  function problemsOf(id, problems) {
    return (problems || state.problems).filter(function (p) { return !p.notice && p.session_ids.indexOf(id) !== -1; });
  }
  function flagProblems() {
    Object.keys(state.sessions).forEach(function (id) {
      var s = state.sessions[id];
      var has = problemsOf(s.id).length > 0;
      s.el.classList.toggle("has-problem", has);
      s.el.querySelector(".tte-item-state").textContent =
        has ? ds.msgHasProblems : "";
    });
    if (state.selected) { showSelected(state.selected); }
  }

  // --- what-if checks while a session is moved ---------------------------------------------------------------
  function scheduleCheck(s, speak) {
    window.clearTimeout(checkTimer);
    var place = placeOf(s);
    var token = ++checkToken;
    if (place.start === null) { showDragProblems(s, null); return; }
    checkTimer = window.setTimeout(function () {
      request(ds.checkUrl, { session_id: s.id, starts_at: new Date(place.start).toISOString(),
                             duration: place.duration, channel_id: place.channel_id })
        .then(function (response) {
          if (token !== checkToken || !s.preview || !response.json.problems) { return; }
          var mine = problemsOf(s.id, response.json.problems);
          showDragProblems(s, mine);
          if (speak) {
            announce(mine.length ? say(ds.msgProblems, { count: mine.length }) + " " +
              mine.map(function (p) { return p.message; }).join(" ") : ds.msgNoProblems);
          }
        }).catch(function () { /* a check is advice: the save itself reports failures */ });
    }, 60);
  }
  function showDragProblems(s, problems) {
    var box = root.querySelector(".tte-drag-problems");
    var list = box.querySelector("ul");
    list.textContent = "";
    if (!problems) { box.hidden = true; return; }
    box.querySelector(".tte-drag-problems-title").textContent = problems.length ?
      say(ds.msgProblems, { count: problems.length }) : ds.msgNoProblems;
    problems.forEach(function (p) { list.appendChild(el("li", "problem", p.message)); });
    box.classList.toggle("has-problems", problems.length > 0);
    box.hidden = false;
    s.el.classList.toggle("has-clash", problems.length > 0);
  }
  function hideDragProblems() {
    window.clearTimeout(checkTimer);
    checkToken++;
    root.querySelector(".tte-drag-problems").hidden = true;
  }

  // --- saving ------------------------------------------------------------------------------------------------
  function placementBody(s, place) {
    return { version: s.version, starts_at: place.start === null ? null : new Date(place.start).toISOString(),
             duration: place.duration, channel_id: place.channel_id, unlocked: !!s.unlocked };
  }
  function settle(s) {
    s.preview = null;
    if (s.el) { s.el.classList.remove("has-clash"); }
    hideDragProblems();
    render(s);
    layoutAll();
    drawUnscheduled();
  }
  function commit(s, place, how) {
    how = how || {};
    var before = { start: s.start, duration: s.duration, channel_id: s.channel_id };
    if (before.start === place.start && before.duration === place.duration && before.channel_id === place.channel_id) {
      settle(s);
      return Promise.resolve();
    }
    s.preview = { start: place.start, duration: place.duration, channel_id: place.channel_id };
    render(s);
    s.el.classList.add("is-saving");
    return request(ds.placeUrl + s.id, placementBody(s, place)).then(function (response) {
      s.el.classList.remove("is-saving");
      var json = response.json;
      if (response.status === 200 && json.session) {
        adopt(json.session);
        state.problems = json.problems;
        settle(s);
        flagProblems();
        if (!how.undo) {
          state.undo.push({ session: s, place: before });
        }
        undoButton.disabled = state.undo.length === 0;
        if (place.start === null) {
          announce(say(ds.msgUnscheduled, { title: s.title }));
        } else {
          announce(say(how.undo ? ds.msgUndone : ds.msgSaved, words(s)));
        }
      } else if (response.status === 409 && json.conflict) {
        stale(s, json, place);
      } else {
        settle(s);
        announce(say(ds.msgFailed, { error: json.error || response.status }));
      }
    }).catch(function () {
      s.el.classList.remove("is-saving");
      settle(s);
      announce(ds.msgOffline);
    });
  }

  // Someone else saved the session meanwhile: show theirs on the grid, both values in the prompt, and ask.
  function stale(s, json, mine) {
    adopt(json.theirs);
    settle(s);
    var box = root.querySelector(".tte-stale");
    var theirsPlace = placeOf(s);
    box.querySelector(".tte-stale-message").textContent = say(ds.msgStale, { title: s.title });
    box.querySelector(".tte-stale-theirs").textContent = describe(s, theirsPlace);
    box.querySelector(".tte-stale-mine").textContent = describe(s, mine);
    var changes = box.querySelector(".tte-stale-changes");
    changes.textContent = "";
    (json.changes || []).forEach(function (c) {
      changes.appendChild(el("li", "", (c.by ? c.by + ": " : "") + c.summary));
    });
    box.hidden = false;
    var mineButton = box.querySelector(".tte-stale-mine-button");
    var theirsButton = box.querySelector(".tte-stale-theirs-button");
    function close() {
      box.hidden = true;
      mineButton.onclick = theirsButton.onclick = null;
      if (s.el) { s.el.focus(); }
    }
    mineButton.onclick = function () { close(); commit(s, mine); };
    theirsButton.onclick = function () { close(); announce(say(ds.msgSaved, words(s))); };
    mineButton.focus();
  }
  function describe(s, place) {
    var w = words(s, place);
    return place.start === null ? say(ds.msgUnscheduled, { title: s.title }) : w.time + ", " + w.channel;
  }

  undoButton.addEventListener("click", function () {
    var last = state.undo.pop();
    undoButton.disabled = state.undo.length === 0;
    if (!last) { announce(ds.msgNothing); return; }
    commit(last.session, last.place, { undo: true });
  });
  stepSelect.addEventListener("change", function () { state.step = parseInt(stepSelect.value, 10) || 5; });

  // --- selection and the side panel ----------------------------------------------------------------------------
  var panel = root.querySelector(".tte-selected");
  var lockButton = panel.querySelector(".tte-lock");
  function select(s) {
    if (state.selected && state.selected !== s && state.selected.el) {
      state.selected.el.classList.remove("is-selected");
    }
    state.selected = s;
    s.el.classList.add("is-selected");
    showSelected(s);
    document.dispatchEvent(new CustomEvent("timetable:selected", { detail: { id: s.id, title: s.title } }));
  }
  function showSelected(s) {
    panel.hidden = false;
    panel.querySelector(".tte-selected-title").textContent = s.title;
    panel.querySelector(".tte-selected-when").textContent = describe(s, s);
    panel.querySelector(".tte-selected-edit").href = s.edit_url;
    var list = panel.querySelector(".tte-selected-problems");
    list.textContent = "";
    problemsOf(s.id).forEach(function (p) { list.appendChild(el("li", "problem", p.message)); });
    lockButton.parentNode.hidden = !s.fixed;
    lockButton.setAttribute("aria-pressed", s.unlocked ? "true" : "false");
    panel.querySelector(".tte-unschedule").parentNode.hidden = s.start === null;
  }
  lockButton.addEventListener("click", function () {
    var s = state.selected;
    if (!s) { return; }
    s.unlocked = !s.unlocked;
    render(s);
    showSelected(s);
  });
  panel.querySelector(".tte-unschedule").addEventListener("click", function () {
    var s = state.selected;
    if (s && s.start !== null) { commit(s, { start: null, duration: s.duration, channel_id: s.channel_id }); }
  });
  document.addEventListener("timetable:speakers", function (event) {
    var s = state.sessions[event.detail.id];
    if (s) { s.speakers = event.detail.speakers; state.problems = event.detail.problems || state.problems;
             render(s); flagProblems(); }
  });

  // --- pointer gestures ------------------------------------------------------------------------------------------
  function columnAt(x, y) {
    var keys = Object.keys(state.columns);
    for (var i = 0; i < keys.length; i++) {
      var rect = state.columns[keys[i]].getBoundingClientRect();
      if (x >= rect.left && x < rect.right && y >= rect.top - 40 && y <= rect.bottom + 40) { return keys[i]; }
    }
    return null;
  }
  function overUnscheduled(x, y) {
    var rect = root.querySelector(".tte-unscheduled").getBoundingClientRect();
    return x >= rect.left && x < rect.right && y >= rect.top && y < rect.bottom;
  }
  function keyToChannel(key) { return key === "none" ? null : parseInt(key, 10); }
  function minutesAt(y) {
    var rect = grid.querySelector(".tte-col").getBoundingClientRect();
    return (y - rect.top) / PX_PER_MINUTE;
  }
  function clampStart(start, duration) {
    return Math.max(state.windowStart, Math.min(start, state.windowEnd - duration * MINUTE));
  }

  root.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || drag || picked) { return; }
    var item = event.target.closest(".tte-item");
    var column = event.target.closest(".tte-col");
    if (item) {
      var s = state.sessions[item.getAttribute("data-id")];
      var mode = event.target.closest(".tte-resize") && s.start !== null ? "resize" : "move";
      drag = { s: s, mode: mode, x0: event.clientX, y0: event.clientY, moved: false, id: event.pointerId,
               origin: { start: s.start, duration: s.duration, channel_id: s.channel_id } };
      root.setPointerCapture(event.pointerId);
    } else if (column) {
      var at = snap(minutesAt(event.clientY));
      drag = { mode: "create", column: column, x0: event.clientX, y0: event.clientY, moved: false,
               from: at, id: event.pointerId, ghost: el("div", "tte-ghost") };
      root.setPointerCapture(event.pointerId);
    }
  });

  root.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    var dy = event.clientY - drag.y0;
    if (!drag.moved && Math.abs(dy) < 4 && Math.abs(event.clientX - drag.x0) < 4) { return; }
    if (!drag.moved) {
      drag.moved = true;
      if (drag.mode === "move" && drag.s.fixed && !drag.s.unlocked && drag.s.start !== null) {
        announce(say(ds.msgLocked, { title: drag.s.title }));
        drag.mode = "locked";
      }
      if (drag.mode === "create") { drag.column.appendChild(drag.ghost); }
    }
    if (drag.mode === "move") { dragMove(drag, event); }
    if (drag.mode === "resize") { dragResize(drag, dy); }
    if (drag.mode === "create") {
      var to = snap(minutesAt(event.clientY));
      drag.start = Math.min(drag.from, to);
      drag.minutes = Math.max(Math.abs(to - drag.from), state.step);
      drag.ghost.style.top = drag.start * PX_PER_MINUTE + "px";
      drag.ghost.style.height = drag.minutes * PX_PER_MINUTE + "px";
    }
  });

  function dragMove(g, event) {
    var s = g.s;
    var key = columnAt(event.clientX, event.clientY);
    if (key === null) {
      if (overUnscheduled(event.clientX, event.clientY) && g.origin.start !== null) {
        s.preview = { start: null, duration: s.duration, channel_id: s.channel_id };
        s.el.classList.add("is-leaving");
        showDragProblems(s, null);
      }
      return;
    }
    s.el.classList.remove("is-leaving");
    var start;
    if (g.origin.start === null) {  // from the unscheduled list: where the pointer is
      start = state.windowStart + snap(minutesAt(event.clientY)) * MINUTE;
    } else {
      var fromWindow = (g.origin.start - state.windowStart) / MINUTE + (event.clientY - g.y0) / PX_PER_MINUTE;
      start = state.windowStart + snap(fromWindow) * MINUTE;
    }
    var next = { start: clampStart(start, s.duration), duration: s.duration, channel_id: keyToChannel(key) };
    var was = s.preview;
    if (was && was.start === next.start && was.channel_id === next.channel_id) { return; }
    s.preview = next;
    render(s);
    scheduleCheck(s, false);
  }

  function dragResize(g, dy) {
    var s = g.s;
    var end = (g.origin.start - state.windowStart) / MINUTE + g.origin.duration + dy / PX_PER_MINUTE;
    var minutes = Math.max(state.step, state.windowStart / MINUTE + snap(end) - g.origin.start / MINUTE);
    minutes = Math.min(minutes, (state.windowEnd - g.origin.start) / MINUTE);
    if (s.preview && s.preview.duration === minutes) { return; }
    s.preview = { start: g.origin.start, duration: minutes, channel_id: g.origin.channel_id };
    render(s);
    scheduleCheck(s, false);
  }

  function endDrag(event, cancelled) {
    if (!drag || event.pointerId !== drag.id) { return; }
    var g = drag;
    drag = null;
    if (g.mode === "create") {
      if (g.ghost.parentNode) { g.ghost.parentNode.removeChild(g.ghost); }
      if (g.moved && !cancelled) {
        openCreate(state.windowStart + g.start * MINUTE, g.minutes, keyToChannel(g.column.getAttribute("data-channel")));
      }
      return;
    }
    var s = g.s;
    s.el.classList.remove("is-leaving");
    if (!g.moved) { select(s); return; }
    if (cancelled || g.mode === "locked" || !s.preview) { settle(s); return; }
    commit(s, s.preview);
  }
  root.addEventListener("pointerup", function (event) { endDrag(event, false); });
  root.addEventListener("pointercancel", function (event) { endDrag(event, true); });
  // A drag must not also click (which would select) nor select text.
  root.addEventListener("dragstart", function (event) { event.preventDefault(); });

  // --- the keyboard path -----------------------------------------------------------------------------------------
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drag) {
      var g = drag;
      drag = null;
      if (g.s) { settle(g.s); } else if (g.ghost && g.ghost.parentNode) { g.ghost.parentNode.removeChild(g.ghost); }
      return;
    }
    var item = event.target.closest && event.target.closest(".tte-item");
    if (!item) { return; }
    var s = state.sessions[item.getAttribute("data-id")];
    if (!picked) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select(s);
        if (s.fixed && !s.unlocked && s.start !== null) { announce(say(ds.msgLocked, { title: s.title })); return; }
        picked = s;
        if (s.start === null) {  // from the unscheduled list: into the first channel at the top of the day
          s.preview = { start: state.windowStart, duration: s.duration,
                        channel_id: state.channels.length ? state.channels[0].id : null };
          render(s);
          layoutAll();
        } else {
          s.preview = { start: s.start, duration: s.duration, channel_id: s.channel_id };
          render(s);
        }
        announce(say(ds.msgPicked, { title: s.title }) + " " + say(ds.msgMoving, words(s)));
        scheduleCheck(s, false);
      }
      return;
    }
    if (picked !== s) { return; }
    var p = s.preview;
    var next = { start: p.start, duration: p.duration, channel_id: p.channel_id };
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      var sign = event.key === "ArrowUp" ? -1 : 1;
      if (event.shiftKey) {
        next.duration = Math.max(state.step, p.duration + sign * state.step);
        next.duration = Math.min(next.duration, (state.windowEnd - p.start) / MINUTE);
      } else {
        next.start = clampStart(p.start + sign * state.step * MINUTE, p.duration);
      }
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var keys = state.channels.map(function (c) { return c.id; });
      var index = keys.indexOf(p.channel_id) + (event.key === "ArrowLeft" ? -1 : 1);
      if (index >= 0 && index < keys.length) { next.channel_id = keys[index]; }
    } else if (event.key === "Enter") {
      event.preventDefault();
      picked = null;
      commit(s, p);
      return;
    } else if (event.key === "Escape") {
      event.preventDefault();
      picked = null;
      settle(s);
      announce(say(ds.msgCancelled, words(s)));
      return;
    } else {
      return;
    }
    event.preventDefault();
    s.preview = next;
    render(s);
    announce(say(ds.msgMoving, words(s)));
    scheduleCheck(s, true);
  });

  // --- creating over an empty stretch ------------------------------------------------------------------------------
  var createForm = root.querySelector(".tte-create");
  var creating = null;
  function openCreate(start, minutes, channelId) {
    creating = { start: start, duration: minutes, channel_id: channelId };
    createForm.querySelector(".tte-create-when").textContent =
      timeRange(start, minutes) + ", " + channelName(channelId);
    createForm.querySelector(".tte-create-error").hidden = true;
    createForm.hidden = false;
    createForm.querySelector("input[name=title]").focus();
  }
  createForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!creating) { return; }
    var title = createForm.querySelector("input[name=title]").value;
    var body = { title: title, kind: createForm.querySelector("select[name=kind]").value,
                 starts_at: new Date(creating.start).toISOString(), duration: creating.duration,
                 channel_id: creating.channel_id };
    request(ds.createUrl, body).then(function (response) {
      if (response.status === 201) {
        var s = adopt(response.json.session);
        state.problems = response.json.problems;
        createForm.hidden = true;
        createForm.reset();
        creating = null;
        render(s);
        layoutAll();
        flagProblems();
        select(s);
        s.el.focus();
        announce(say(ds.msgCreated, words(s)));
      } else {
        var error = createForm.querySelector(".tte-create-error");
        error.textContent = say(ds.msgFailed, { error: response.json.error || response.status });
        error.hidden = false;
      }
    }).catch(function () {
      var error = createForm.querySelector(".tte-create-error");
      error.textContent = ds.msgOffline;
      error.hidden = false;
    });
  });
  createForm.querySelector(".tte-create-cancel").addEventListener("click", function () {
    createForm.hidden = true;
    creating = null;
  });

  load().catch(function () { /* the static grid and the forms stay in place */ });
}());
