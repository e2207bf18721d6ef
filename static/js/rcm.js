// Behaviour for every page, kept out of the templates so the Content-Security-Policy can forbid
// inline script: a <select data-submit-on-change> submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
    field.form.submit();
  }
});
