// The policy form's "Preview": post the draft in the background and show the what-if in place.
// Without JavaScript the button submits the form, and the page comes back with the same report.
(function () {
  "use strict";
  const button = document.getElementById("whatif-preview");
  if (!button || !window.fetch || !window.DOMParser) return;
  button.addEventListener("click", async function (event) {
    const form = button.form;
    event.preventDefault();
    const data = new FormData(form);
    data.append(button.name, button.value);
    button.disabled = true;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
      });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const report = page.getElementById("whatif-report");
      if (!response.ok || !report) {
        form.requestSubmit(button);  // errors in the draft: show the whole form with them
        return;
      }
      const current = document.getElementById("whatif-report");
      if (current) current.replaceWith(report);
      else document.getElementById("whatif-preview-row").after(report);
    } catch (error) {
      form.requestSubmit(button);
    } finally {
      button.disabled = false;
    }
  });
})();
