// Rank order lists: every move, add or remove is one POST. Without scripts the forms post
// and the page reloads; with this script the same forms are sent with fetch, the list is
// replaced in place, the change is announced in the live region and focus stays with the
// row that moved. Rows can also be dragged with a mouse (HTML5 drag and drop), which sends
// the same "move" request with the drop position.
(function () {
  "use strict";

  function container() { return document.getElementById("rank-list"); }
  function announce(text) {
    var status = document.getElementById("rank-status");
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function restoreFocus(key, target) {
    var list = container();
    if (!list) return;
    var el = key ? list.querySelector('[data-focus="' + key + '"]') : null;
    if (!el && target) {
      el = list.querySelector("#rank-" + target + " button") || list.querySelector("#rank-" + target);
    }
    if (!el) el = list.querySelector("button") || list;
    if (el === list) list.setAttribute("tabindex", "-1");
    el.focus();
  }

  function send(action, body, focusKey, target) {
    var list = container();
    if (!list) return Promise.resolve();
    if (list.getAttribute("aria-busy") === "true") return Promise.resolve(); // one at a time
    list.setAttribute("aria-busy", "true");
    return fetch(action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Rank-List": "fragment" },
    }).then(function (response) {
      return response.text().then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#rank-list");
        if (!fresh) { window.location.reload(); return; }
        list.replaceWith(fresh);
        bind();
        announce(fresh.getAttribute("data-announce") || (response.ok ? "Saved." : "Not saved."));
        restoreFocus(focusKey, target);
      });
    }).catch(function () {
      list.removeAttribute("aria-busy");
      announce("The change could not be saved. Check your connection and try again.");
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("rank-form")) return;
    event.preventDefault();
    var button = event.submitter || form.querySelector("button");
    var key = button ? button.getAttribute("data-focus") : null;
    var target = null;
    var row = form.closest(".rank-row");
    if (row && row.dataset.target) target = row.dataset.target;
    if (!target && key && key.indexOf("add-") === 0) target = key.slice(4);
    send(form.action, new FormData(form), key, target);
  }

  function bindDrag(list) {
    var rows = list.querySelectorAll('.rank-rows[data-sortable] > li[draggable="true"]');
    var dragged = null;
    rows.forEach(function (row) {
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.target);
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("dragging");
        rows.forEach(function (r) { r.classList.remove("drop-before", "drop-after"); });
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) return;
        event.preventDefault();
        var after = Number(row.dataset.rank) > Number(dragged.dataset.rank);
        rows.forEach(function (r) { r.classList.remove("drop-before", "drop-after"); });
        row.classList.add(after ? "drop-after" : "drop-before");
      });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === row) return;
        var form = dragged.querySelector("form.rank-form");
        if (!form) return;
        var body = new FormData(form);
        body.set("position", row.dataset.rank);
        var target = dragged.dataset.target;
        var action = list.dataset.base + "/ranks/" + target + "/move";
        dragged = null;
        send(action, body, null, target);
      });
    });
  }

  function bind() {
    var list = container();
    if (list) bindDrag(list);
  }

  document.addEventListener("submit", onSubmit);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
