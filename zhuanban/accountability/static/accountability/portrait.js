/* 个体责任画像: per task force, the person's tasks stacked as on time / done late / overdue open / open
   (ECharts), from the json_script "portrait-data" written by accountability/portrait.html. */
(function () {
  "use strict";
  var holder = document.getElementById("portrait-chart");
  var dataEl = document.getElementById("portrait-data");
  if (!holder || !dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  if (!d.names.length) { holder.textContent = "暂无任务"; holder.style.height = "auto"; return; }
  var chart = echarts.init(holder);
  function s(name, data, color) { return { name: name, type: "bar", stack: "t", data: data, itemStyle: { color: color }, barMaxWidth: 28 }; }
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: d.names, axisLabel: { width: 140, overflow: "truncate" } },
    series: [s("按时办结", d.on_time, "#198754"), s("超时办结", d.late, "#fd7e14"),
             s("逾期未办结", d.overdue_open, "#dc3545"), s("在办", d.open, "#adb5bd")]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
