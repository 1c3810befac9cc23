// Progressive enhancement: "Reply" moves the comment form under that comment instead of
// opening the reply page; likes update in place. Without JavaScript both links/forms still work.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (respond) {
    var home = respond.parentNode;
    var marker = document.createComment("respond");
    home.insertBefore(marker, respond);
    var form = respond.querySelector("form");
    var replyTo = form.querySelector("input[name=reply_to]");
    var cancel = document.getElementById("cancel-reply");
    var title = document.getElementById("reply-title");
    var originalTitle = title.firstChild.nodeValue;

    document.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-reply-link");
      if (!link) return;
      event.preventDefault();
      var body = link.closest(".comment-body");
      body.parentNode.insertBefore(respond, body.nextSibling);
      replyTo.value = link.getAttribute("data-reply-to");
      title.firstChild.nodeValue = "Reply to " + link.getAttribute("data-reply-name") + " ";
      cancel.hidden = false;
      var first = form.querySelector("input[name=name]") || form.querySelector("textarea");
      if (first) first.focus();
    });

    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      marker.parentNode.insertBefore(respond, marker.nextSibling);
      replyTo.value = "0";
      title.firstChild.nodeValue = originalTitle;
      cancel.hidden = true;
    });
  }

  // The page is the same for every reader (it may come from a cache), so whether this browser
  // liked the article is remembered here, not in the HTML: {liked, likes, at}, where `likes` is
  // the count the server returned for this reader's last like or unlike and `at` the server's
  // time of it. A page whose count was taken before that (data-counted-at) shows that count.
  var storage = function () {
    try { return window.localStorage; } catch (e) { return null; }
  };
  var read = function (key) {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(key)) : null; } catch (e) { return null; }
  };
  var write = function (key, value) {
    var store = storage();
    try { if (store) store.setItem(key, JSON.stringify(value)); } catch (e) { /* full, private */ }
  };

  var likeForm = document.querySelector(".like-form");
  if (likeForm && window.fetch) {
    var key = "backstory:liked:" + likeForm.getAttribute("data-article");
    var base = likeForm.action.replace(/(un)?like\/$/, "");
    var button = likeForm.querySelector("button");
    var countText = document.querySelector(".likes-count");
    var countedAt = parseFloat(countText.getAttribute("data-counted-at")) || 0;
    var state = function () {
      var value = read(key);
      // Older pages stored "1"/"0" (JSON numbers): liked, at an unknown time.
      if (typeof value === "number") return { liked: value === 1, likes: null, at: 0 };
      return value && typeof value === "object" ? value : { liked: false, likes: null, at: 0 };
    };
    var showCount = function (n) {
      countText.textContent = n
        ? n + (n === 1 ? " reader likes this." : " readers like this.")
        : "Be the first to like this.";
    };
    var show = function (current) {
      likeForm.action = base + (current.liked ? "unlike/" : "like/");
      button.textContent = current.liked ? "Liked · Undo" : "Like";
      button.setAttribute("aria-pressed", current.liked ? "true" : "false");
      if (current.likes !== null && current.at > countedAt) showCount(current.likes);
    };
    show(state());
    likeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var liking = !state().liked;
      fetch(base + (liking ? "like/" : "unlike/"), {
        method: "POST", headers: { Accept: "application/json" }, credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (data) {
          var current = { liked: liking, likes: data.likes, at: data.at || 0 };
          write(key, current);
          show(current);
          showCount(data.likes);
        })
        .catch(function () { likeForm.submit(); });
    });
  }

  // A live count under the comment field, with a warning before the limit. Nothing is cut: the
  // server refuses a text that is too long and says by how much.
  var formatNumber = function (n) { return n.toLocaleString("en-GB"); };
  Array.prototype.forEach.call(document.querySelectorAll(".char-count"), function (counter) {
    var field = document.getElementById(counter.getAttribute("data-for"));
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var alert = counter.parentNode.querySelector(".char-count-alert");
    if (!field || !limit) return;
    var said = "";
    var update = function () {
      var used = field.value.length;
      var left = limit - used;
      var level = left < 0 ? "over" : left <= Math.max(100, limit / 10) ? "near" : "";
      counter.className = "helptext char-count" + (level ? " char-count-" + level : "");
      if (left < 0) {
        counter.textContent = formatNumber(used) + " of " + formatNumber(limit) +
          " characters: " + formatNumber(-left) + " too many. Shorten it before posting.";
      } else {
        counter.textContent = formatNumber(used) + " of " + formatNumber(limit) + " characters" +
          (level ? ": " + formatNumber(left) + " left." : ".");
      }
      // Screen readers hear only a change of level, not every keystroke.
      if (alert && level !== said) {
        alert.textContent = level === "over" ? "Your comment is too long."
          : level === "near" ? "Your comment is near the length limit." : "";
        said = level;
      }
    };
    field.addEventListener("input", update);
    update();
  });

  // The health-detail guard: before a comment is posted, the server's detector
  // (comments/health.py, at /comments/check/) is asked whether the text looks like it carries
  // personal health or contact details; its warning goes into the form, with "Edit my comment"
  // and "Post anyway". Without this script, or if the check fails, the server asks the same
  // question as a confirmation step when the comment is posted.
  var clearWarning = function (form) {
    Array.prototype.forEach.call(form.querySelectorAll(".health-warning"), function (old) {
      old.parentNode.removeChild(old);
    });
  };
  Array.prototype.forEach.call(document.querySelectorAll("form.comment-form[data-check]"),
    function (form) {
      if (!window.fetch || !window.FormData) return;
      var sending = false;
      form.addEventListener("submit", function (event) {
        if (sending || (event.submitter && event.submitter.name === "health_ok")) return;
        event.preventDefault();
        var send = function () { sending = true; form.submit(); };
        fetch(form.getAttribute("data-check"), {
          method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
          .then(function (result) {
            clearWarning(form);
            if (!result.findings.length) { send(); return; }
            var holder = document.createElement("div");
            holder.innerHTML = result.html; // the server's own template, its findings escaped
            var warning = holder.querySelector(".health-warning");
            form.querySelector(".form-submit").insertAdjacentElement("beforebegin", warning);
            warning.focus();
          })
          .catch(send);
      });
      form.addEventListener("click", function (event) {
        if (!event.target.closest(".health-edit")) return;
        event.preventDefault();
        clearWarning(form);
        form.querySelector("textarea").focus();
      });
    });

  // A comment that waits (for its writer's confirmation, or for moderation) is shown to its
  // writer only: the page it was posted from left it in this browser (posted.html), and it is
  // shown here in place until it appears for everyone, or for two weeks at most.
  var HELD = "backstory:held";
  var KEEP_MS = 14 * 24 * 3600 * 1000;
  var held = (read(HELD) || []).filter(function (item) {
    return item && item.id && Date.now() - (item.saved || 0) < KEEP_MS;
  });
  var posted = document.getElementById("held-comment");
  if (posted) {
    var item = JSON.parse(posted.textContent);
    item.saved = Date.now();
    held = held.filter(function (other) { return other.id !== item.id; }).concat([item]).slice(-20);
  }
  var section = document.querySelector(".comments[data-article]");
  if (section) {
    // An article's id, or "page-<id>"; copies kept before pages took comments hold a number.
    var target = section.getAttribute("data-article");
    held = held.filter(function (item) {
      if (String(item.article) !== target) return true;
      if (document.getElementById("c" + item.id)) return false; // now public: forget it
      showHeld(section, item);
      return true;
    });
  }
  write(HELD, held);

  function showHeld(section, item) {
    var li = document.createElement("li");
    li.className = "comment comment-held depth-" + (item.level + 1);
    li.id = "c" + item.id;
    var body = document.createElement("article");
    body.className = "comment-body";
    var meta = document.createElement("header");
    meta.className = "comment-meta";
    var name = document.createElement("span");
    name.className = "comment-author";
    name.textContent = item.name;
    var badge = document.createElement("span");
    badge.className = "badge badge-held";
    badge.textContent = item.status === "unconfirmed"
      ? "Waiting for you to confirm your email" : "Awaiting moderation";
    meta.appendChild(name);
    meta.appendChild(badge);
    // Rendered and sanitised by the server when the comment was saved, like every comment.
    var time = document.createElement("span");
    time.className = "comment-date";
    time.innerHTML = item.time;
    meta.appendChild(time);
    var text = document.createElement("div");
    text.className = "comment-text";
    text.innerHTML = item.html;
    var note = document.createElement("p");
    note.className = "comment-held-note";
    note.textContent = "Only you can see this comment, in this browser, until it is approved.";
    body.appendChild(meta);
    body.appendChild(text);
    body.appendChild(note);
    li.appendChild(body);
    var parent = item.parent && document.getElementById("c" + item.parent);
    var list;
    if (parent) {
      list = parent.querySelector(":scope > ol.children");
      if (!list) {
        list = document.createElement("ol");
        list.className = "children";
        parent.appendChild(list);
      }
    } else {
      list = section.querySelector(":scope > ol.comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        section.querySelector(".comments-title").insertAdjacentElement("afterend", list);
      }
    }
    list.appendChild(li);
  }
})();
