/* Optional enhancement: the site works the same without it.
   Code blocks and tables that scroll sideways become keyboard-focusable, so people who
   don't use a mouse can scroll them with the arrow keys. */
(function () {
  "use strict";
  var selector = ".entry-content pre, .entry-content table";

  function update() {
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  update();
})();

/* Phones: the header's menu and search field open from the toggles beside the site's name.
   Without JavaScript a toggle is an in-page anchor (CSS :target shows what it points to); here
   it becomes a disclosure button that says whether its part is open, and opening the search
   moves the focus into its field. */
(function () {
  "use strict";
  document.querySelectorAll(".header-toggle").forEach(function (toggle) {
    var part = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!part) return;
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");

    function setOpen(open) {
      part.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      var field = open && part.querySelector("input");
      if (field) field.focus();
    }

    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        setOpen(toggle.getAttribute("aria-expanded") !== "true");
      }
    });
    part.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && part.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  });
})();
