// Entry grid: Enter / arrow keys move between cells like a spreadsheet; the draft saves itself a
// moment after typing stops ("Đã lưu lúc hh:mm"), a failed save leaves every typed text in place
// and says so; the list of remaining problems jumps to (scrolls to and focuses) each cell; warn
// before leaving with unsaved changes. No inline scripts (CSP): loaded by reporting/entry.html.
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry-grid]");
  if (!form) { return; }
  var cells = Array.prototype.slice.call(form.querySelectorAll("[data-cell]"));
  var dirty = false;

  function rowOf(el) { return el.closest("tr"); }
  function colOf(el) { return el.getAttribute("data-col"); }

  // The next cell in the same column, going down (step 1) or up (step -1); else the next cell at all.
  function vertical(el, step) {
    var i = cells.indexOf(el);
    for (var j = i + step; j >= 0 && j < cells.length; j += step) {
      if (colOf(cells[j]) === colOf(el) && rowOf(cells[j]) !== rowOf(el)) { return cells[j]; }
    }
    var k = i + step;
    return k >= 0 && k < cells.length ? cells[k] : null;
  }

  function horizontal(el, step) {
    var k = cells.indexOf(el) + step;
    return k >= 0 && k < cells.length ? cells[k] : null;
  }

  function focus(target) {
    if (!target) { return; }
    target.focus();
    if (target.select && target.tagName === "INPUT") { target.select(); }
  }

  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.hasAttribute || !el.hasAttribute("data-cell")) { return; }
    var key = event.key;
    var isInput = el.tagName === "INPUT";
    if (key === "Enter") {
      event.preventDefault();
      focus(vertical(el, event.shiftKey ? -1 : 1));
    } else if (key === "ArrowDown" && el.tagName !== "SELECT") {
      event.preventDefault();
      focus(vertical(el, 1));
    } else if (key === "ArrowUp" && el.tagName !== "SELECT") {
      event.preventDefault();
      focus(vertical(el, -1));
    } else if (key === "ArrowRight" && (!isInput || el.selectionStart === el.value.length)) {
      event.preventDefault();
      focus(horizontal(el, 1));
    } else if (key === "ArrowLeft" && (!isInput || el.selectionEnd === 0)) {
      event.preventDefault();
      focus(horizontal(el, -1));
    }
  });

  // — jumping to a cell from the list of problems (any width: the grid scrolls in its own box) —
  function jump(id) {
    var target = document.getElementById(id);
    if (!target) { return false; }
    var list = document.querySelector("[data-entry-problems] details");
    target.scrollIntoView({ block: "center", inline: "center" });
    target.focus({ preventScroll: true });
    if (target.select && target.tagName === "INPUT") { target.select(); }
    if (list) { list.setAttribute("data-last-jump", id); }
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-jump]") : null;
    if (link && jump(link.getAttribute("data-jump"))) { event.preventDefault(); }
  });

  // — autosave —
  var url = form.getAttribute("data-autosave");
  var status = form.querySelector("[data-autosave-status]");
  var problems = document.querySelector("[data-entry-problems]");
  var version = form.querySelector("input[name=version]");
  var DELAY = 1500, RETRY = 15000;
  var timer = null, running = false, again = false, halted = false, edits = 0;

  function say(text, tone) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "small " + (tone === "danger" ? "text-danger fw-semibold" : "text-muted");
  }

  function markInvalid(invalid) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-cell-error]"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-typed-error]"), function (el) {
      if (!invalid[el.name]) {
        el.classList.remove("is-invalid");
        el.removeAttribute("aria-invalid");
        el.removeAttribute("data-typed-error");
      }
    });
    Object.keys(invalid).forEach(function (name) {
      var el = form.querySelector("[name='" + name + "']");
      if (!el) { return; }
      el.classList.add("is-invalid");
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("data-typed-error", "");
      var msg = document.createElement("div");
      msg.className = "cell-msg text-danger";
      msg.setAttribute("data-cell-error", name);
      msg.setAttribute("data-testid", "error-" + el.id);
      msg.textContent = invalid[name];
      el.insertAdjacentElement("afterend", msg);
    });
  }

  // A copy of what was typed and not yet saved stays in this browser (localStorage) until a save
  // takes it: a closed tab or a failed save loses nothing. It is put back only onto the same
  // version of the report it was typed on (if someone saved since, it is dropped, not forced in).
  var KEY = url ? "pcmt:entry:" + url : null;
  var unsaved = {};

  function keep() {
    if (!KEY) { return; }
    try {
      if (Object.keys(unsaved).length) {
        window.localStorage.setItem(KEY, JSON.stringify({ base: version.value, values: unsaved }));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) { /* storage full or disabled: the page itself still holds the text */ }
  }

  function restore() {
    var copy = null;
    try { copy = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { copy = null; }
    if (!copy || !copy.values) { return 0; }
    if (copy.base !== version.value) { window.localStorage.removeItem(KEY); return 0; }
    var count = 0;
    Object.keys(copy.values).forEach(function (name) {
      var el = form.querySelector("[name='" + name + "']");
      if (el && el.value !== copy.values[name]) {
        el.value = copy.values[name];
        unsaved[name] = copy.values[name];
        count += 1;
      }
    });
    if (!count) { window.localStorage.removeItem(KEY); }
    return count;
  }

  function save() {
    if (halted) { return; }
    if (running) { again = true; return; }
    running = true;
    var sent = edits;
    var data = new FormData(form);
    data.set("action", "save");
    say("Đang lưu…");
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if ((response.headers.get("Content-Type") || "").indexOf("json") < 0) {
          // signed out (the login page came back) or a server error page
          return { saved: false, message: "Chưa lưu tự động: phiên đăng nhập đã hết hạn hoặc máy chủ lỗi. " +
            "Số liệu vẫn còn trên màn hình; mở trang đăng nhập ở thẻ khác rồi bấm «Lưu nháp»." };
        }
        return response.json();
      })
      .then(function (body) {
        if (!body.saved) {
          halted = true;  // a conflict or a closed form: the person decides, nothing is overwritten
          say(body.message || "Chưa lưu tự động.", "danger");
          return;
        }
        version.value = body.version;
        if (edits === sent) { dirty = false; unsaved = {}; }
        keep();
        say("Đã lưu lúc " + body.saved_at + (Object.keys(body.invalid).length ? " (ô nhập chưa đúng được giữ nguyên)" : ""));
        markInvalid(body.invalid);
        if (problems) {
          var open = problems.querySelector("details[open]");
          problems.innerHTML = body.problems_html;
          var list = problems.querySelector("details");
          if (list && open) { list.setAttribute("open", ""); }
        }
      })
      .catch(function () {
        // Nothing typed is touched; the page still warns before leaving and tries again.
        say("Chưa lưu được (mất kết nối?). Số liệu vẫn còn trên màn hình; sẽ thử lại.", "danger");
        clearTimeout(timer);
        timer = setTimeout(save, RETRY);
      })
      .then(function () {
        running = false;
        if (again) { again = false; save(); }
      });
  }

  form.addEventListener("input", function (event) {
    dirty = true;
    edits += 1;
    if (event.target && event.target.name && event.target.name !== "version") {
      unsaved[event.target.name] = event.target.value;
      keep();
    }
    if (!url || halted) { return; }
    say("Có thay đổi chưa lưu…");
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  });
  form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); halted = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  if (KEY) {
    var restored = restore();
    if (restored) {
      dirty = true;
      say("Đã khôi phục " + restored + " ô gõ lúc trước chưa lưu; đang lưu…");
      timer = setTimeout(save, 300);
    }
  }

  // Focus the first cell with a problem, else leave the page as it is.
  var invalid = form.querySelector("[aria-invalid=true], .is-invalid");
  if (invalid) { invalid.focus({ preventScroll: window.innerWidth < 576 }); }
}());
