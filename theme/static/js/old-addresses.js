/* On the 404 page: an address of the old portal leads to its new page, on
   hosts that only serve files (GitHub Pages, S3), where the build cannot
   write redirects. The build's table (dia-chi-cu.json, from
   content/redirects.csv) has the addresses with a query string
   (/Blog/ViewPost.aspx?ItemID=123, /index.php?nv=news&op=...) and the old
   paths of photos and files; old page paths have stub pages of their own. */
(function () {
  "use strict";
  var script = document.currentScript;
  var table = script && script.getAttribute("data-table");
  if (!table || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var path;
  try {
    path = decodeURIComponent(window.location.pathname);
  } catch (error) {
    return;
  }
  var params = {};
  new URLSearchParams(window.location.search).forEach(function (value, name) {
    params[name.toLowerCase()] = value;
  });

  // A host that finds a folder at an old path (/index.php/ holds stub pages)
  // adds a slash before it answers 404.
  var bare = path.length > 1 ? path.replace(/\/$/, "") : path;

  function matches(row) {
    return (row.path === path || row.path === bare) && Object.keys(row.params).every(function (name) {
      return params[name] === row.params[name];
    });
  }

  window.fetch(table, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) {
        return;
      }
      var found = (data.queries || []).filter(matches)[0];
      var target = found ? found.to : (data.paths || {})[path] || (data.paths || {})[bare];
      if (target && target !== window.location.pathname) {
        window.location.replace(target);
      }
    })
    .catch(function () { /* the page stays: it already says what to do */ });
})();
