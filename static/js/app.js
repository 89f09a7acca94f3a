// Coordina's small progressive enhancements. Everything works without this file; it only saves clicks.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var body = document.body.dataset;
    if (status === 404) { toast(body.textNotFound); }
    else if (status === 403) { toast(body.textForbidden); }
    else if (status === 429) { toast(body.textTooMany); }
    else { toast(body.textError); }
  });
  document.addEventListener("htmx:sendError", function () { toast(document.body.dataset.textOffline); });

  // The menu button (narrow screens): opens and closes the sidebar; Escape closes it and returns focus.
  var toggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      sidebar.classList.toggle("open", open);
      if (open) { var first = sidebar.querySelector("a"); if (first) { first.focus(); } }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && sidebar.classList.contains("open")) {
        sidebar.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // After a swap replaced what had focus, focus lands on its successor (same id), else on the swapped
  // content's [data-focus] element, else on the swapped content itself: never back at the top of the page.
  // (Only when the swap took the focus away: a list refreshing itself on load never moves it.)
  var focusedId = null, targetId = null, lost = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement, target = event.detail.target;
    lost = !!(active && active !== document.body && target && target.contains(active));
    focusedId = lost ? active.id || null : null;
    targetId = target ? target.id || null : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (!lost || (active && active !== document.body)) { return; }
    lost = false;
    var next = focusedId ? document.getElementById(focusedId) : null;
    if (!next && targetId) {
      var target = document.getElementById(targetId);
      if (target) { next = target.querySelector("[data-focus]") || target; }
    }
    if (!next) { return; }
    if (!next.matches("a[href], button, input, select, textarea, [tabindex]")) { next.setAttribute("tabindex", "-1"); }
    next.focus();
  });

  // The live region says what an in-place action did, then clears itself.
  var live = document.getElementById("live");
  if (live && window.MutationObserver) {
    new MutationObserver(function () {
      clearTimeout(live._timer);
      if (live.textContent) { live._timer = setTimeout(function () { live.textContent = ""; }, 6000); }
    }).observe(live, { childList: true, characterData: true, subtree: true });
  }
})();
