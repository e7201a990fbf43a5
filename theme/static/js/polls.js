/* Polls: a page built while a poll was open may still be served after it
   ends. This swaps each poll past its data-poll-end for the placeholder the
   build would now show, at load and at the moment it ends. Without
   JavaScript the built page stays as it is, and `invoke polls` refreshes it. */
(function () {
  "use strict";
  if (!document.body.classList.contains("js-enabled")) return;
  var list = document.querySelector("[data-polls-empty-text]");
  if (!list) return;
  var LONGEST_TIMEOUT = 2147483647; // setTimeout's limit, about 24 days

  function endOf(poll) {
    return Date.parse(poll.getAttribute("data-poll-end"));
  }

  function removeExpiredPolls() {
    var now = Date.now();
    var open = [];
    list.querySelectorAll("[data-poll-end]").forEach(function (poll) {
      if (endOf(poll) <= now) poll.remove();
      else open.push(endOf(poll));
    });
    if (open.length === 0) {
      var empty = document.createElement("p");
      empty.className = "app-polls__empty";
      empty.textContent = list.getAttribute("data-polls-empty-text");
      list.replaceWith(empty);
      return;
    }
    var next = Math.min.apply(null, open) - now;
    setTimeout(removeExpiredPolls, Math.min(next + 1000, LONGEST_TIMEOUT));
  }

  removeExpiredPolls();
})();
