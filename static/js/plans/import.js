// Review of a plan import. Every edit carries the draft's version (optimistic locking): the
// summary panel holds the current one (#draft-version, refreshed out-of-band after each htmx
// edit), and both htmx requests and ordinary form posts send that value.
(function () {
  function currentVersion() {
    var input = document.getElementById("draft-version");
    return input ? input.value : null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var version = currentVersion();
    if (version !== null && event.detail.parameters) {
      event.detail.parameters["version"] = version;
    }
  });
  document.addEventListener("submit", function (event) {
    var version = currentVersion();
    var field = event.target.querySelector && event.target.querySelector("input[name=version]");
    if (version !== null && field && field.id !== "draft-version") {
      field.value = version;
    }
  }, true);
})();
