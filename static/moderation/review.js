// Keyboard shortcuts for the review screen. Every action is also a plain form button.
(function () {
  var screen = document.getElementById("review-screen");
  if (!screen) { return; }
  var help = document.getElementById("shortcuts");
  var toggle = document.getElementById("help-toggle");
  var approve = document.getElementById("approve-form");
  var confirmForm = document.getElementById("confirm-form");
  var reject = document.getElementById("reject-form");
  var reasons = document.getElementById("reject-reasons");
  // An appeal's item: "a" grants it, "r" upholds the decision (no reason to choose).
  var grant = document.getElementById("appeal-grant");
  var uphold = document.getElementById("appeal-uphold");
  var choosingReason = false;

  function showHelp(shown) {
    if (!help) { return; }
    help.hidden = !shown;
    if (toggle) { toggle.setAttribute("aria-expanded", String(shown)); }
  }
  function toggleHelp() { if (help) { showHelp(help.hidden); } }
  if (toggle) { toggle.addEventListener("click", toggleHelp); }

  function startReject() {
    choosingReason = true;
    if (reasons) { reasons.classList.add("ri-choosing"); reasons.scrollIntoView({block: "center"}); }
  }
  function cancel() {
    choosingReason = false;
    if (reasons) { reasons.classList.remove("ri-choosing"); }
    showHelp(false);
  }
  function chooseReason(key) {
    var radio = reject.querySelector('input[data-key="' + key + '"]');
    if (!radio) { return; }
    radio.checked = true;
    if (radio.value === "other") {
      var text = document.getElementById("reason-text");
      text.focus();  // Enter submits once the reason is written
      return;
    }
    reject.submit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" && event.target.type === "text" || tag === "textarea") {
      if (event.key === "Escape") { event.target.blur(); cancel(); }
      return;
    }
    if (choosingReason && /^[1-9]$/.test(event.key)) { event.preventDefault(); chooseReason(event.key); return; }
    switch (event.key) {
      case "a":
        if (grant) { event.preventDefault(); grant.form.requestSubmit(grant); }
        else if (approve) { event.preventDefault(); approve.submit(); }
        break;
      case "c": if (confirmForm) { event.preventDefault(); confirmForm.submit(); } break;
      case "r":
        if (uphold) { event.preventDefault(); uphold.form.requestSubmit(uphold); }
        else if (reject) { event.preventDefault(); startReject(); }
        break;
      case "j": if (screen.dataset.next) { window.location.search = screen.dataset.next; } break;
      case "k": if (screen.dataset.previous) { window.location.search = screen.dataset.previous; } break;
      case "?": toggleHelp(); break;
      case "Escape": cancel(); break;
    }
  });
})();
