// The staff side: small enhancements; every page works without this file.
(function () {
  "use strict";

  // select2 (the admin's autocomplete boxes) draws its own search box and combobox, which
  // carry no name: give them the text of the field's own label.
  function labelFor(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameSelect2Boxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var name = labelFor(select);
      if (!name || !container || !container.classList.contains("select2")) {
        return;
      }
      container.querySelectorAll(".select2-search__field").forEach(function (input) {
        if (input.getAttribute("aria-label") !== name) {
          input.setAttribute("aria-label", name);
        }
      });
      container.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (box) {
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", name);
        }
      });
    });
  }

  function start() {
    nameSelect2Boxes();
    // select2 redraws its search box on every change.
    new MutationObserver(nameSelect2Boxes).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
}());
