/* Counts one view of this page, once it is actually shown to a reader.

   No cookie, nothing stored in the browser, nothing sent anywhere but this site. What is sent:
   which article (or which search, and whether it found anything), the host name of the site
   the reader came from (never the full address), and whether the link came from our
   new-article mail (?from=mail). Readers whose browser asks not to be tracked (Do Not Track,
   Global Privacy Control) send nothing at all; the server ignores them too.

   A page loaded in the background (prerendered, or in a tab never looked at) sends nothing
   until it is shown; a page that is never shown is never counted. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-endpoint]");
  if (!script || !script.dataset.endpoint) {
    return;
  }
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true) {
    return;
  }

  var params = new URLSearchParams(window.location.search);
  var fromMail = params.get("from") === "mail";
  var sent = false;

  function referrerHost() {
    if (!document.referrer) {
      return "";
    }
    try {
      var url = new URL(document.referrer);
      if (url.host === window.location.host || !/^https?:$/.test(url.protocol)) {
        return "";
      }
      return url.hostname;
    } catch (error) {
      return "";
    }
  }

  function data() {
    var body = new URLSearchParams();
    if (script.dataset.article) {
      body.append("a", script.dataset.article);
      var host = referrerHost();
      if (host) {
        body.append("r", host);
      }
      if (fromMail) {
        body.append("m", "1");
      }
    } else if (script.dataset.search) {
      body.append("q", script.dataset.search);
      body.append("f", script.dataset.found === "1" ? "1" : "0");
    }
    return body;
  }

  function send() {
    var body = data();
    var delivered = false;
    if (navigator.sendBeacon) {
      try {
        delivered = navigator.sendBeacon(script.dataset.endpoint, body);
      } catch (error) {
        delivered = false;
      }
    }
    if (!delivered && window.fetch) {
      fetch(script.dataset.endpoint, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: true
      }).catch(function () {});
    }
    if (fromMail && window.history.replaceState) {
      // A link copied from the address bar should not count as one from our mail.
      params.delete("from");
      var query = params.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
  }

  function shown() {
    if (sent || document.prerendering || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    document.removeEventListener("visibilitychange", shown);
    document.removeEventListener("prerenderingchange", shown);
    send();
  }

  document.addEventListener("visibilitychange", shown);
  document.addEventListener("prerenderingchange", shown);
  shown();
})();
