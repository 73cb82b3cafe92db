// Province table: choosing another province opens its own table (the filters stay on this page).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("[data-nav-province]")) { return; }
  window.location.href = select.getAttribute("data-nav-province") + encodeURIComponent(select.value) + "/";
});
