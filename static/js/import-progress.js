// The import page while its job runs: asks the server for the progress every two seconds, shows it in
// the page's status region (read out by screen readers: role="status"), and reloads the page for the
// result when the job has ended. A static file because the CSP allows no inline script.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  var text = box.querySelector("[data-progress-text]");
  var bar = box.querySelector("[data-progress-bar]");
  var url = box.getAttribute("data-url");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (!state.running) {
          window.location.reload();
          return;
        }
        if (text.textContent.trim() !== state.text) {
          text.textContent = state.text;
        }
        if (state.total) {
          bar.max = state.total;
          bar.value = state.done;
        }
        bar.textContent = state.done + "/" + state.total;
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // the server is busy or restarting: try again a little later
      });
  }

  window.setTimeout(poll, 1000);
})();
