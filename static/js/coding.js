// The coding form: code typeahead usable from the keyboard alone, rows added and removed,
// code notes under each diagnosis, suggestions added with one click. No framework: htmx
// refreshes the edits panel whenever the form changes ("coding-changed" after our own edits).
(function () {
  "use strict";
  var root = document.getElementById("coding");
  if (!root) return;
  var form = document.getElementById("coding-form");
  var serviceDate = root.dataset.date;

  function changed() { form.dispatchEvent(new Event("coding-changed", { bubbles: true })); }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function showNotes(input) {
    var holder = input.closest(".dx-item");
    if (!holder) return;
    var box = holder.querySelector(".code-notes");
    if (!input.value.trim()) { box.innerHTML = ""; return; }
    var url = root.dataset.notesUrl + "?code=" + encodeURIComponent(input.value.trim()) + "&date=" + serviceDate;
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); })
      .then(function (html) { box.innerHTML = html; });
  }

  // --- typeahead ---------------------------------------------------------------------------
  var menu = document.createElement("div");
  menu.className = "list-group position-absolute shadow-sm";
  menu.style.zIndex = 1000; menu.style.maxHeight = "22rem"; menu.style.overflowY = "auto"; menu.style.minWidth = "32rem";
  menu.setAttribute("role", "listbox");
  menu.id = "code-menu";
  // `asked` numbers the searches: an answer is shown only while its search is the latest one
  // and nothing (Escape, a choice, leaving the field) has closed the list since it was asked.
  var active = null, items = [], selected = -1, timer = null, asked = 0;

  function closeMenu() {
    clearTimeout(timer); asked++;
    if (menu.parentNode) menu.parentNode.removeChild(menu);
    items = []; selected = -1;
    if (active) active.setAttribute("aria-expanded", "false");
  }

  function highlight(index) {
    items.forEach(function (el, i) { el.classList.toggle("active", i === index); el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    selected = index;
    if (items[index]) items[index].scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    var el = items[index];
    if (!el || !active) return;
    active.value = el.dataset.code;
    var input = active;
    closeMenu();
    showNotes(input);
    changed();
  }

  function render(results) {
    menu.innerHTML = ""; items = [];
    results.forEach(function (hit) {
      var el = document.createElement(hit.billable ? "button" : "div");
      el.className = "list-group-item list-group-item-action py-1 small" + (hit.billable ? "" : " text-body-secondary fst-italic");
      el.innerHTML = "<strong>" + escapeHtml(hit.code) + "</strong> " + escapeHtml(hit.description) + (hit.billable ? "" : " <span class='badge text-bg-light'>header</span>");
      if (hit.billable) {
        el.type = "button"; el.dataset.code = hit.code; el.setAttribute("role", "option"); el.tabIndex = -1;
        el.addEventListener("mousedown", function (event) { event.preventDefault(); choose(items.indexOf(el)); });
        items.push(el);
      }
      menu.appendChild(el);
    });
    if (!results.length) menu.innerHTML = "<div class='list-group-item small text-body-secondary'>No match.</div>";
    active.parentNode.appendChild(menu);
    active.setAttribute("aria-expanded", "true");
    highlight(items.length ? 0 : -1);
  }

  function search(input) {
    var q = input.value.trim();
    if (q.length < 2) { closeMenu(); return; }
    var system = input.dataset.system === "cpt" ? "cpt" : "icd10";
    var url = root.dataset.searchUrl + "?system=" + system + "&limit=15&date=" + serviceDate + "&q=" + encodeURIComponent(q);
    var ticket = ++asked;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) {
        // Answers arrive out of order and late: show only the latest search's, for what the
        // field holds now, while the coder is still in it.
        if (ticket !== asked || active !== input || document.activeElement !== input || input.value.trim() !== q) return;
        render(Array.isArray(data) ? data : (data.results || []));
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("code-input")) return;
    active = input;
    clearTimeout(timer);
    timer = setTimeout(function () { search(input); }, 120);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("code-input")) return;
    // Escape also cancels a search not yet answered, so that its answer does not open the list.
    if (event.key === "Escape") { if (menu.parentNode) event.preventDefault(); closeMenu(); return; }
    if (!menu.parentNode) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(selected + 1, items.length - 1)); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(selected - 1, 0)); }
    else if (event.key === "Enter") { if (selected >= 0) { event.preventDefault(); choose(selected); } }
  });

  document.addEventListener("focusout", function (event) {
    var left = event.target;
    if (left.classList && left.classList.contains("code-input")) {
      // Close the list of the field left, not whichever field has one 150 ms later: by then
      // the coder may be typing in the next field, and its list may just have opened.
      setTimeout(function () { if (active === left && document.activeElement !== left) closeMenu(); }, 150);
      if (left.name === "dx") showNotes(left);
    }
  });

  // --- rows --------------------------------------------------------------------------------
  function addDiagnosis(code) {
    var list = document.getElementById("dx-list");
    var empty = Array.prototype.find.call(list.querySelectorAll("input[name=dx]"), function (i) { return !i.value.trim(); });
    if (empty) { empty.value = code || ""; if (code) showNotes(empty); empty.focus(); changed(); return; }
    var n = list.children.length + 1;
    if (n > 12) return;
    var li = list.children[0].cloneNode(true);
    var input = li.querySelector("input");
    input.value = code || ""; input.setAttribute("aria-label", "Diagnosis " + n);
    li.querySelector(".remove-dx").setAttribute("aria-label", "Remove diagnosis " + n);
    li.querySelector(".code-notes").innerHTML = "";
    list.appendChild(li);
    if (code) showNotes(input);
    input.focus();
    changed();
  }

  document.getElementById("add-dx").addEventListener("click", function () { addDiagnosis(""); });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.classList.contains("remove-dx")) {
      var list = document.getElementById("dx-list");
      var li = target.closest("li");
      if (list.children.length > 1) li.remove(); else li.querySelector("input").value = "";
      changed();
    }
    if (target.dataset && target.dataset.addDx) { addDiagnosis(target.dataset.addDx); }
  });

  document.getElementById("add-line").addEventListener("click", function () {
    var body = document.querySelector("#lines tbody");
    var count = document.getElementById("line-count");
    var n = body.children.length + 1;
    var row = body.children[0].cloneNode(true);
    row.dataset.index = n;
    row.children[0].textContent = n;
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/^line-\d+-/, "line-" + n + "-");
      var label = input.getAttribute("aria-label");
      if (label) input.setAttribute("aria-label", label.replace(/^Line \d+/, "Line " + n));
      input.value = input.name.endsWith("-units") ? "1" : (input.name.endsWith("-ptr1") ? "1" : "");
    });
    body.appendChild(row);
    count.value = n;
    row.querySelector(".code-input").focus();
  });

  document.querySelectorAll("input[name=dx]").forEach(function (input) { if (input.value) showNotes(input); });

  // This script runs after the form is shown: what a coder typed into a code field before it
  // ran raised no input event we heard, so search for it now.
  var typing = document.activeElement;
  if (typing && typing.classList && typing.classList.contains("code-input") && typing.value !== typing.defaultValue) {
    active = typing;
    search(typing);
  }
})();
