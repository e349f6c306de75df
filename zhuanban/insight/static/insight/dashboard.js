/* 监测 dashboards (ECharts): the figures come from the json_script "insight-data" written by
   insight/dashboard.html — the same JSON as GET /api/v1/insight/{dashboard}. */
(function () {
  "use strict";
  var dataEl = document.getElementById("insight-data");
  if (!dataEl || typeof echarts === "undefined") return;
  var d = JSON.parse(dataEl.textContent);
  var charts = [];
  var RED = "#dc3545", YELLOW = "#ffc107", GREEN = "#198754", BLUE = "#0d6efd", GREY = "#adb5bd";

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    c.setOption(option);
    charts.push(c);
  }
  function labels(rows) { return rows.map(function (r) { return r.label; }); }
  function counts(rows) { return rows.map(function (r) { return r.count; }); }

  var tf = d.taskforces;
  draw("chart-li", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: "category", data: labels(tf.li) }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: counts(tf.li), itemStyle: { color: BLUE }, label: { show: true, position: "top" } }]
  });
  draw("chart-liu", {
    tooltip: { trigger: "item" }, legend: { bottom: 0, type: "scroll" },
    series: [
      { name: "运作方式", type: "pie", radius: ["30%", "55%"], center: ["28%", "45%"],
        label: { formatter: "{b}\n{c}" },
        data: tf.liu.filter(function (r) { return r.count > 0; }).map(function (r) {
          return { name: r.label, value: r.count, itemStyle: { color: r.warning ? (r.code === "gap_filling" ? YELLOW : RED) : (r.code === "task_assault" ? GREEN : BLUE) } };
        }) },
      { name: "状态", type: "pie", radius: ["30%", "55%"], center: ["75%", "45%"], label: { formatter: "{b}\n{c}" },
        data: tf.status.filter(function (r) { return r.count > 0; }).map(function (r) { return { name: r.label, value: r.count }; }) }
    ]
  });
  var units = d.lights_by_unit.slice().reverse();
  draw("chart-lights", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: units.map(function (u) { return u.unit; }), axisLabel: { width: 120, overflow: "truncate" } },
    series: [
      { name: "红灯", type: "bar", stack: "l", data: units.map(function (u) { return u.red; }), itemStyle: { color: RED } },
      { name: "黄灯", type: "bar", stack: "l", data: units.map(function (u) { return u.yellow; }), itemStyle: { color: YELLOW } },
      { name: "绿灯", type: "bar", stack: "l", data: units.map(function (u) { return u.green; }), itemStyle: { color: GREEN } }
    ]
  });
  var t = d.trend, series = [
    { name: "到期任务", type: "bar", data: t.due, itemStyle: { color: GREY } },
    { name: "完成任务", type: "line", data: t.done, itemStyle: { color: BLUE }, lineStyle: { width: 3 } }
  ];
  if (t.on_time) series.push({ name: "按时完成", type: "line", data: t.on_time, itemStyle: { color: GREEN }, lineStyle: { type: "dashed" } });
  draw("chart-trend", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 32, bottom: 28 },
    xAxis: { type: "category", data: t.weeks }, yAxis: { type: "value", minInterval: 1 }, series: series
  });
  draw("chart-load", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: [{ left: 36, right: "54%", top: 36, bottom: 28 }, { left: "56%", right: 12, top: 36, bottom: 28 }],
    xAxis: [{ type: "category", data: labels(d.load.load), gridIndex: 0, axisLabel: { interval: 0, fontSize: 11 } },
            { type: "category", data: labels(d.load.count), gridIndex: 1, axisLabel: { interval: 0, fontSize: 11 } }],
    yAxis: [{ type: "value", gridIndex: 0, minInterval: 1 }, { type: "value", gridIndex: 1, minInterval: 1 }],
    series: [
      { name: "按工作量合计（人）", type: "bar", data: d.load.load.map(function (r, i) { return { value: r.count, itemStyle: { color: i === 3 ? RED : BLUE } }; }), label: { show: true, position: "top" } },
      { name: "按任职专班数（人）", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: d.load.count.map(function (r, i) { return { value: r.count, itemStyle: { color: i === 3 ? YELLOW : GREEN } }; }), label: { show: true, position: "top" } }
    ]
  });
  var ackEl = document.getElementById("chart-ack");
  if (ackEl && d.figures && d.figures.available && !counts(d.figures.ack_latency).some(function (n) { return n > 0; })) {
    ackEl.classList.remove("insight-chart");
    ackEl.textContent = "暂无须确认接收的通知";
  } else if (d.figures && d.figures.available) {
    draw("chart-ack", {
      tooltip: { trigger: "axis" }, grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: labels(d.figures.ack_latency) }, yAxis: { type: "value", minInterval: 1, name: "专班数" },
      series: [{ type: "bar", data: d.figures.ack_latency.map(function (r, i) { return { value: r.count, itemStyle: { color: [GREEN, BLUE, YELLOW, RED][i] } }; }), label: { show: true, position: "top" } }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
