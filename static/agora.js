// Progressive enhancement only: every form works without this file.
(function () {
  // Switch the language as soon as one is picked; the button stays for readers without scripts.
  var select = document.getElementById("language-select");
  var button = document.getElementById("language-submit");
  if (select && button) {
    button.hidden = true;
    select.addEventListener("change", function () { select.form.submit(); });
  }
  // Focus the reply box when a reply form is opened.
  document.querySelectorAll("details.reply").forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) { var box = details.querySelector("textarea"); if (box) { box.focus(); } }
    });
  });
})();
