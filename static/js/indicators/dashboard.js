// Indicator trend charts: data comes from the page's json_script block (the CSP forbids inline scripts).
(function () {
  var source = document.getElementById("indicator-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var byCode = {};
  data.series.forEach(function (s) { byCode[s.code] = s; });
  var fmt = function (v) {
    if (v === null || v === undefined) return "—";
    return Number(v).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
  };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var s = byCode[el.getAttribute("data-chart")];
    if (!s) return;
    if (s.values.every(function (v) { return v === null; })) {
      el.classList.add("d-none");
      return;
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    var series = [{
      type: "line", data: s.values, connectNulls: false, symbolSize: 6, smooth: false,
      lineStyle: { color: "#7a1f1f", width: 2 }, itemStyle: { color: "#7a1f1f" }, name: s.name
    }];
    if (s.target !== null) {
      series.push({ type: "line", data: s.labels.map(function () { return s.target; }), symbol: "none",
        lineStyle: { color: "#198754", type: "dashed", width: 1 }, itemStyle: { color: "#198754" }, name: "Chỉ tiêu" });
    }
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 8, top: 10, bottom: 22 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: s.labels, axisLabel: { fontSize: 10, hideOverlap: true } },
      yAxis: { type: "value", axisLabel: { fontSize: 10, formatter: fmt }, splitLine: { lineStyle: { color: "#eee" } } },
      series: series
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
