/* Visit statistics: asks the counter endpoint (data-visit-stats-url) for two
   numbers and shows them formatted the Vietnamese way (27.503.517). The block
   stays hidden unless both arrive as real counts: never a made-up number. */
(function () {
  "use strict";
  if (!document.body.classList.contains("js-enabled")) return;
  var block = document.querySelector("[data-visit-stats-url]");
  if (!block || !window.fetch) return;
  var TIMEOUT_MS = 8000;
  var format = new Intl.NumberFormat("vi-VN");

  // "pageviews.value" reads data.pageviews.value: counters nest their numbers.
  function field(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value !== null && typeof value === "object" ? value[key] : undefined;
    }, data);
  }

  function isCount(value) {
    return typeof value === "number" && Number.isInteger(value) && value >= 0;
  }

  var controller = new AbortController();
  var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
  fetch(block.getAttribute("data-visit-stats-url"), {
    headers: { Accept: "application/json" },
    cache: "no-store",
    credentials: "omit",
    signal: controller.signal
  })
    .then(function (response) {
      if (!response.ok) throw new Error("counter answered " + response.status);
      return response.json();
    })
    .then(function (data) {
      var online = field(data, block.getAttribute("data-online-field"));
      var total = field(data, block.getAttribute("data-total-field"));
      if (!isCount(online) || !isCount(total)) throw new Error("counter sent no counts");
      block.querySelector("[data-visit-stats-online]").textContent = format.format(online);
      block.querySelector("[data-visit-stats-total]").textContent = format.format(total);
      block.hidden = false;
    })
    .catch(function () {
      block.hidden = true;
    })
    .finally(function () {
      clearTimeout(timer);
    });
})();
