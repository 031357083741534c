// Kabar article page: anonymous counters (a view, a share) and "copy link".
(function () {
  var story = document.querySelector("[data-article]");
  if (!story) return;
  var id = story.getAttribute("data-article");
  var endpoint = "/kabar/hitung/";
  function count(metric) {
    var body = new FormData();
    body.append("a", id);
    body.append("m", metric);
    if (navigator.sendBeacon) navigator.sendBeacon(endpoint, body);
    else fetch(endpoint, { method: "POST", body: body, keepalive: true });
  }
  count("view");
  document.querySelectorAll("[data-share]").forEach(function (el) {
    el.addEventListener("click", function () {
      var metric = el.getAttribute("data-share");
      count(metric);
      if (metric === "share_copy") {
        var url = el.getAttribute("data-url");
        if (navigator.clipboard) navigator.clipboard.writeText(url);
        el.textContent = "✓";
      }
    });
  });
})();
