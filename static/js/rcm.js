// Behaviour for every page, kept out of the templates so the Content-Security-Policy can forbid
// inline script: a <select data-submit-on-change> submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
    field.form.submit();
  }
});

// A checkbox with data-check-all="NAME" ticks or clears every checkbox named NAME on the page
// (the queues' "select all on this page").
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.dataset.checkAll) {
    document.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((each) => {
      each.checked = box.checked;
    });
  }
});
