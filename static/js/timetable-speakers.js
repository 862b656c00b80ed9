/* Speakers in bulk for the session selected on the timetable editor: search as you type over the event's speakers,
   choose several (or type new ones), add them in one request; reorder by dragging a name or with its arrow
   buttons. Listens for "timetable:selected" from timetable-editor.js and tells it the new names back. */
(function () {
  "use strict";
  var box = document.querySelector(".tte-speakers");
  var editor = document.getElementById("tt-editor");
  if (!box || !editor || !window.fetch) { return; }
  var ds = box.dataset;
  var orderList = box.querySelector(".tte-speaker-order");
  var search = box.querySelector(".tte-speaker-search");
  var results = box.querySelector(".tte-speaker-results");
  var chosenList = box.querySelector(".tte-speaker-chosen");
  var addButton = box.querySelector(".tte-speaker-add");
  var errorBox = box.querySelector(".tte-speaker-error");
  var live = editor.querySelector(".tte-live");
  var current = null;   // {id, title}
  var speakers = [];    // the session's, in speaking order
  var chosen = [];      // {id, name} of existing speakers, or {create: {...}, name}
  var searchTimer = null;
  var searchToken = 0;

  function say(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
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
  function call(url, body) {
    return fetch(url, {
      method: body ? "POST" : "GET", credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": editor.dataset.csrf }
        : { Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) { throw new Error(json.error || String(response.status)); }
        return json;
      });
    });
  }
  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }
  function sessionUrl(suffix) { return ds.sessionUrl + current.id + suffix; }

  function adopt(json) {
    speakers = json.speakers;
    drawOrder();
    document.dispatchEvent(new CustomEvent("timetable:speakers",
      { detail: { id: json.session_id, speakers: json.names, problems: json.problems } }));
  }

  function drawOrder() {
    orderList.textContent = "";
    if (!speakers.length) { orderList.appendChild(el("li", "muted", ds.msgNone)); }
    speakers.forEach(function (s, index) {
      var item = el("li");
      item.setAttribute("data-speaker", s.id);
      item.appendChild(el("span", "", s.name));
      var buttons = el("span", "nowrap");
      if (index > 0) { buttons.appendChild(moveButton("↑", ds.msgUp, s, -1)); }
      if (index < speakers.length - 1) { buttons.appendChild(moveButton("↓", ds.msgDown, s, 1)); }
      item.appendChild(buttons);
      orderList.appendChild(item);
    });
  }
  function moveButton(symbol, label, s, offset) {
    var button = el("button", "button-small", symbol);
    button.type = "button";
    button.setAttribute("aria-label", say(label, { name: s.name }));
    button.addEventListener("click", function () {
      var ids = speakers.map(function (x) { return x.id; });
      var from = ids.indexOf(s.id);
      ids.splice(from, 1);
      ids.splice(from + offset, 0, s.id);
      saveOrder(ids, s.id, offset);
    });
    return button;
  }
  function saveOrder(ids, movedId, offset) {
    showError("");
    call(sessionUrl("/speaking-order"), { order: ids }).then(function (json) {
      adopt(json);
      announce(say(ds.msgOrder, { title: current.title, names: json.names.join(", ") }));
      if (movedId !== undefined) {  // keep the keyboard where it was: on the moved speaker's button
        var row = orderList.querySelector('[data-speaker="' + movedId + '"] button');
        var buttons = orderList.querySelectorAll('[data-speaker="' + movedId + '"] button');
        var target = buttons.length > 1 && offset > 0 ? buttons[1] : row;
        if (target) { target.focus(); }
      }
    }).catch(function (error) { showError(error.message); });
  }

  // Dragging a name within the list.
  var dragging = null;
  orderList.addEventListener("pointerdown", function (event) {
    var item = event.target.closest("li[data-speaker]");
    if (!item || event.target.closest("button") || event.button !== 0) { return; }
    dragging = { item: item, id: parseInt(item.getAttribute("data-speaker"), 10), pointer: event.pointerId };
    item.classList.add("is-dragging");
    orderList.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  orderList.addEventListener("pointermove", function (event) {
    if (!dragging || event.pointerId !== dragging.pointer) { return; }
    var rows = Array.prototype.slice.call(orderList.querySelectorAll("li[data-speaker]"));
    var over = rows.filter(function (row) {
      var rect = row.getBoundingClientRect();
      return event.clientY >= rect.top && event.clientY < rect.bottom;
    })[0];
    if (over && over !== dragging.item) {
      var rect = over.getBoundingClientRect();
      orderList.insertBefore(dragging.item, event.clientY < rect.top + rect.height / 2 ? over : over.nextSibling);
    }
  });
  function endDrag(event) {
    if (!dragging || event.pointerId !== dragging.pointer) { return; }
    dragging.item.classList.remove("is-dragging");
    dragging = null;
    var ids = Array.prototype.map.call(orderList.querySelectorAll("li[data-speaker]"), function (row) {
      return parseInt(row.getAttribute("data-speaker"), 10);
    });
    if (ids.join() !== speakers.map(function (s) { return s.id; }).join()) { saveOrder(ids); }
  }
  orderList.addEventListener("pointerup", endDrag);
  orderList.addEventListener("pointercancel", endDrag);

  // Search as you type.
  search.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 150);
  });
  function runSearch() {
    var token = ++searchToken;
    var query = search.value.trim();
    if (!query) { results.textContent = ""; return; }
    call(ds.searchUrl + "?q=" + encodeURIComponent(query)).then(function (json) {
      if (token !== searchToken) { return; }
      results.textContent = "";
      var present = speakers.map(function (s) { return s.id; }).concat(chosen.map(function (c) { return c.id; }));
      var found = json.speakers.filter(function (s) { return present.indexOf(s.id) === -1; });
      if (!found.length) { results.appendChild(el("li", "muted", ds.msgNoMatch)); }
      found.forEach(function (s) {
        var item = el("li");
        var button = el("button", "link-button", s.name + (s.title ? ", " + s.title : ""));
        button.type = "button";
        button.setAttribute("aria-label", say(ds.msgAddOne, { name: s.name }));
        button.addEventListener("click", function () {
          chosen.push({ id: s.id, name: s.name });
          drawChosen();
          item.parentNode.removeChild(item);
          search.focus();
        });
        item.appendChild(button);
        results.appendChild(item);
      });
    }).catch(function (error) { showError(error.message); });
  }

  function drawChosen() {
    chosenList.textContent = "";
    chosen.forEach(function (c, index) {
      var item = el("li", "", c.name + " ");
      var remove = el("button", "button-small", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", say(ds.msgUnchoose, { name: c.name }));
      remove.addEventListener("click", function () { chosen.splice(index, 1); drawChosen(); search.focus(); });
      item.appendChild(remove);
      chosenList.appendChild(item);
    });
    box.querySelector(".tte-speaker-chosen-title").hidden = chosen.length === 0;
    addButton.disabled = chosen.length === 0;
  }

  box.querySelector(".tte-speaker-new-add").addEventListener("click", function () {
    var name = document.getElementById("tte-new-name");
    if (!name.value.trim()) { name.focus(); return; }
    var honorific = document.getElementById("tte-new-honorific");
    var title = document.getElementById("tte-new-title");
    chosen.push({ create: { honorific: honorific.value, name: name.value, title: title.value },
                  name: (honorific.value + " " + name.value).trim() });
    honorific.value = name.value = title.value = "";
    drawChosen();
    addButton.focus();
  });

  addButton.addEventListener("click", function () {
    if (!current || !chosen.length) { return; }
    showError("");
    var body = { add: chosen.filter(function (c) { return c.id; }).map(function (c) { return c.id; }),
                 create: chosen.filter(function (c) { return c.create; }).map(function (c) { return c.create; }) };
    var names = chosen.map(function (c) { return c.name; }).join(", ");
    call(sessionUrl("/speakers"), body).then(function (json) {
      chosen = [];
      drawChosen();
      results.textContent = "";
      search.value = "";
      adopt(json);
      announce(say(ds.msgAdded, { title: current.title, names: names }));
    }).catch(function (error) { showError(error.message); });
  });

  document.addEventListener("timetable:selected", function (event) {
    if (current && current.id === event.detail.id) { return; }
    current = event.detail;
    chosen = [];
    drawChosen();
    results.textContent = "";
    showError("");
    call(sessionUrl("/speakers")).then(function (json) {
      if (current && current.id === json.session_id) { speakers = json.speakers; drawOrder(); }
    }).catch(function (error) { showError(error.message); });
  });
}());
