// Meetings pages: copy the .ics subscription link; show the weekday / Nth-workday field the chosen
// recurrence needs.  (CSP: no inline scripts.)
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var input = document.getElementById(btn.getAttribute("data-copy-target"));
      if (!input) return;
      input.select();
      var done = function () { btn.textContent = btn.getAttribute("data-copied") || "已复制"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  });
  var rec = document.getElementById("series-recurrence");
  if (rec) {
    var sync = function () {
      document.querySelectorAll("[data-recurrence]").forEach(function (el) {
        el.classList.toggle("d-none", el.getAttribute("data-recurrence") !== rec.value);
      });
    };
    rec.addEventListener("change", sync);
    sync();
  }
  // The members list is rendered once (a <template>) and copied into each substitute picker, instead of
  // once per attendance row on the server (rows × members options made the page slow).
  var options = document.getElementById("member-options");
  if (options) {
    document.querySelectorAll("select[data-member-options]").forEach(function (sel) {
      var exclude = sel.getAttribute("data-exclude");
      var current = sel.value;
      options.content.querySelectorAll("option").forEach(function (opt) {
        if (opt.value === exclude || opt.value === current) return;
        sel.appendChild(opt.cloneNode(true));
      });
    });
  }
  document.querySelectorAll("[data-attendance-status]").forEach(function (sel) {
    var row = sel.closest("tr");
    var sync = function () {
      row.querySelectorAll("[data-absent-only]").forEach(function (el) {
        el.classList.toggle("d-none", sel.value !== "absent");
      });
    };
    sel.addEventListener("change", sync);
    sync();
  });
})();
