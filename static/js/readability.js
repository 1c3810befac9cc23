// The article form's readability panel (articles/readability.py): redrawn as staff type, from
// the server's measure of the text (debounced; the same numbers the article list shows after
// saving). Without JavaScript the panel shows the saved text's numbers.
(function () {
  "use strict";

  var DELAY = 600;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(panel, data) {
    var field = function (name) { return panel.querySelector('[data-field="' + name + '"]'); };
    field("grade").textContent = data.grade === null ? "—" : data.grade.toFixed(1);
    field("smog").textContent = data.smog === null ? "— (needs 3 sentences)" : data.smog.toFixed(1);
    field("target").textContent = data.target;
    field("verdict").textContent = data.grade === null ? "" : data.above_target
      ? "Above the target: shorter sentences and everyday words will help."
      : "At or under the target.";
    var longest = field("longest");
    longest.replaceChildren();
    data.longest.forEach(function (sentence) {
      var item = el("li", sentence.long ? "readability-long" : "");
      item.appendChild(sentence.long ? el("mark", "", sentence.text) : document.createTextNode(sentence.text));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "readability-count", "(" + sentence.words + " words" +
        (sentence.long ? ": over " + data.long_words : "") + ")"));
      longest.appendChild(item);
    });
    if (!data.longest.length) longest.appendChild(el("li", "", "No sentences yet."));
    var glossary = field("glossary");
    glossary.replaceChildren();
    if (!data.glossary.length) {
      glossary.appendChild(el("p", "readability-none", "None."));
    } else {
      var list = el("dl");
      data.glossary.forEach(function (entry) {
        list.appendChild(el("dt", "", entry.term));
        list.appendChild(el("dd", "", entry.explanation));
      });
      glossary.appendChild(list);
    }
  }

  function start(panel) {
    var form = panel.closest("form");
    var body = form && form.querySelector("#id_body");
    if (!body) return;
    var timer = null;
    var sent = 0;
    function measure() {
      var number = ++sent;
      var data = new FormData();
      data.append("content", body.value);
      fetch(panel.dataset.analyseUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        // An older answer arriving late never overwrites a newer one.
        if (result && number === sent) draw(panel, result);
      }).catch(function () {});
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(measure, DELAY);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".readability[data-analyse-url]").forEach(start);
  });
})();
