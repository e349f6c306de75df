/* 经费保障: budget vs spent per budget line (ECharts bars), from the json_script "ledger-data" written by
   funds/tab.html. */
(function () {
  "use strict";
  var holder = document.getElementById("ledger-chart");
  var dataEl = document.getElementById("ledger-data");
  if (!holder || !dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  if (!d.names.length) { holder.style.display = "none"; return; }
  var chart = echarts.init(holder);
  var yuan = function (v) { return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); };
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return yuan(v) + " 元"; } },
    legend: { data: ["预算", "已支出"], top: 0 },
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.names, axisLabel: { interval: 0, overflow: "truncate", width: 72 } },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return v >= 10000 ? (v / 10000) + "万" : v; } } },
    series: [
      { name: "预算", type: "bar", data: d.budget, itemStyle: { color: "#9ec5fe" } },
      { name: "已支出", type: "bar", data: d.spent, itemStyle: { color: "#0d6efd" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
