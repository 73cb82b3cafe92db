// Roadmap chart: approved drug-free share per year against the target and the registered share.
// Data comes from the json_script block "roadmap-data"; the table under the chart has the figures.
(function () {
  var el = document.getElementById("roadmap-chart");
  var source = document.getElementById("roadmap-data");
  if (!el || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: ["#2e7d32", "#7a1f1f", "#8a8a8a"],
    grid: { left: 44, right: 12, top: 16, bottom: 28 },
    xAxis: { type: "category", data: data.years.map(String) },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "Không ma túy (đã phê duyệt)", type: "bar", data: data.drug_free, barMaxWidth: 36 },
      { name: "Chỉ tiêu", type: "line", data: data.target, connectNulls: true, symbolSize: 7, lineStyle: { width: 2 } },
      { name: "Xã đã đăng ký (cộng dồn)", type: "line", data: data.registered, symbolSize: 5,
        lineStyle: { type: "dashed", width: 1.5 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
