// Small behaviours the pages used to write inline (onclick=…, hx-on=…). The
// Content-Security-Policy runs scripts from our static files only, so they live
// here and are switched on by data- attributes.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.dataset && el.dataset.autosubmit !== undefined && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-from]");
    if (!button) return;
    var source = document.getElementById(button.dataset.copyFrom);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent);
    }
    if (button.dataset.copied) button.textContent = button.dataset.copied;
  });

  // A box marked data-swap-errors shows the form that came back with its errors
  // (HTTP 400) instead of htmx's default of ignoring error responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var box = detail.target && detail.target.closest && detail.target.closest("[data-swap-errors]");
    if (box && detail.xhr && detail.xhr.status === 400) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
