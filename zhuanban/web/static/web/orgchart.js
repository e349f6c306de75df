/* The task force's org chart: an ECharts tree built from the JSON that the page embeds with
   {{ chart|json_script:"orgchart-data" }} (queries.org_chart).  The chart is sized from its labels so
   nothing is clipped; on a phone it is wider than the screen and scrolls sideways in its card. */
(function () {
  "use strict";

  function textWidth(text, fontSize) {
    var width = 0;
    for (var i = 0; i < text.length; i++) {
      width += text.charCodeAt(i) > 255 ? fontSize : fontSize * 0.6;
    }
    return width;
  }

  function measure(node, depth, fontSize, acc) {
    var hasChildren = node.children && node.children.length > 0;
    var w = textWidth(node.name || "", fontSize);
    acc.depth = Math.max(acc.depth, depth);
    if (depth === 0) {
      acc.root = w;
    } else if (hasChildren) {
      acc.inner = Math.max(acc.inner, w);
    } else {
      acc.leaf = Math.max(acc.leaf, w);
    }
    if (!hasChildren) {
      acc.leaves += 1;
    } else {
      node.children.forEach(function (child) { measure(child, depth + 1, fontSize, acc); });
    }
    return acc;
  }

  function render() {
    var holder = document.getElementById("orgchart");
    var source = document.getElementById("orgchart-data");
    if (!holder || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var narrow = window.innerWidth < 576;
    var fontSize = narrow ? 12 : 13;
    var m = measure(data, 0, fontSize, { depth: 0, root: 0, inner: 0, leaf: 0, leaves: 0 });
    var left = m.root + 24;
    var right = m.leaf + 24;
    var gap = Math.max(m.inner + 40, narrow ? 90 : 140);
    var needed = left + right + Math.max(m.depth, 1) * gap;
    var available = holder.parentElement.clientWidth - 8;
    holder.style.width = Math.max(needed, available) + "px";
    holder.style.height = Math.max(300, m.leaves * (narrow ? 36 : 32) + 40) + "px";
    var chart = echarts.init(holder);
    chart.setOption({
      textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
      tooltip: {
        trigger: "item",
        formatter: function (p) { return p.data.value ? p.name + "<br>" + p.data.value : p.name; }
      },
      series: [{
        type: "tree",
        data: [data],
        orient: "LR",
        top: 20, bottom: 20, left: left, right: right,
        symbol: "circle",
        symbolSize: 9,
        initialTreeDepth: -1,
        expandAndCollapse: true,
        itemStyle: { color: "#1f4e8c", borderColor: "#1f4e8c" },
        lineStyle: { color: "#9fb3c8", width: 1.2, curveness: 0.4 },
        // A white backing keeps a label readable where the curves of the next level pass under it.
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: fontSize, color: "#212529",
                 backgroundColor: "#fff", padding: [2, 4], borderRadius: 3 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        emphasis: { focus: "descendant" },
        animationDuration: 300
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
