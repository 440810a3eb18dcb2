/*
 * Confirmation before an irreversible step (issue 12): a form marked `data-confirm="question"` asks in an
 * accessible modal <dialog> before it is sent. Progressive enhancement: without this script the form is
 * sent as it is, and the server's own rules (and, where it has one, its confirmation step) still apply.
 *
 * Keyboard: the dialog opens with focus on the confirming button, so Enter confirms; Escape (or
 * "Avbryt") cancels and returns focus to the button that opened it. The dialog is modal (showModal),
 * so the page behind it is inert for keyboard and screen readers. No inline script or style (strict CSP).
 */
(function () {
  "use strict";

  var dialog = null;

  // The dialog's own words come translated from the page (<body data-confirm-…>), Swedish by default.
  function text_of(name, fallback) {
    return (document.body && document.body.dataset[name]) || fallback;
  }

  function build() {
    var d = document.createElement("dialog");
    d.className = "confirm-dialog";
    d.setAttribute("aria-labelledby", "confirm-dialog-title");
    d.setAttribute("aria-describedby", "confirm-dialog-text");
    var form = document.createElement("form");
    form.method = "dialog";
    var title = document.createElement("h2");
    title.id = "confirm-dialog-title";
    title.textContent = text_of("confirmTitle", "Är du säker?");
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var row = document.createElement("div");
    row.className = "button-row";
    var ok = document.createElement("button");
    ok.type = "submit";
    ok.value = "confirm";
    ok.className = "button";
    var cancel = document.createElement("button");
    cancel.type = "submit";
    cancel.value = "cancel";
    cancel.className = "button button--secondary";
    cancel.textContent = text_of("confirmCancel", "Avbryt");
    row.appendChild(ok);
    row.appendChild(cancel);
    form.appendChild(title);
    form.appendChild(text);
    form.appendChild(row);
    d.appendChild(form);
    document.body.appendChild(d);
    return d;
  }

  function ask(form, submitter) {
    dialog = dialog || build();
    dialog.querySelector("#confirm-dialog-text").textContent = form.getAttribute("data-confirm");
    var ok = dialog.querySelector("button[value=confirm]");
    ok.textContent = form.getAttribute("data-confirm-button") || text_of("confirmOk", "Bekräfta");
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "confirm") {
        form.setAttribute("data-confirmed", "yes");
        if (form.requestSubmit) {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        } else {
          form.submit();
        }
      } else if (submitter) {
        submitter.focus();
      }
    };
    dialog.showModal();
    ok.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    if (form.getAttribute("data-confirmed") === "yes") {
      form.removeAttribute("data-confirmed");
      return;
    }
    if (typeof HTMLDialogElement !== "function") {
      return; // no <dialog>: the form goes as without the script
    }
    event.preventDefault();
    ask(form, event.submitter || null);
  });
})();
