// Moderation buttons (the dashboard and the comment list) without a page reload.
// Without this file the same buttons post their form and the page comes back with a message.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function announce(text) {
    var region = document.getElementById("moderation-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "moderation-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=decision]");
    if (!button || !button.form || !window.fetch) {
      return;
    }
    event.preventDefault();
    var body = new FormData();
    body.append("decision", button.value);
    var buttons = button.closest(".moderation");
    buttons.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(button.formAction, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(button.form) }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      var done = document.createElement("p");
      done.className = "moderation-done";
      done.textContent = answer.message;
      buttons.replaceWith(done);
      var row = done.closest("tr");
      var status = row && row.querySelector(".field-status");
      if (status) {
        status.textContent = answer.label;
      }
      document.querySelectorAll("[data-waiting-count]").forEach(function (count) {
        count.textContent = answer.waiting;
      });
      announce(answer.message);
    }).catch(function () {
      // Let the browser do it the plain way: post the form and show the page that comes back.
      buttons.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      button.form.requestSubmit(button);
    });
  });
}());
