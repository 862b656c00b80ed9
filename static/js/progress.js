/* Progress feedback for long work. No inline script: the CSP forbids it.
   - <form data-upload-progress> is sent with XMLHttpRequest so a progress bar can show how much of the upload has
     gone; the server's answer (the page after the redirect, or the form with its errors) then replaces <main>.
     Without JavaScript the plain form posts as usual.
   - <a data-busy="Preparing the PDF…"> shows that message beside the link when clicked (the server may take a
     few seconds to build the file). */
(function () {
  "use strict";

  function statusFor(form) {
    var box = form.querySelector(".upload-progress");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-progress";
      box.innerHTML = '<label>Uploading <progress max="100" value="0"></progress></label>' +
        '<span class="upload-progress-text" role="status" aria-live="polite"></span>';
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
      if (!e.lengthComputable) { text.textContent = "Uploading…"; return; }
      var percent = Math.floor(e.loaded * 100 / e.total);
      bar.value = percent;
      if (percent >= lastSaid + 10 || percent === 100) {  // announce in steps, not on every packet
        lastSaid = percent;
        text.textContent = "Uploaded " + percent + "%" + (percent === 100 ? ": checking the file…" : "");
      }
    });
    xhr.addEventListener("load", function () {
      if (!swapMain(xhr.responseText, xhr.responseURL)) {
        text.textContent = "The upload failed (error " + xhr.status + "). Nothing was saved; please try again.";
        if (button) { button.disabled = false; }
      }
    });
    xhr.addEventListener("error", function () {
      text.textContent = "The connection was lost during the upload. Nothing was saved; please try again.";
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
