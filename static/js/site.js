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
