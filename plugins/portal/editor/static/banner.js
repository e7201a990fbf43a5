/* The preview's error banner: shown on every preview page and in the editor
   while the last build failed, gone by itself once a build passes. It asks
   the server that sent it for status.json (plugins/portal/editor/status.py)
   now and every two seconds. Served only by the preview and editor servers:
   no build writes it. */
(function () {
  "use strict";

  var FOLDED = "portal-build-banner-folded";
  var base = document.currentScript.src;
  var shownBuild = null;
  var banner = null;

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("banner.css", base).href;
  document.head.appendChild(style);

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function problemItem(problem) {
    var item = element("li", "portal-build-banner__problem");
    var where = element("p", "portal-build-banner__where");
    where.appendChild(element("strong", "portal-build-banner__file", problem.file));
    if (problem.field) where.appendChild(document.createTextNode(" · ô “" + problem.field + "”"));
    if (problem.line) where.appendChild(document.createTextNode(" · dòng " + problem.line));
    item.appendChild(where);
    if (problem.what) item.appendChild(element("p", "portal-build-banner__what", problem.what + " " + problem.fix));
    item.appendChild(element("p", "portal-build-banner__message", problem.message));
    return item;
  }

  function show(state) {
    if (state.ok) {
      if (banner) banner.remove();
      banner = null;
      shownBuild = null;
      return;
    }
    if (banner && shownBuild === state.build) return;
    if (banner) banner.remove();
    shownBuild = state.build;
    banner = element("section", "portal-build-banner");
    banner.setAttribute("role", "alert");
    banner.setAttribute("aria-label", "Lỗi khi dựng trang");
    banner.appendChild(element("h2", "portal-build-banner__title",
      "Trang chưa cập nhật: " + state.problems.length + " lỗi cần sửa"));
    // Folded, it leaves the form it covers free; it stays folded across
    // the reloads that follow each save.
    var fold = element("button", "portal-build-banner__fold");
    fold.type = "button";
    fold.addEventListener("click", function () {
      setFolded(!banner.classList.contains("portal-build-banner--folded"));
    });
    banner.appendChild(fold);
    banner.appendChild(element("p", "portal-build-banner__note",
      "Trang đang hiện là bản đúng gần nhất (lúc " + state.at + " dựng lỗi). Sửa như dưới đây rồi lưu lại: " +
      "thông báo này tự mất khi trang dựng lại được."));
    var list = element("ul", "portal-build-banner__problems");
    state.problems.forEach(function (problem) { list.appendChild(problemItem(problem)); });
    banner.appendChild(list);
    document.body.appendChild(banner);
    setFolded(sessionStorage.getItem(FOLDED) === "yes");
  }

  function setFolded(folded) {
    banner.classList.toggle("portal-build-banner--folded", folded);
    var fold = banner.querySelector(".portal-build-banner__fold");
    fold.textContent = folded ? "Xem lỗi" : "Thu gọn";
    fold.setAttribute("aria-expanded", String(!folded));
    sessionStorage.setItem(FOLDED, folded ? "yes" : "no");
  }

  function check() {
    fetch(new URL("status.json", base).href, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) show(state); })
      .catch(function () { /* the server is restarting: ask again later */ });
  }

  check();
  setInterval(check, 2000);
})();
