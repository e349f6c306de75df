/* 信息报送 trend: the sum of one numeric field per period and the number filed (ECharts), from the
   json_script "trend-data" written by reports/aggregate.html. */
(function () {
  "use strict";
  var holder = document.getElementById("report-trend");
  var dataEl = document.getElementById("trend-data");
  if (!holder || !dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  if (!d.periods.length) { holder.textContent = "暂无已报送数据"; return; }
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [d.label + "合计", "已报数"] },
    grid: { left: 48, right: 48, top: 32, bottom: 56 },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 18 }],
    xAxis: { type: "category", data: d.periods },
    yAxis: [{ type: "value", name: d.label }, { type: "value", name: "已报数" }],
    series: [
      { name: d.label + "合计", type: "line", data: d.sums, showSymbol: false },
      { name: "已报数", type: "bar", yAxisIndex: 1, data: d.filed, itemStyle: { opacity: 0.35 } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
