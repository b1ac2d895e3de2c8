/* The reporter's entry form: file names in the page's language; confirm before submitting. */
(function () {
  "use strict";

  function showChosenFiles(input) {
    var out = input.parentNode.querySelector(".wf-file-names");
    if (!out) return;
    var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
    out.textContent = names.length ? out.dataset.many + ": " + names.join(", ") : out.dataset.none;
  }

  function fillDialog(dialog, form) {
    dialog.querySelectorAll("[data-from]").forEach(function (cell) {
      var field = form.querySelector("#" + cell.dataset.from);
      var text = field ? field.value.trim() : "";
      cell.textContent = text || "—";
    });
    var list = dialog.querySelector("[data-files]");
    list.querySelectorAll("li.wf-new").forEach(function (item) { item.remove(); });
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.className = "wf-new";
        item.textContent = file.name;
        list.appendChild(item);
      });
    });
  }

  function confirmBeforeSubmit(button) {
    var dialog = document.getElementById(button.dataset.confirm);
    var form = button.form;
    if (!dialog || !form || typeof dialog.showModal !== "function") return;
    var confirmed = false;
    button.addEventListener("click", function (event) {
      if (confirmed) return;
      event.preventDefault();
      fillDialog(dialog, form);
      dialog.showModal();
    });
    dialog.querySelector("[data-confirm-yes]").addEventListener("click", function () {
      confirmed = true;
      dialog.close();
      form.requestSubmit(button);
    });
    dialog.querySelector("[data-confirm-no]").addEventListener("click", function () {
      dialog.close();
    });
  }

  document.querySelectorAll("input.wf-file-input").forEach(function (input) {
    input.addEventListener("change", function () { showChosenFiles(input); });
  });
  document.querySelectorAll("button[data-confirm]").forEach(confirmBeforeSubmit);
})();
