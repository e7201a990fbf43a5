/* Search results from Pagefind's static index, in the browser.

   Pagefind ignores tone and vowel marks but keeps "đ" a letter of its own.
   Pages carry their đ-words folded to "d" (data-pagefind-meta="folded"),
   so the query is searched as typed and with đ folded to d, and the two
   result lists are merged: "dakrong" finds "Đakrông" and so does "Đakrông". */

const results = document.querySelector("[data-search-results]");
const statusLine = document.querySelector("[data-search-status]");
const MAX_RESULTS = 20;

function foldD(text) {
  return text.replace(/đ/g, "d").replace(/Đ/g, "D");
}

function showStatus(text) {
  statusLine.textContent = text;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "app-search-results__item";
  const link = document.createElement("a");
  link.className = "app-search-results__link";
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const excerpt = document.createElement("p");
  excerpt.className = "app-search-results__excerpt";
  // Pagefind's excerpt is our own indexed text with <mark> around matches.
  excerpt.innerHTML = data.excerpt;
  item.append(link, excerpt);
  return item;
}

async function search(query) {
  const pagefind = await import(results.dataset.pagefindUrl);
  const variants = [...new Set([query, foldD(query)])];
  const found = await Promise.all(variants.map((variant) => pagefind.search(variant)));
  const byId = new Map();
  for (const response of found) {
    for (const result of response.results) {
      const known = byId.get(result.id);
      if (!known || result.score > known.score) byId.set(result.id, result);
    }
  }
  const ranked = [...byId.values()].sort((a, b) => b.score - a.score);
  const shown = await Promise.all(ranked.slice(0, MAX_RESULTS).map((result) => result.data()));
  results.replaceChildren(...shown.map(resultItem));
  showStatus(
    ranked.length
      ? `Tìm thấy ${ranked.length} kết quả cho “${query}”.`
      : `Không tìm thấy kết quả nào cho “${query}”.`
  );
  results.dataset.searchDone = String(ranked.length);
}

if (document.body.classList.contains("js-enabled") && results) {
  const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  const input = document.querySelector(".app-search-page__input");
  if (input) input.value = query;
  if (query) {
    showStatus("Đang tìm…");
    search(query).catch(() => {
      showStatus("Chưa tìm được: chỉ mục tìm kiếm không tải được. Vui lòng thử lại.");
      results.dataset.searchDone = "error";
    });
  }
}
