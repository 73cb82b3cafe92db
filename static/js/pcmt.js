// PCMT: small behaviours without inline scripts (the CSP allows scripts from this origin only).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;  // a button may ask its own question ("Duyệt" but not "Trả lại")
  var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  } else if (form.hasAttribute("data-sign-out")) {
    // Signing out leaves no copy of unsaved entry typing in this browser (reporting/entry.js).
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf("pcmt:entry:") === 0) { window.localStorage.removeItem(key); }
      });
    } catch (e) { /* storage disabled: nothing kept */ }
  }
});

// Buttons that write are disabled while their request runs: a double click on "Nộp báo cáo" or
// "Nhập báo cáo" sends one request. The clicked button's name and value still travel with the
// form (a hidden copy), since a disabled button is left out of the data a form sends.
(function () {
  var BUSY = "data-pcmt-busy";

  function disable(form, submitter) {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      if (!buttons[i].disabled) {
        buttons[i].disabled = true;
        buttons[i].setAttribute(BUSY, "");
        buttons[i].setAttribute("aria-busy", "true");
      }
    }
    var outside = document.querySelectorAll("[form='" + form.id + "'][type=submit]");
    for (var j = 0; form.id && j < outside.length; j++) {
      outside[j].disabled = true;
      outside[j].setAttribute(BUSY, "");
    }
    form.setAttribute(BUSY, "");
    return submitter;
  }

  function enable(root) {
    var busy = root.querySelectorAll("[" + BUSY + "]");
    for (var i = 0; i < busy.length; i++) {
      busy[i].disabled = false;
      busy[i].removeAttribute(BUSY);
      busy[i].removeAttribute("aria-busy");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute(BUSY)) {
      event.preventDefault(); // the first request is still running
      return;
    }
    var submitter = event.submitter;
    if (submitter && submitter.name && form.contains(submitter)) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.setAttribute(BUSY, "");
      form.appendChild(copy);
    }
    disable(form, submitter);
  });

  // htmx forms: the same while their request runs, enabled again when it ends.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var verb = ((event.detail.requestConfig || {}).verb || "get").toLowerCase();
    var form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && verb !== "get") {
      disable(form, null);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form) {
      enable(form);
      form.removeAttribute(BUSY);
    }
  });

  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      var hidden = document.querySelectorAll("input[type=hidden][" + BUSY + "]");
      for (var i = 0; i < hidden.length; i++) {
        hidden[i].remove();
      }
      enable(document);
      var forms = document.querySelectorAll("form[" + BUSY + "]");
      for (var j = 0; j < forms.length; j++) {
        forms[j].removeAttribute(BUSY);
      }
    }
  });
})();
