/* Progress feedback for long work. No inline script: the CSP forbids it.
   - <form data-upload-progress> is sent with XMLHttpRequest so a progress bar can show how much of the upload has
     gone; the server's answer (the page after the redirect, or the form with its errors) then replaces <main>.
     Without JavaScript the plain form posts as usual.
   - <a data-busy="Preparing the PDF…"> shows that message beside the link when clicked (the server may take a
     few seconds to build the file). */
(function () {
  "use strict";

  /* A form's words (data-say-*), in the page's language; {name} marks a value; English when a page gives none. */
  function say(form, key, values, fallback) {
    var text = form.getAttribute("data-say-" + key) || fallback;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function statusFor(form) {
    var box = form.querySelector(".upload-progress");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-progress";
      var label = document.createElement("label");
      label.textContent = say(form, "uploading", {}, "Uploading…") + " ";
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      label.appendChild(bar);
      var text = document.createElement("span");
      text.className = "upload-progress-text";
      text.setAttribute("role", "status");
      text.setAttribute("aria-live", "polite");
      box.appendChild(label);
      box.appendChild(text);
      form.appendChild(box);
    }
    box.hidden = false;
    return box;
  }

  function swapMain(html, url) {
    var incoming = new DOMParser().parseFromString(html, "text/html");
    var next = incoming.querySelector("main");
    var main = document.querySelector("main");
    if (!next || !main) { return false; }
    main.innerHTML = next.innerHTML;
    document.title = incoming.title;
    if (url && url !== window.location.href && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", url);
    }
    var focus = main.querySelector(".flash, [role=alert], h1");
    if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-upload-progress") || !window.FormData ||
        !window.XMLHttpRequest || !window.DOMParser) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
    var box = statusFor(form);
    var bar = box.querySelector("progress");
    var text = box.querySelector(".upload-progress-text");
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    var lastSaid = -1;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { text.textContent = say(form, "uploading", {}, "Uploading…"); return; }
      var percent = Math.floor(e.loaded * 100 / e.total);
      bar.value = percent;
      if (percent >= lastSaid + 10 || percent === 100) {  // announce in steps, not on every packet
        lastSaid = percent;
        text.textContent = percent === 100
          ? say(form, "checking", { percent: percent }, "Uploaded {percent}%: checking the file…")
          : say(form, "uploaded", { percent: percent }, "Uploaded {percent}%");
      }
    });
    xhr.addEventListener("load", function () {
      if (!swapMain(xhr.responseText, xhr.responseURL)) {
        text.textContent = say(form, "failed", { status: xhr.status },
          "The upload failed (error {status}). Nothing was saved; please try again.");
        if (button) { button.disabled = false; }
      }
    });
    xhr.addEventListener("error", function () {
      text.textContent = say(form, "lost", {}, "The connection was lost during the upload. Nothing was saved; please try again.");
      if (button) { button.disabled = false; }
    });
    xhr.send(data);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link) { return; }
    var note = link.parentNode.querySelector(".busy-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      link.parentNode.appendChild(note);
    }
    note.textContent = " " + link.getAttribute("data-busy");
    window.setTimeout(function () { note.textContent = ""; }, 30000);
  });
}());
