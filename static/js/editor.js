// The article editor: a Markdown toolbar with shortcuts, image uploads (button, drag-and-drop,
// paste) that ask for a description, the media library, and a live word count.
// Plain script, no inline code (the admin's Content-Security-Policy allows our files only).
// Without it, markdownx's textarea and preview work as before (images/templates/images/editor.html).
(function () {
  "use strict";

  // ---- Requests --------------------------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Resolves to {ok, status, data}; rejects only when the site could not be reached.
  function send(url, options) {
    options = options || {};
    var headers = { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" };
    if (options.method === "POST") {
      headers["X-CSRFToken"] = csrfToken();
    }
    if (options.json) {
      headers["Content-Type"] = "application/json";
    }
    return fetch(url, {
      method: options.method || "GET",
      body: options.json ? JSON.stringify(options.json) : options.body,
      headers: headers,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function describeUrl(template, id) {
    return template.replace(/\/0\/describe\/$/, "/" + id + "/describe/");
  }

  // ---- Editing the text ------------------------------------------------------------------

  // Replace start..end with text, keeping the browser's undo history where it can.
  function replaceRange(textarea, start, end, text, selectStart, selectEnd) {
    var expected = textarea.value.slice(0, start) + text + textarea.value.slice(end);
    textarea.focus();
    textarea.setSelectionRange(start, end);
    var done = false;
    try {
      done = text ? document.execCommand("insertText", false, text) : document.execCommand("delete");
    } catch (error) {
      done = false;
    }
    if (!done || textarea.value !== expected) {
      textarea.value = expected;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(selectStart, selectEnd);
  }

  function wrap(textarea, marker, placeholder) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var size = marker.length;
    var selected = value.slice(start, end);
    // Pressed again on what it just wrapped: unwrap.
    if (value.slice(start - size, start) === marker && value.slice(end, end + size) === marker) {
      replaceRange(textarea, start - size, end + size, selected, start - size, end - size);
      return;
    }
    // "**word **" is not bold in Markdown: the markers go around the words, not the spaces.
    var lead = selected.match(/^\s*/)[0];
    var trail = selected.slice(lead.length).match(/\s*$/)[0];
    var core = selected.slice(lead.length, selected.length - trail.length) || placeholder;
    var from = start + lead.length + size;
    replaceRange(textarea, start, end, lead + marker + core + marker + trail, from, from + core.length);
  }

  function link(textarea) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end).trim();
    if (/^(https?:\/\/|mailto:)\S+$/.test(selected)) {
      replaceRange(textarea, start, end, "[link text](" + selected + ")", start + 1, start + 10);
      return;
    }
    var words = selected || "link text";
    var text = "[" + words + "](https://)";
    var urlAt = start + words.length + 3;
    replaceRange(textarea, start, end, text, urlAt, urlAt + "https://".length);
  }

  var LINE_MARKS = {
    heading: { pattern: /^#{1,6} /, mark: function () { return "## "; } },
    quote: { pattern: /^> ?/, mark: function () { return "> "; } },
    bullets: { pattern: /^[-*+] /, mark: function () { return "- "; } },
    numbers: { pattern: /^\d+[.)] /, mark: function (n) { return n + ". "; } },
  };
  var ANY_MARK = /^(#{1,6} |> ?|[-*+] |\d+[.)] )/;

  // Headings, quotes and lists work on whole lines; pressed again, they come off.
  function markLines(textarea, kind) {
    var rule = LINE_MARKS[kind];
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var last = end > start && value.charAt(end - 1) === "\n" ? end - 1 : end;
    var lineEnd = value.indexOf("\n", last);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    var lines = value.slice(lineStart, lineEnd).split("\n");
    var filled = lines.filter(function (line) { return line.trim(); });
    var remove = filled.length > 0 && filled.every(function (line) { return rule.pattern.test(line); });
    var count = 0;
    var text = lines.map(function (line) {
      if (remove) {
        return line.replace(rule.pattern, "");
      }
      if (!line.trim() && lines.length > 1) {
        return line;
      }
      count += 1;
      return rule.mark(count) + line.replace(ANY_MARK, "");
    }).join("\n");
    // Python-Markdown needs a blank line between a paragraph and a list, quote or heading.
    var before = value.slice(0, lineStart);
    var after = value.slice(lineEnd);
    var pre = !remove && before && !/\n\n$/.test(before) && !rule.pattern.test(lastLine(before)) ? "\n" : "";
    var post = !remove && after && !/^\n\n/.test(after) && !rule.pattern.test(after.slice(1)) ? "\n" : "";
    var replacement = pre + text + post;
    var caret = lineStart + pre.length + text.length;
    replaceRange(textarea, lineStart, lineEnd, replacement, lines.length > 1 ? lineStart + pre.length : caret, caret);
  }

  function lastLine(text) {
    var trimmed = text.replace(/\n$/, "");
    return trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  }

  // Enter in a list item starts the next item; in an empty item, it ends the list.
  function continueList(textarea) {
    var start = textarea.selectionStart;
    if (start !== textarea.selectionEnd) {
      return false;
    }
    var value = textarea.value;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var line = value.slice(lineStart, start);
    var match = line.match(/^(\s*)([-*+]|(\d+)[.)]) (.*)$/);
    if (!match) {
      return false;
    }
    if (!match[4].trim()) {
      replaceRange(textarea, lineStart, start, "", lineStart, lineStart);
      return true;
    }
    var mark = match[3] ? parseInt(match[3], 10) + 1 + match[2].slice(-1) : match[2];
    var text = "\n" + match[1] + mark + " ";
    replaceRange(textarea, start, start, text, start + text.length, start + text.length);
    return true;
  }

  // An image goes on a line of its own, with a blank line before and after it, where the
  // caret was when the image was asked for (a closing dialog may move the caret to the start).
  function insertBlock(textarea, block, at) {
    at = Math.min(at, textarea.value.length);
    var before = textarea.value.slice(0, at);
    var after = textarea.value.slice(at);
    var pre = !before || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var post = /^\n\n/.test(after) ? "" : /^\n/.test(after) || !after ? "\n" : "\n\n";
    var text = pre + block + post;
    replaceRange(textarea, at, at, text, at + text.length, at + text.length);
  }

  // ---- Dialogs ---------------------------------------------------------------------------

  var dialogs = {};

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attributes[name];
      } else {
        node.setAttribute(name, attributes[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  // Made once, outside the admin's form, so their own forms and Enter key are theirs.
  function describeDialog() {
    if (dialogs.describe) {
      return dialogs.describe;
    }
    var dialog = element("dialog", { class: "md-dialog md-describe", "aria-labelledby": "md-describe-title" }, [
      element("form", { method: "dialog" }, [
        element("h2", { id: "md-describe-title", text: "Describe this image" }),
        element("img", { class: "md-describe-preview", alt: "" }),
        element("label", { for: "md-description", text: "Description (required)" }),
        element("p", {
          class: "help", id: "md-description-help",
          text: "What the image shows, for readers who cannot see it, e.g. “A physiotherapist guiding a patient through a hip stretch”.",
        }),
        element("textarea", {
          id: "md-description", rows: "3", maxlength: "250", "aria-describedby": "md-description-help md-describe-error",
        }),
        element("p", { class: "md-dialog-error", id: "md-describe-error", role: "alert" }),
        element("div", { class: "md-dialog-buttons" }, [
          element("button", { type: "submit", class: "button default md-insert", value: "insert", text: "Insert image" }),
          element("button", { type: "button", class: "button md-cancel", text: "Cancel" }),
        ]),
      ]),
    ]);
    document.body.appendChild(dialog);
    dialogs.describe = dialog;
    return dialog;
  }

  // Ask for an image's description and save it to the library; resolves to the image or null.
  function askDescription(image, describeTemplate, label) {
    var dialog = describeDialog();
    var form = dialog.querySelector("form");
    var input = dialog.querySelector("#md-description");
    var error = dialog.querySelector(".md-dialog-error");
    var insert = dialog.querySelector(".md-insert");
    dialog.querySelector(".md-describe-preview").src = image.thumb || image.url;
    insert.textContent = label || "Insert image";
    input.value = image.description || "";
    error.textContent = "";
    return new Promise(function (resolve) {
      var busy = false;
      function finish(result) {
        form.removeEventListener("submit", onSubmit);
        dialog.removeEventListener("cancel", onCancel);
        dialog.querySelector(".md-cancel").removeEventListener("click", onCancel);
        input.removeEventListener("keydown", onKey);
        if (dialog.open) {
          dialog.close();
        }
        resolve(result);
      }
      function onSubmit(event) {
        event.preventDefault();
        var description = input.value.replace(/\s+/g, " ").trim();
        if (!description) {
          error.textContent = "Describe the image first: readers who cannot see it hear this instead.";
          input.focus();
          return;
        }
        if (busy) {
          return;
        }
        busy = true;
        send(describeUrl(describeTemplate, image.id), { method: "POST", json: { description: description } })
          .then(function (result) {
            busy = false;
            if (result.ok) {
              finish(result.data);
            } else {
              error.textContent = result.data.error || "The description could not be saved (error " + result.status + ").";
            }
          }, function () {
            busy = false;
            error.textContent = "The site could not be reached; check the connection and try again.";
          });
      }
      function onCancel(event) {
        event.preventDefault();
        finish(null);
      }
      // Enter inserts (as the button does); Shift+Enter is still a new line.
      function onKey(event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          form.requestSubmit(insert);
        }
      }
      form.addEventListener("submit", onSubmit);
      dialog.addEventListener("cancel", onCancel);
      dialog.querySelector(".md-cancel").addEventListener("click", onCancel);
      input.addEventListener("keydown", onKey);
      dialog.showModal();
      input.focus();
    });
  }

  function libraryDialog() {
    if (dialogs.library) {
      return dialogs.library;
    }
    var dialog = element("dialog", { class: "md-dialog md-library", "aria-labelledby": "md-library-title" }, [
      element("form", { method: "dialog", role: "search" }, [
        element("h2", { id: "md-library-title", text: "Choose from the library" }),
        element("label", { for: "md-library-search", text: "Search descriptions and captions" }),
        element("input", { type: "search", id: "md-library-search", autocomplete: "off" }),
      ]),
      element("p", { class: "md-library-status", role: "status" }),
      element("ul", { class: "md-library-grid" }),
      element("div", { class: "md-dialog-buttons" }, [
        element("button", { type: "button", class: "button md-cancel", text: "Close" }),
      ]),
    ]);
    document.body.appendChild(dialog);
    dialogs.library = dialog;
    return dialog;
  }

  // Show the library; resolves to the chosen image (described by then) or null.
  function chooseFromLibrary(pickerUrl, describeTemplate, purpose) {
    var dialog = libraryDialog();
    var search = dialog.querySelector("#md-library-search");
    var grid = dialog.querySelector(".md-library-grid");
    var status = dialog.querySelector(".md-library-status");
    var title = dialog.querySelector("#md-library-title");
    title.textContent = purpose === "featured" ? "Choose the featured image" : "Choose from the library";
    search.value = "";
    var timer = null;
    var latest = 0;

    function load() {
      var ticket = (latest += 1);
      status.textContent = "Loading…";
      send(pickerUrl + "?q=" + encodeURIComponent(search.value.trim())).then(function (result) {
        if (ticket !== latest) {
          return;
        }
        grid.textContent = "";
        var images = (result.data && result.data.images) || [];
        if (!result.ok) {
          status.textContent = "The library could not be loaded (error " + result.status + ").";
          return;
        }
        status.textContent = images.length
          ? images.length + (images.length === 1 ? " image" : " images")
          : search.value.trim() ? "No image matches." : "The library is empty: upload an image first.";
        images.forEach(function (image) {
          var name = image.description || "Not described yet";
          var button = element("button", { type: "button", class: "md-library-item", "data-id": String(image.id) }, [
            element("img", { src: image.thumb, alt: "", loading: "lazy" }),
            element("span", { class: "md-library-name", text: name }),
            element("span", { class: "md-library-size", text: image.width + " × " + image.height }),
          ]);
          button.addEventListener("click", function () {
            choose(image);
          });
          grid.appendChild(element("li", {}, [button]));
        });
      }, function () {
        status.textContent = "The site could not be reached; check the connection and try again.";
      });
    }

    return new Promise(function (resolve) {
      var chosen = null;
      function onInput() {
        clearTimeout(timer);
        timer = setTimeout(load, 250);
      }
      function onClose(event) {
        if (event) {
          event.preventDefault();
        }
        finish();
      }
      function finish() {
        search.removeEventListener("input", onInput);
        dialog.removeEventListener("cancel", onClose);
        dialog.querySelector(".md-cancel").removeEventListener("click", onClose);
        dialog.querySelector("form").removeEventListener("submit", onSearch);
        if (dialog.open) {
          dialog.close();
        }
        resolve(chosen);
      }
      function onSearch(event) {
        event.preventDefault();
        clearTimeout(timer);
        load();
      }
      choose = function (image) {
        if (image.description) {
          chosen = image;
          finish();
          return;
        }
        // A description is required first: asked for here, saved to the library for next time.
        dialog.close();
        askDescription(image, describeTemplate, purpose === "featured" ? "Use this image" : "Insert image").then(function (described) {
          chosen = described;
          finish();
        });
      };
      search.addEventListener("input", onInput);
      dialog.addEventListener("cancel", onClose);
      dialog.querySelector(".md-cancel").addEventListener("click", onClose);
      dialog.querySelector("form").addEventListener("submit", onSearch);
      grid.textContent = "";
      dialog.showModal();
      search.focus();
      load();
    });
  }
  var choose = function () {};

  // ---- One editor ------------------------------------------------------------------------

  function wordCount(preview) {
    var words = 0;
    var walker = document.createTreeWalker(preview, NodeFilter.SHOW_TEXT);
    // As the server counts (markup.render.html_to_text): every tag separates words, and the
    // headings' permalink signs are not words.
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest(".headerlink")) {
        words += walker.currentNode.nodeValue.split(/\s+/).filter(Boolean).length;
      }
    }
    return words;
  }

  function setUp(root) {
    var textarea = root.querySelector("textarea");
    var toolbar = root.querySelector(".md-toolbar");
    var markdownx = root.querySelector(".markdownx");
    var preview = root.querySelector(".markdownx-preview");
    var counts = root.querySelector(".md-counts");
    var progress = root.querySelector(".md-progress");
    var errorBox = root.querySelector(".md-error");
    var fileInput = root.querySelector(".md-file");
    var uploadUrl = textarea.getAttribute("data-markdownx-upload-urls-path");
    var pickerUrl = root.getAttribute("data-picker-url");
    var describeTemplate = root.getAttribute("data-describe-url");
    var perMinute = parseInt(root.getAttribute("data-words-per-minute"), 10) || 220;
    var queue = Promise.resolve();

    toolbar.hidden = false;
    counts.hidden = false;
    preview.setAttribute("aria-label", "Preview");
    preview.setAttribute("role", "region");

    var actions = {
      bold: function () { wrap(textarea, "**", "bold text"); },
      italic: function () { wrap(textarea, "_", "italic text"); },
      heading: function () { markLines(textarea, "heading"); },
      link: function () { link(textarea); },
      bullets: function () { markLines(textarea, "bullets"); },
      numbers: function () { markLines(textarea, "numbers"); },
      quote: function () { markLines(textarea, "quote"); },
      library: function () {
        var at = textarea.selectionEnd;
        chooseFromLibrary(pickerUrl, describeTemplate, "body").then(function (image) {
          if (image) {
            insertBlock(textarea, image.markdown, at);
            say("Inserted “" + image.description + "”.");
          } else {
            textarea.focus();
          }
        });
      },
    };

    function say(message) {
      progress.textContent = message;
    }

    function fail(message) {
      progress.textContent = "";
      // Emptied first, so the same message twice is announced twice.
      errorBox.textContent = "";
      window.setTimeout(function () { errorBox.textContent = message; }, 30);
    }

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (button) {
        actions[button.getAttribute("data-md")]();
      }
    });

    // A toolbar is one stop for Tab; the arrow keys move along it.
    toolbar.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") {
        return;
      }
      var tools = Array.prototype.slice.call(toolbar.querySelectorAll("button, input"));
      var at = tools.indexOf(document.activeElement);
      if (at === -1) {
        return;
      }
      event.preventDefault();
      var next = (at + (event.key === "ArrowRight" ? 1 : tools.length - 1)) % tools.length;
      tools[next].focus();
    });

    textarea.addEventListener("keydown", function (event) {
      var plain = !(event.ctrlKey || event.metaKey || event.altKey || event.shiftKey);
      if (event.key === "Enter" && plain && !event.isComposing && continueList(textarea)) {
        event.preventDefault();
        return;
      }
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      var action = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        actions[action]();
      }
    });

    function uploadOne(file) {
      errorBox.textContent = "";
      say("Uploading “" + file.name + "”…");
      var data = new FormData();
      data.append("image", file);
      return send(uploadUrl, { method: "POST", body: data }).then(function (result) {
        if (!result.ok) {
          var reasons = (result.data && result.data.image) || [];
          var reason = reasons.join(" ") || {
            403: "Your session may have ended: sign in again in another tab, then retry.",
            413: "The file is too large for the server to accept.",
          }[result.status] || "The server could not take it (error " + result.status + ").";
          fail("“" + file.name + "” was not uploaded. " + reason);
          return;
        }
        say("“" + file.name + "” is uploaded: describe it to insert it.");
        var at = textarea.selectionEnd;
        return askDescription(result.data, describeTemplate).then(function (image) {
          if (image) {
            insertBlock(textarea, image.markdown, at);
            say("Inserted “" + image.description + "”.");
          } else {
            say("“" + file.name + "” is in the media library but was not inserted: it needs a description.");
            textarea.focus();
          }
        });
      }, function () {
        fail("“" + file.name + "” was not uploaded: the site could not be reached. Check the connection and try again.");
      });
    }

    function upload(files) {
      Array.prototype.forEach.call(files, function (file) {
        queue = queue.then(function () { return uploadOne(file); });
      });
    }

    fileInput.addEventListener("change", function () {
      var files = Array.prototype.slice.call(fileInput.files);
      fileInput.value = "";
      upload(files);
    });

    // Caught on the way down, before markdownx's own handlers (which would insert "Invalid
    // response" when an upload fails).
    markdownx.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        event.stopPropagation();
        upload(event.dataTransfer.files);
      }
    }, true);
    markdownx.addEventListener("paste", function (event) {
      if (event.clipboardData && event.clipboardData.files.length) {
        event.preventDefault();
        event.stopPropagation();
        upload(event.clipboardData.files);
      }
    }, true);

    function updateCounts() {
      var words = wordCount(preview);
      root.querySelector(".md-words").textContent = words.toLocaleString("en") + (words === 1 ? " word" : " words");
      root.querySelector(".md-minutes").textContent = Math.max(1, Math.ceil(words / perMinute)) + " min read";
    }
    markdownx.addEventListener("markdownx.update", updateCounts);
    updateCounts();
  }

  // ---- The featured image's "choose from library" ----------------------------------------

  function setUpChoice(root) {
    var select = root.querySelector("select");
    var button = root.querySelector(".media-choice-open");
    var thumb = root.querySelector(".media-choice-thumb");
    var alt = document.getElementById("id_featured_image_alt");
    button.hidden = false;
    button.addEventListener("click", function () {
      chooseFromLibrary(root.getAttribute("data-picker-url"), root.getAttribute("data-describe-url"), "featured").then(function (image) {
        if (!image) {
          button.focus();
          return;
        }
        var value = String(image.id);
        var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
        if (!option) {
          option = new Option(image.description, value);
          select.add(option);
        }
        option.textContent = image.description + " (" + image.width + " × " + image.height + ")";
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        thumb.src = image.thumb;
        thumb.hidden = false;
        if (alt && !alt.value.trim()) {
          alt.value = image.description;
        }
        button.focus();
      });
    });
    select.addEventListener("change", function () {
      if (!select.value) {
        thumb.hidden = true;
      }
    });
  }

  function start() {
    document.querySelectorAll(".md-editor").forEach(setUp);
    document.querySelectorAll(".media-choice").forEach(setUpChoice);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
