// The search result and social card beside the article form, redrawn as staff type, with the
// same warnings the server gives (articles/seo.py preview_warnings: keep them in step).
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("seo-preview");
    var form = box && box.closest("form");
    if (!form) {
      return;
    }
    var titleChars = parseInt(box.dataset.titleChars, 10);
    var descriptionChars = parseInt(box.dataset.descriptionChars, 10);

    function value(name) {
      var el = form.elements.namedItem(name);
      return el && el.tagName && typeof el.value === "string" ? el.value.trim() : "";
    }

    function part(name) {
      return box.querySelector("[data-preview='" + name + "']");
    }

    function cut(text, chars) {
      return text.length > chars ? text.slice(0, chars - 1).trimEnd() + "…" : text;
    }

    // Roughly what the site's excerpt takes from the body: the text without Markdown marks.
    function plain(markdown) {
      return markdown
        .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/^[#>\-*+\d.\s]+/gm, "")
        .replace(/[*_`]/g, "")
        .replace(/\s+/g, " ")
        .trim();
    }

    function hasImage() {
      var input = form.elements.namedItem("featured_image");
      var clear = form.elements.namedItem("featured_image-clear");
      if (clear && clear.checked) {
        return false;
      }
      return Boolean(box.dataset.image) || Boolean(input && input.files && input.files.length);
    }

    function redraw() {
      var title = value("title");
      var written = value("meta_description") || value("excerpt");
      var description = written || plain(value("body"));
      part("title").textContent = title ? cut(title, titleChars) : "(no title yet)";
      part("description").textContent = cut(description, descriptionChars);
      part("card-title").textContent = title || "(no title yet)";
      part("card-description").textContent = cut(description, 200);

      var warnings = [];
      if (title.length > titleChars) {
        warnings.push(
          "The title has " + title.length + " characters: search results show about " +
            titleChars + ", so its end will be cut."
        );
      }
      if (!written) {
        warnings.push(
          "No description: write one (or an excerpt), or search engines and shared links " +
            "show the start of the text."
        );
      }
      if (hasImage() && !value("featured_image_alt")) {
        warnings.push("The featured image has no description for readers who cannot see it.");
      }
      var list = part("warnings");
      var now = Array.prototype.map.call(list.children, function (li) {
        return li.textContent;
      });
      if (now.join("\n") !== warnings.join("\n")) {
        list.replaceChildren.apply(
          list,
          warnings.map(function (text) {
            var li = document.createElement("li");
            li.textContent = text;
            return li;
          })
        );
      }
    }

    form.addEventListener("input", redraw);
    form.addEventListener("change", redraw);
    redraw();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
