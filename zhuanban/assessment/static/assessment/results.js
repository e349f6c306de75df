/* 考核结果: a horizontal stacked bar per subject (the 30 best), one segment per source of points (data,
   each evaluator type), from the json_script "assessment-chart-data" written by assessment/results.html. */
(function () {
  "use strict";
  var holder = document.getElementById("assessment-chart");
  var dataEl = document.getElementById("assessment-chart-data");
  if (!holder || !dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  if (!d.labels.length) { holder.textContent = "暂无结果"; return; }
  var chart = echarts.init(holder);
  var labels = d.labels.slice().reverse();
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 96, right: 24, top: 32, bottom: 24 },
    xAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max)); }, name: "分" },
    yAxis: { type: "category", data: labels },
    series: d.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", data: s.data.slice().reverse(), emphasis: { focus: "series" } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
