/* 考核方案 builder: edits the indicator tree held as JSON in the form's "indicators" textarea (which stays
   the source of truth without JavaScript), shows the weight sum of every level live (green at 100, red
   otherwise) and the evaluator weights' sum, and puts the server's field errors ("indicators[0].children",
   "indicators[1].weight", ...) next to the level or indicator they name. */
(function () {
  "use strict";
  var form = document.getElementById("scheme-form");
  var area = document.getElementById("s-indicators");
  var holder = document.getElementById("tree");
  if (!form || !area || !holder) return;
  var read = function (id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  var errors = read("builder-errors-data") || {};
  var metrics = read("builder-metrics") || [];
  var ruleTypes = read("builder-rules") || [];
  var tree;
  try { tree = JSON.parse(area.value || "[]"); } catch (e) { return; }
  if (!Array.isArray(tree)) return;
  area.classList.add("d-none");

  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function num(v) { var x = parseFloat(v); return isNaN(x) ? 0 : x; }
  function kindOf(node) { return node.children && node.children.length ? "group" : (node.kind || "subjective"); }

  function sync() {
    area.value = JSON.stringify(tree);
    holder.querySelectorAll("[data-level]").forEach(function (s) {
      var list = s._list, total = 0;
      list.forEach(function (n) { total += num(n.weight); });
      var ok = Math.abs(total - 100) < 1e-6;
      s.textContent = "本级权重合计 " + (Math.round(total * 100) / 100) + " / 100" + (ok ? " ✓" : "");
      s.className = "small fw-semibold " + (ok ? "text-success" : "text-danger");
    });
    var ew = 0;
    document.querySelectorAll("input.ew").forEach(function (i) { ew += num(i.value); });
    var out = document.getElementById("ew-sum");
    if (out) {
      out.textContent = "合计 " + (Math.round(ew * 100) / 100) + " / 100";
      out.className = "small fw-normal " + (Math.abs(ew - 100) < 1e-6 ? "text-success" : "text-danger");
    }
  }

  function field(label, input) {
    var wrap = el("div", { "class": "col-auto" });
    var id = "b" + Math.random().toString(36).slice(2, 9);
    input.id = id;
    wrap.appendChild(el("label", { "class": "form-label small mb-0 d-block", "for": id }, label));
    wrap.appendChild(input);
    return wrap;
  }
  function input(node, key, attrs, onChange) {
    var i = el("input", Object.assign({ "class": "form-control form-control-sm" }, attrs));
    i.value = node[key] === undefined || node[key] === null ? "" : node[key];
    i.addEventListener("input", function () {
      node[key] = attrs.type === "number" ? (i.value === "" ? null : num(i.value)) : i.value;
      if (onChange) onChange(i.value);
      sync();
    });
    return i;
  }
  function select(options, value, onChange) {
    var s = el("select", { "class": "form-select form-select-sm" });
    options.forEach(function (o) {
      var opt = el("option", { value: o[0] }, o[1]);
      if (o[0] === value) opt.selected = true;
      s.appendChild(opt);
    });
    s.addEventListener("change", function () { onChange(s.value); });
    return s;
  }
  function stepsText(rule) {
    return (rule.steps || []).map(function (s) { return s.at + ":" + s.pct; }).join(", ");
  }
  function parseSteps(text) {
    return text.split(/[,，]/).map(function (p) { return p.trim(); }).filter(Boolean).map(function (p) {
      var xy = p.split(/[:：]/);
      return { at: num(xy[0]), pct: num(xy[1]) };
    });
  }

  function renderNode(node, list, index, path) {
    var box = el("div", { "class": "border rounded p-2 mb-2 zb-node", "data-path": path, "data-testid": "indicator" });
    var row = el("div", { "class": "row g-2 align-items-end" });
    var name = input(node, "name", { maxlength: "80" });
    name.classList.add("zb-name");
    row.appendChild(field("指标名称", name));
    var weight = input(node, "weight", { type: "number", min: "0", max: "100", step: "any", inputmode: "decimal", "class": "form-control form-control-sm zb-num" });
    row.appendChild(field("权重", weight));
    var kind = kindOf(node);
    row.appendChild(field("类型", select([["group", "分组（含子指标）"], ["objective", "数据计算"], ["subjective", "评价打分"]], kind,
      function (v) {
        if (v === "group") { delete node.kind; node.children = [{ name: "", weight: 100, kind: "subjective", max: 100 }]; }
        else { delete node.children; node.kind = v; if (v === "objective") { node.metric = node.metric || metrics[0][0]; node.rule = node.rule || { type: "linear", worst: 0, best: 100 }; } else { node.max = node.max || 100; } }
        render();
      })));
    if (kind === "objective") {
      row.appendChild(field("计算指标", select(metrics, node.metric, function (v) { node.metric = v; sync(); })));
      var rule = node.rule || (node.rule = { type: "linear", worst: 0, best: 100 });
      row.appendChild(field("评分规则", select(ruleTypes, rule.type, function (v) {
        node.rule = v === "linear" ? { type: v, worst: 0, best: 100 } : v === "rank" ? { type: v, lower_is_better: false }
          : { type: v, steps: [{ at: 90, pct: 100 }, { at: 60, pct: 60 }], "else": 0, lower_is_better: false };
        render();
      })));
      if (rule.type === "linear") {
        row.appendChild(field("最差值（0分）", input(rule, "worst", { type: "number", step: "any", "class": "form-control form-control-sm zb-num" })));
        row.appendChild(field("最好值（满分）", input(rule, "best", { type: "number", step: "any", "class": "form-control form-control-sm zb-num" })));
      } else {
        if (rule.type === "thresholds") {
          var steps = el("input", { "class": "form-control form-control-sm", placeholder: "90:100, 60:60" });
          steps.value = stepsText(rule);
          steps.addEventListener("input", function () { rule.steps = parseSteps(steps.value); sync(); });
          row.appendChild(field("分档（门槛:得分%）", steps));
          row.appendChild(field("未达档得分%", input(rule, "else", { type: "number", min: "0", max: "100", "class": "form-control form-control-sm zb-num-sm" })));
        }
        var lower = el("input", { type: "checkbox", "class": "form-check-input" });
        lower.checked = !!rule.lower_is_better;
        lower.addEventListener("change", function () { rule.lower_is_better = lower.checked; sync(); });
        row.appendChild(field("越小越好", lower));
      }
    } else if (kind === "subjective") {
      row.appendChild(field("满分", input(node, "max", { type: "number", min: "1", max: "1000", step: "any", "class": "form-control form-control-sm zb-num-sm" })));
    }
    var actions = el("div", { "class": "col-auto ms-auto d-flex gap-1" });
    var addChild = el("button", { type: "button", "class": "btn btn-sm btn-outline-secondary", "data-testid": "add-child" }, "+ 子指标");
    addChild.addEventListener("click", function () {
      if (!node.children || !node.children.length) { delete node.kind; delete node.metric; delete node.rule; delete node.max; node.children = []; }
      node.children.push({ name: "", weight: 0, kind: "subjective", max: 100 });
      render();
    });
    var remove = el("button", { type: "button", "class": "btn btn-sm btn-outline-danger", "aria-label": "删除指标" }, "删除");
    remove.addEventListener("click", function () { list.splice(index, 1); render(); });
    actions.appendChild(addChild);
    actions.appendChild(remove);
    row.appendChild(actions);
    box.appendChild(row);
    var mine = Object.keys(errors).filter(function (k) { return k.indexOf(path + ".") === 0 && k.slice(path.length + 1).indexOf("children") !== 0 || k === path; });
    if (mine.length) box.appendChild(el("div", { "class": "text-danger small mt-1", "data-testid": "node-error" }, mine.map(function (k) { return errors[k]; }).join("；")));
    if (node.children && node.children.length) {
      var sub = el("div", { "class": "ms-3 mt-2 ps-2 border-start" });
      renderLevel(node.children, path + ".children", sub);
      box.appendChild(sub);
    }
    return box;
  }

  function renderLevel(list, path, into) {
    list.forEach(function (node, i) { into.appendChild(renderNode(node, list, i, path + "[" + i + "]")); });
    var sum = el("div", { "data-level": path, "data-testid": "level-sum" });
    sum._list = list;
    into.appendChild(sum);
    if (errors[path]) into.appendChild(el("div", { "class": "text-danger small", "data-testid": "level-error" }, errors[path]));
  }

  function render() {
    holder.textContent = "";
    renderLevel(tree, "indicators", holder);
    sync();
  }

  var top = document.querySelector("[data-add-top]");
  if (top) top.addEventListener("click", function () { tree.push({ name: "", weight: 0, kind: "subjective", max: 100 }); render(); });
  document.querySelectorAll("input.ew").forEach(function (i) { i.addEventListener("input", sync); });
  form.addEventListener("submit", function () { area.value = JSON.stringify(tree); });
  render();
}());
