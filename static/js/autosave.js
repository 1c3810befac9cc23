// The article form never loses work: what is typed is kept on the server a few seconds after
// typing stops (articles/autosave.py), the form offers it back when opened again, and leaving
// the page with unsaved changes asks first. The article itself changes only when it is saved.
(function () {
  "use strict";

  var FIELDS = ["title", "slug", "body", "excerpt", "meta_description", "featured_image_alt"];
  var QUIET_MS = 2000; // after typing stops
  var MAX_WAIT_MS = 10000; // while typing goes on

  function start() {
    var box = document.getElementById("autosave");
    var form = box && box.closest("form");
    if (!form) {
      return;
    }
    var status = box.querySelector(".autosave-status");
    var keyInput = box.querySelector("input[name='_autosave_key']");
    var articleId = box.dataset.article ? parseInt(box.dataset.article, 10) : null;

    function field(name) {
      var el = form.elements.namedItem(name);
      return el && el.tagName ? el : null;
    }

    function values() {
      var kept = {};
      FIELDS.forEach(function (name) {
        var el = field(name);
        if (el) {
          kept[name] = el.value;
        }
      });
      return kept;
    }

    var loaded = JSON.stringify(values());
    var lastSent = loaded;
    var otherChange = false; // a choice outside the kept text (category, tags, time)
    var submitting = false;
    var timer = null;
    var firstUnsent = 0;

    function unsaved() {
      return !submitting && (otherChange || JSON.stringify(values()) !== loaded);
    }

    function token() {
      var input = form.querySelector("input[name='csrfmiddlewaretoken']");
      return input ? input.value : "";
    }

    function post(url, data) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
        body: JSON.stringify(data),
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            throw new Error(answer.error || "The server refused it.");
          }
          return answer;
        });
      });
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function send() {
      timer = null;
      firstUnsent = 0;
      var fields = values();
      var text = JSON.stringify(fields);
      if (text === lastSent) {
        return;
      }
      post(box.dataset.autosaveUrl, {
        article: articleId,
        key: keyInput ? keyInput.value : "",
        fields: fields,
      }).then(
        function (answer) {
          lastSent = text;
          say("Autosaved at " + answer.time + ". Save the article to keep the changes in it.");
        },
        function () {
          say("Could not autosave just now: keep this page open and save the article.");
        }
      );
    }

    function typed() {
      var now = Date.now();
      firstUnsent = firstUnsent || now;
      if (timer) {
        clearTimeout(timer);
      }
      var wait = Math.max(0, Math.min(QUIET_MS, firstUnsent + MAX_WAIT_MS - now));
      timer = setTimeout(send, wait);
    }

    form.addEventListener("input", function (event) {
      if (FIELDS.indexOf(event.target.name) >= 0) {
        typed();
      } else {
        otherChange = true;
      }
    });
    form.addEventListener("change", function (event) {
      if (FIELDS.indexOf(event.target.name) < 0) {
        otherChange = true;
      }
    });
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) {
        clearTimeout(timer); // the save itself keeps the text (and retires the autosave)
        timer = null;
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (unsaved()) {
        event.preventDefault();
        event.returnValue = ""; // older browsers need a value to ask
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        submitting = false; // back from the next page: the form is live again
      }
    });

    var offer = box.querySelector("[data-autosave-offer]");
    var data = document.getElementById("autosave-data");
    if (!offer || !data) {
      return;
    }
    var kept = JSON.parse(data.textContent);
    offer.hidden = false;
    offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
      Object.keys(kept).forEach(function (name) {
        var el = field(name);
        if (el && !el.readOnly && !el.disabled) {
          el.value = kept[name];
          // Editors and previews (markdownx, the word count, the search preview) follow input.
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      if (keyInput && offer.dataset.key) {
        keyInput.value = offer.dataset.key; // go on autosaving into the same row
      }
      offer.hidden = true;
      say("Restored the text you were writing. Save the article to keep it.");
      var title = field("title");
      if (title) {
        title.focus();
      }
    });
    offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
      post(box.dataset.discardUrl, {
        article: articleId,
        key: offer.dataset.key || (keyInput ? keyInput.value : ""),
      }).then(
        function () {
          offer.hidden = true;
          say("The autosaved text was discarded.");
        },
        function () {
          say("Could not discard the autosaved text just now.");
        }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
