/* Zhuanban web UI: small progressive enhancements.  No inline scripts anywhere (CSP-ready). */
(function () {
  "use strict";

  // Fields marked data-show-if="name=value" are shown only while the named radio/select has that value
  // (e.g. 领导中枢机构 for the leading-core mode, 牵头部门 for the lead-department mode).
  function currentValue(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var el = form.querySelector('[name="' + name + '"]');
    if (!el || el.type === "radio" || el.type === "checkbox") return "";
    return el.value;
  }

  function applyShowIf(root) {
    (root || document).querySelectorAll("[data-show-if]").forEach(function (el) {
      var form = el.closest("form");
      if (!form) return;
      var parts = el.getAttribute("data-show-if").split("=");
      var visible = currentValue(form, parts[0]) === parts[1];
      // A field with an error stays visible, so the message is never hidden from the user.
      if (el.querySelector(".invalid-feedback")) visible = true;
      el.classList.toggle("d-none", !visible);
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.closest("form")) applyShowIf(event.target.closest("form"));
  });
  document.addEventListener("DOMContentLoaded", function () { applyShowIf(document); });
})();
