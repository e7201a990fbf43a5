/* Search results from Pagefind's static index, in the browser.

   Pagefind ignores tone and vowel marks but keeps "đ" a letter of its own.
   Pages carry their đ-words folded to "d" (data-pagefind-meta="folded"),
   so the query is searched as typed and with đ folded to d, and the two
   result lists are merged: "dakrong" finds "Đakrông" and so does "Đakrông".
   Documents can be filtered by type, issuer and year (?loai=, ?co-quan=,
   ?nam=), and a query holding a document's number ("125/QD-UBND",
   "ke hoach 01") lists that document first. */

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
  if (!data.meta.image) {
    item.append(link, excerpt);
    return item;
  }
  // The article's lead photo (partials/search_photo.html): a 3:2 thumbnail
  // beside the title, decorative as in the other lists.
  const image = document.createElement("img");
  image.className = "app-search-results__image";
  image.src = data.meta.image;
  image.alt = "";
  image.width = 360;
  image.height = 240;
  image.loading = "lazy";
  image.decoding = "async";
  const text = document.createElement("div");
  text.append(link, excerpt);
  item.classList.add("app-search-results__item--with-photo");
  item.append(image, text);
  return item;
}

// The documents' filters (partials/document_filters.html), as the search
// page's form sends them and as each document page declares them to Pagefind.
const FILTER_NAMES = ["loai", "co-quan", "nam"];

// A document's number as its page declares it (data-pagefind-filter "so",
// documents/references.py number_key): without case, spaces or Đ's stroke.
function numberKey(text) {
  return foldD(text.normalize("NFC")).toLowerCase().replace(/\s+/g, "");
}

// What a query may be the number of: the whole of it ("125/QĐ-UBND") and
// each of its words holding a digit ("ke hoach 01" -> "01").
function numberCandidates(query) {
  const words = query.split(/\s+/).filter((word) => /\d/.test(word));
  return [...new Set([query, ...words].map(numberKey))].filter((key) => /\d/.test(key));
}

async function rankedResults(pagefind, query, filters) {
  const options = Object.keys(filters).length ? { filters } : {};
  if (!query) {
    const listed = await pagefind.search(null, { ...options, sort: { ngay: "desc" } });
    return listed.results;
  }
  const variants = [...new Set([query, foldD(query)])];
  const found = await Promise.all(variants.map((variant) => pagefind.search(variant, options)));
  const byId = new Map();
  for (const response of found) {
    for (const result of response.results) {
      const known = byId.get(result.id);
      if (!known || result.score > known.score) byId.set(result.id, result);
    }
  }
  const ranked = [...byId.values()].sort((a, b) => b.score - a.score);
  // A document whose number was typed comes first, however often its
  // number appears in other pages ("01" is in many).
  const exact = await Promise.all(numberCandidates(query).map(
    (number) => pagefind.search(null, { filters: { ...filters, so: number } })));
  const first = new Map();
  for (const response of exact) {
    for (const result of response.results) first.set(result.id, byId.get(result.id) || result);
  }
  const firstRanked = [...first.values()].sort((a, b) => b.score - a.score);
  return [...firstRanked, ...ranked.filter((result) => !first.has(result.id))];
}

function describeFilters(filters) {
  return Object.entries(filters).map(([name, value]) => {
    const label = document.querySelector(`label[for="loc-${name}"]`);
    return `${label ? label.textContent : name}: ${value}`;
  }).join(", ");
}

async function search(query, filters) {
  const pagefind = await import(results.dataset.pagefindUrl);
  const ranked = await rankedResults(pagefind, query, filters);
  const shown = await Promise.all(ranked.slice(0, MAX_RESULTS).map((result) => result.data()));
  results.replaceChildren(...shown.map(resultItem));
  const what = [query && `“${query}”`, describeFilters(filters)].filter(Boolean).join("; ");
  showStatus(
    ranked.length
      ? `Tìm thấy ${ranked.length} kết quả cho ${what}.`
      : `Không tìm thấy kết quả nào cho ${what}.`
  );
  results.dataset.searchDone = String(ranked.length);
}

if (document.body.classList.contains("js-enabled") && results) {
  const parameters = new URLSearchParams(window.location.search);
  const query = (parameters.get("q") || "").trim();
  const input = document.querySelector(".app-search-page__input");
  if (input) input.value = query;
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = (parameters.get(name) || "").trim();
    const select = document.querySelector(`[data-search-filter][name="${name}"]`);
    if (value && select) {
      filters[name] = value;
      select.value = value;
    }
  }
  if (query || Object.keys(filters).length) {
    showStatus("Đang tìm…");
    search(query, filters).catch(() => {
      showStatus("Chưa tìm được: chỉ mục tìm kiếm không tải được. Vui lòng thử lại.");
      results.dataset.searchDone = "error";
    });
  }
}
