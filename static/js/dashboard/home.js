// Home-page charts (vendored ECharts) and the print button. Data comes from the page's
// json_script block "home-charts" (the CSP forbids inline scripts).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var source = document.getElementById("home-charts");
  if (!source || typeof echarts === "undefined") return;
  var specs = JSON.parse(source.textContent);
  var palette = ["#7a1f1f", "#1a7f37", "#d4a72c", "#3182bd"];
  var fmt = function (v) {
    if (v === null || v === undefined) return "—";
    return Number(v).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
  };
  var charts = [];
  document.querySelectorAll("[data-home-chart]").forEach(function (el) {
    var spec = specs[el.getAttribute("data-home-chart")];
    if (!spec) { el.closest(".card") && el.closest(".card").classList.add("d-none"); return; }
    var horizontal = spec.type === "hbar";
    var valueAxis = { type: "value", max: spec.max, minInterval: spec.unit === "%" ? undefined : 1, axisLabel: { fontSize: 10, formatter: function (v) { return fmt(v) + (spec.unit === "%" ? "%" : ""); } }, splitLine: { lineStyle: { color: "#eee" } } };
    var categoryAxis = { type: "category", data: spec.labels, inverse: horizontal, axisLabel: { fontSize: 10, hideOverlap: !horizontal, interval: horizontal ? 0 : "auto" } };
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: palette,
      legend: spec.series.length > 1 ? { top: 0, textStyle: { fontSize: 10 }, itemHeight: 8 } : undefined,
      grid: { left: horizontal ? 120 : 40, right: 12, top: spec.series.length > 1 ? 22 : 8, bottom: 20 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + (spec.unit ? " " + spec.unit : ""); } },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return { type: spec.type === "line" ? "line" : "bar", name: s.name, data: s.values, stack: s.stack, symbolSize: 5, connectNulls: false, barMaxWidth: 18 };
      })
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
