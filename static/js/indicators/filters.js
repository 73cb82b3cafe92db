// Province picker on report pages: go to the chosen province's page, keeping the other filters.
document.addEventListener("change", function (event) {
  var select = event.target.closest("[data-province-nav]");
  if (!select) return;
  var params = new URLSearchParams(window.location.search);
  params.delete("province_pick");
  params.delete("province");
  params.delete("element");
  var query = params.toString();
  window.location.href = select.value + (query ? "?" + query : "");
});
