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
  // liked the article is remembered here, not in the HTML.
  var likeForm = document.querySelector(".like-form");
  if (likeForm && window.fetch) {
    var key = "backstory:liked:" + likeForm.getAttribute("data-article");
    var base = likeForm.action.replace(/(un)?like\/$/, "");
    var button = likeForm.querySelector("button");
    var remembered = function () {
      try { return window.localStorage.getItem(key) === "1"; } catch (e) { return false; }
    };
    var show = function (liked) {
      likeForm.action = base + (liked ? "unlike/" : "like/");
      button.textContent = liked ? "Liked · Undo" : "Like";
      button.setAttribute("aria-pressed", liked ? "true" : "false");
    };
    show(remembered());
    likeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var liking = !remembered();
      fetch(base + (liking ? "like/" : "unlike/"), {
        method: "POST", headers: { Accept: "application/json" }, credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
        .then(function (data) {
          try { window.localStorage.setItem(key, liking ? "1" : "0"); } catch (e) { /* private mode */ }
          show(liking);
          var n = data.likes;
          document.querySelector(".likes-count").textContent = n
            ? n + (n === 1 ? " reader likes this." : " readers like this.")
            : "Be the first to like this.";
        })
        .catch(function () { likeForm.submit(); });
    });
  }
})();
