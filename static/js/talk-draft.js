// Saves what the consultant types into the talk form every few seconds, so a session
// timeout or a closed tab loses nothing. The server keeps one draft per form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = form.querySelector(".draft-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var submitting = false;

  function collect() {
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      if (key in data) {
        data[key] = [].concat(data[key], value);
      } else {
        data[key] = value;
      }
    });
    return data;
  }

  function save() {
    timer = null;
    if (submitting) return Promise.resolve();
    var body = new URLSearchParams();
    body.append("draft_key", form.dataset.draftKey);
    body.append("data", JSON.stringify(collect()));
    return fetch(form.dataset.draftUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.saved && status) {
          status.textContent = (document.documentElement.lang === "sv" ? "Utkast sparat " : "Draft saved ") + answer.at;
        }
      })
      .catch(function () { /* offline: the next change tries again */ });
  }

  // Leaving for the carer picker (a search, or a recent carer) with a save still waiting:
  // save first, so what was typed goes along to the carer's talk form.
  document.querySelectorAll("[data-draft-flush]").forEach(function (element) {
    var leave = element.tagName === "FORM"
      ? function () { element.submit(); }
      : function () { window.location.href = element.href; };
    element.addEventListener(element.tagName === "FORM" ? "submit" : "click", function (event) {
      if (timer === null) return;
      event.preventDefault();
      clearTimeout(timer);
      timer = null;
      save().then(leave, leave);
    });
  });

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });
})();
