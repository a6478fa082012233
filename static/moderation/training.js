// While a site model training runs, asks the server for its step every two seconds and shows
// it; once it has finished, reloads the page to show the result. Without scripts, the page
// refreshes itself (a <noscript> refresh) and has a "Refresh" link.
(function () {
  var progress = document.getElementById("training-progress");
  var step = document.getElementById("training-step");
  if (!progress || !step) { return; }
  function poll() {
    fetch(progress.dataset.progressUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.in_progress) { window.location.reload(); return; }
        step.textContent = state.step;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
