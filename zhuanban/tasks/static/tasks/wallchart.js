/* 挂图作战: the Gantt of a task force's tasks (frappe-gantt), from the json_script "gantt-data".
   Managers drag a bar to reschedule; the new dates are PATCHed to /api/v1/tasks/{id} with the task's
   version, so a stale chart gets a 409 and the page asks to reload instead of overwriting. */
(function () {
  "use strict";
  var holder = document.getElementById("gantt");
  var dataEl = document.getElementById("gantt-data");
  if (!holder || !dataEl || typeof Gantt === "undefined") return;
  var data = JSON.parse(dataEl.textContent);
  // Rows come as arrays under one header (views.gantt_json); rebuild the objects the chart works with.
  data.tasks = data.rows.map(function (row) {
    var t = {};
    data.cols.forEach(function (col, i) { t[col] = row[i]; });
    t.id = "t" + t.pk;
    t.url = data.url.replace("{}", t.pk);
    t.custom_class = "zb-light-" + t.light;
    return t;
  });
  var status = document.getElementById("gantt-status");
  var byId = {};
  data.tasks.forEach(function (t) { byId[t.id] = t; });
  if (!data.tasks.length) {
    holder.textContent = "暂无带日期的任务";
    return;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var h = document.body.getAttribute("hx-headers");
    try { return JSON.parse(h)["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function iso(d) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function say(text, cls, reload) {
    if (!status) return;
    status.textContent = text;
    status.className = "small " + (cls || "");
    if (reload) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary ms-2";
      button.setAttribute("data-testid", "gantt-reload");
      button.textContent = "刷新挂图";
      button.addEventListener("click", function () { window.location.reload(); });
      status.appendChild(button);
    }
  }
  var gantt;
  // frappe-gantt puts the bar label in with innerHTML: hand it escaped text, never markup from a title.
  function escapeHtml(text) {
    var scratch = document.createElement("div");
    scratch.textContent = text == null ? "" : String(text);
    return scratch.innerHTML;
  }
  // The CSP allows no inline style.  frappe-gantt sets a few (the rest-day fill, a hatch pattern) as
  // style attributes on SVG elements; while it draws, those go through the CSSOM instead (allowed), and
  // markup it writes into SVG groups loses its style attributes (the stylesheet colours rest days).
  function cspSafe(paint) {
    var setAttribute = SVGElement.prototype.setAttribute;
    var inner = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML");
    SVGElement.prototype.setAttribute = function (name, value) {
      if (String(name).toLowerCase() === "style") { this.style.cssText = value; return; }
      return setAttribute.call(this, name, value);
    };
    Object.defineProperty(SVGGElement.prototype, "innerHTML", {
      configurable: true, get: inner.get,
      set: function (markup) { inner.set.call(this, String(markup).replace(/\sstyle="[^"]*"/g, "")); }
    });
    try { paint(); } finally {
      SVGElement.prototype.setAttribute = setAttribute;
      delete SVGGElement.prototype.innerHTML;
    }
  }
  var viewMode = "Week";
  var restDays = {};
  (data.rest_days || []).forEach(function (day) { restDays[day] = true; });
  function render() {
    cspSafe(paintChart);
    names();
  }
  // The names column: one line per bar, level with it (the chart scrolls sideways, the names stay).
  var namesList = document.getElementById("gantt-names");
  function names() {
    if (!namesList) return;
    namesList.textContent = "";
    var top = namesList.getBoundingClientRect().top;
    var head = document.createElement("li");
    head.className = "zb-head";
    head.textContent = namesList.getAttribute("aria-label");
    var header = holder.querySelector(".grid-header");
    head.style.top = "0px";
    head.style.height = (header ? header.getBoundingClientRect().height : 0) + "px";
    namesList.appendChild(head);
    var rowHeight = (gantt && gantt.options) ? gantt.options.bar_height + gantt.options.padding : 48;
    data.tasks.forEach(function (t) {
      var bar = holder.querySelector('.bar-wrapper[data-id="' + t.id + '"] .bar');
      if (!bar) return;
      var box = bar.getBoundingClientRect();
      var item = document.createElement("li");
      item.className = "zb-depth-" + Math.min(t.depth || 0, 6);
      item.style.top = (box.top + box.height / 2 - rowHeight / 2 - top) + "px";
      item.style.height = rowHeight + "px";
      var dot = document.createElement("span");
      dot.className = "zb-dot zb-swatch-" + (t.light || "green");
      var link = document.createElement("a");
      link.href = t.url;
      link.textContent = t.name;
      link.title = t.name;
      var who = document.createElement("span");
      who.className = "zb-who";
      who.textContent = t.who || "";
      item.appendChild(dot);
      item.appendChild(link);
      item.appendChild(who);
      namesList.appendChild(item);
    });
    namesList.style.height = holder.getBoundingClientRect().height + "px";
  }
  function paintChart() {
    holder.innerHTML = "";
    gantt = new Gantt(holder, data.tasks.map(function (t) {
      return { id: t.id, name: escapeHtml(t.name), start: t.start, end: t.end, progress: t.progress,
               dependencies: t.dependencies, custom_class: t.custom_class };
    }), {
      view_mode: viewMode,
      today_button: false,  // ours says 今天 (below)
      // Rest days by the Chinese calendar (holidays, weekends that are not make-up workdays).
      holidays: { "var(--g-weekend-highlight-color)": function (day) { return !!restDays[iso(day)]; } },
      language: "zh",
      readonly: !data.can_reschedule,
      readonly_progress: true,
      // One task moves at a time (its dependants keep their dates), to the day.
      move_dependencies: false,
      snap_at: "1d",
      popup: false,
      on_date_change: function (task, start, end) {
        var t = byId[task.id];
        if (!t) return;
        // Saved when the pointer is let go (once per task, whatever the library reports on the way).
        pending[task.id] = { t: t, start: iso(start), end: iso(end) };
      }
    });
  }
  var pending = {};
  function saveAll() {
    var moves = pending;
    pending = {};
    Object.keys(moves).forEach(function (id) { save(moves[id]); });
  }
  function save(move) {
    var t = move.t, start = move.start, end = move.end;
    if (start === t.start && end === t.end) return;
    say("正在保存……");
    fetch(data.api + t.pk, {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ version: t.version, start_at: start, due_at: end })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; },
                           function () { return { ok: false, status: r.status, body: null }; });
    }).then(function (res) {
      if (res.ok) {
        t.version = res.body.version;
        t.start = start;
        t.end = end;
        say("已调整“" + t.name + "”：" + start + " 至 " + end, "text-success");
        holder.dispatchEvent(new CustomEvent("zb:rescheduled", { detail: res.body }));
      } else {
        // Refused (someone saved the task in between: 409; or a rule): the bar goes back to the dates
        // the server has, and the message says why.
        render();
        var message = (res.body && res.body.message) || "保存失败，任务日期未改变";
        say(message, "text-danger", res.status === 409);
      }
    }).catch(function () { render(); say("网络错误，任务日期未改变", "text-danger", true); });
  }
  // Pointer released anywhere (the drag can end outside the bar): save what the drag settled on.
  document.addEventListener("mouseup", function () { window.setTimeout(saveAll, 0); });
  // 日 / 周 / 月 and 今天.
  var viewButtons = document.querySelectorAll("[data-gantt-view]");
  Array.prototype.forEach.call(viewButtons, function (button) {
    button.addEventListener("click", function () {
      viewMode = button.getAttribute("data-gantt-view");
      Array.prototype.forEach.call(viewButtons, function (b) {
        b.classList.toggle("active", b === button);
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      if (gantt) { cspSafe(function () { gantt.change_view_mode(viewMode); }); names(); }
    });
  });
  var todayButton = document.querySelector("[data-gantt-today]");
  if (todayButton) todayButton.addEventListener("click", function () { if (gantt) gantt.scroll_current(); });
  // The Gantt sits in a hidden tab at first; draw it when the tab is shown (sizes need layout).
  var tab = document.querySelector('[data-bs-target="#pane-gantt"]');
  var drawn = false;
  function draw() { if (!drawn) { drawn = true; render(); } }
  if (tab) tab.addEventListener("shown.bs.tab", draw);
  if (document.getElementById("pane-gantt").classList.contains("active")) draw();
})();
