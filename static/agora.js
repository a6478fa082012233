// Progressive enhancement only: every form works without this file.
(function () {
  var FOCUS_KEY = "agora-focus-after-load";

  // The language switches only on an explicit action (the button, or Enter on the list), never
  // while a keyboard user moves through the list (WCAG 3.2.2). Focus comes back to the list.
  var select = document.getElementById("language-select");
  if (select) {
    select.form.addEventListener("submit", function () {
      try { sessionStorage.setItem(FOCUS_KEY, select.id); } catch (error) { /* storage off */ }
    });
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.form.requestSubmit(); }
    });
  }

  // Focus the reply box when a reply form is opened.
  document.querySelectorAll("details.reply").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { var box = details.querySelector("textarea"); if (box) { box.focus(); } }
    });
  });

  // Where focus starts on a page that a form sent the reader to: the first field with an error
  // (its error is tied to it, so a screen reader reads it), else the language switcher after a
  // switch, else the comment the address points to (a new comment, reply or report).
  function focusTarget() {
    var remembered = null;
    try {
      remembered = sessionStorage.getItem(FOCUS_KEY);
      sessionStorage.removeItem(FOCUS_KEY);
    } catch (error) { /* storage off */ }
    var invalid = document.querySelector('main [aria-invalid="true"]');
    if (invalid) { return invalid; }
    var formError = document.querySelector("main form .errorlist.nonfield, main form .errors");
    if (formError) { return firstFieldWithError(formError); }
    if (remembered && document.getElementById(remembered)) {
      return document.getElementById(remembered);
    }
    var comment = window.location.hash.match(/^#comment-\d+$/) &&
      document.getElementById(window.location.hash.slice(1));
    if (comment) { comment.tabIndex = -1; return comment; }
    return null;
  }

  // A form-wide error (a wrong password, a reply to a comment that is gone) belongs to the
  // form's first field.
  function firstFieldWithError(error) {
    var field = error.closest("form").querySelector(
      "input:not([type=hidden]):not([disabled]), select, textarea"
    );
    if (!field) { return null; }
    if (!error.id) { error.id = "form-errors"; }
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(error.id) < 0) {
      field.setAttribute("aria-describedby", [error.id].concat(described).join(" "));
    }
    return field;
  }

  // The live status of the reader's own comments awaiting a decision: ask the server, less often
  // as time goes by, until the comment is decided (or an hour has passed). The words change in a
  // polite live region, so a screen reader announces them without moving focus.
  document.querySelectorAll("[data-status-url]").forEach(function (region) {
    var delay = 2000, waited = 0;
    var comment = region.closest(".comment");
    var badge = comment && comment.querySelector("[data-status-badge]");
    function schedule() {
      if (waited > 3600000) { return; }
      waited += delay;
      setTimeout(poll, delay);
      delay = Math.min(delay * 1.5, 60000);
    }
    function show(status) {
      if (region.textContent.trim() !== status.message) { region.textContent = status.message; }
      if (!status.decided) { return schedule(); }
      if (badge) {
        badge.textContent = status.label;
        badge.className = "badge " + (status.published ? "published" : "rejected");
      }
      if (status.published && comment) { comment.classList.remove("unpublished"); }
      // A turned-down comment its author may appeal: the way to the appeal page, at once.
      if (status.appeal_url && !region.parentNode.querySelector(".appeal-link")) {
        var hint = document.createElement("p");
        hint.className = "appeal-link";
        var link = document.createElement("a");
        link.href = status.appeal_url;
        link.textContent = status.appeal_text;
        hint.appendChild(link);
        region.insertAdjacentElement("afterend", hint);
      }
    }
    function poll() {
      if (document.hidden) { return schedule(); }
      fetch(region.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          if (response.status === 404) { return null; }  // logged out, or gone: stop
          if (!response.ok) { throw new Error(response.status); }
          return response.json().then(show);
        })
        .catch(schedule);
    }
    schedule();
  });

  var target = focusTarget();
  if (target) { target.focus(); }
})();
