/* 挂图作战: the Gantt of a task force's tasks (frappe-gantt), from the json_script "gantt-data".
   Managers drag a bar to reschedule; the new dates are PATCHed to /api/v1/tasks/{id} with the task's
   version, so a stale chart gets a 409 and the page asks to reload instead of overwriting. */
(function () {
  "use strict";
  var holder = document.getElementById("gantt");
  var dataEl = document.getElementById("gantt-data");
  if (!holder || !dataEl || typeof Gantt === "undefined") return;
  var data = JSON.parse(dataEl.textContent);
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
  function say(text, cls) {
    if (!status) return;
    status.textContent = text;
    status.className = "small " + (cls || "");
  }
  var gantt;
  // frappe-gantt puts the bar label in with innerHTML: hand it escaped text, never markup from a title.
  function escapeHtml(text) {
    var scratch = document.createElement("div");
    scratch.textContent = text == null ? "" : String(text);
    return scratch.innerHTML;
  }
  function render() {
    holder.innerHTML = "";
    gantt = new Gantt(holder, data.tasks.map(function (t) {
      return { id: t.id, name: escapeHtml(t.name), start: t.start, end: t.end, progress: t.progress,
               dependencies: t.dependencies, custom_class: t.custom_class };
    }), {
      view_mode: "Week",
      language: "zh",
      readonly: !data.can_reschedule,
      readonly_progress: true,
      popup: false,
      on_date_change: function (task, start, end) {
        var t = byId[task.id];
        if (!t) return;
        say("正在保存……");
        fetch(data.api + t.pk, {
          method: "PATCH",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          body: JSON.stringify({ version: t.version, start_at: iso(start), due_at: iso(end) })
        }).then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
        }).then(function (res) {
          if (res.ok) {
            t.version = res.body.version;
            say("已调整“" + t.name + "”：" + iso(start) + " 至 " + iso(end), "text-success");
            holder.dispatchEvent(new CustomEvent("zb:rescheduled", { detail: res.body }));
          } else {
            say((res.body && res.body.message) || "保存失败", "text-danger");
          }
        }).catch(function () { say("网络错误，未保存", "text-danger"); });
      }
    });
  }
  // The Gantt sits in a hidden tab at first; draw it when the tab is shown (sizes need layout).
  var tab = document.querySelector('[data-bs-target="#pane-gantt"]');
  var drawn = false;
  function draw() { if (!drawn) { drawn = true; render(); } }
  if (tab) tab.addEventListener("shown.bs.tab", draw);
  if (document.getElementById("pane-gantt").classList.contains("active")) draw();
})();
