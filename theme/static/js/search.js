/* Search results from Pagefind's static index, in the browser.

   The index is in slices, one Pagefind bundle per year or run of years
   (search/slices.py): pagefind/slices.json lists them newest first. The
   newest is loaded and older ones merged into it (Pagefind's mergeIndex)
   while the list of results is not full: a word found on most pages costs
   about as much in every slice, and a reader wants the news first. A link
   then searches every year (?moi-nam=1); filters and document numbers
   always search every year.

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
// each of its words holding a digit ("ke hoach 01" -> "01"), as
// [number key, the words to look it up by].
function numberCandidates(query) {
  const words = query.split(/\s+/).filter((word) => /\d/.test(word));
  const byKey = new Map();
  for (const text of [query, ...words]) {
    const key = numberKey(text);
    if (/\d/.test(key) && !byKey.has(key)) byKey.set(key, text);
  }
  return [...byKey];
}

// Enough results to fill the list: newer slices are searched first, and
// older ones only while fewer than this were found.
const ENOUGH = MAX_RESULTS;

async function bestOfVariants(pagefind, query, options) {
  const variants = [...new Set([query, foldD(query)])];
  const found = await Promise.all(variants.map((variant) => pagefind.search(variant, options)));
  const byId = new Map();
  for (const response of found) {
    for (const result of response.results) {
      const known = byId.get(result.id);
      if (!known || result.score > known.score) byId.set(result.id, result);
    }
  }
  return byId;
}

// The results of `query` in the slices merged so far, and whether one of
// its words is on none of their pages. Pagefind leaves out of a search the
// words its index lacks, slice by slice: "tho cam" in a slice without
// "cẩm" would list every page with "thôn". So each word is also searched
// alone, and a result must hold every word that some merged slice holds;
// a word no merged slice holds asks for older slices.
async function searchMerged(pagefind, query, options) {
  const byId = await bestOfVariants(pagefind, query, options);
  const words = [...new Set(query.split(/\s+/).filter(Boolean))];
  if (words.length < 2) return { byId, missing: byId.size === 0 };
  const matches = await Promise.all(words.map(
    async (word) => new Set((await bestOfVariants(pagefind, word, options)).keys())));
  const known = matches.filter((ids) => ids.size);
  for (const id of byId.keys()) {
    if (!known.every((ids) => ids.has(id))) byId.delete(id);
  }
  return { byId, missing: known.length < matches.length };
}

// The results, best first, and the oldest year searched when older years
// were left out (null when every year was searched).
async function rankedResults(slices, query, filters, everything) {
  const { pagefind } = slices;
  const filtered = Object.keys(filters).length > 0;
  if (!query) {
    // Filters alone: Slices.load took the documents' slices only, for
    // Pagefind reads every index chunk of a slice for a search without words.
    await slices.mergeAll();
    const listed = await pagefind.search(null, { filters, sort: { ngay: "desc" } });
    return { ranked: listed.results, since: null };
  }
  if (filtered || everything) await slices.mergeAll();
  // A word on most pages costs about as much in every slice: search this
  // year's first, and older years' (one, two, four... at a time) only
  // while the list is not full, or a word is still not found.
  const options = filtered ? { filters } : {};
  let { byId, missing } = await searchMerged(pagefind, query, options);
  for (let batch = 1; (byId.size < ENOUGH || missing) && !slices.all; batch *= 2) {
    await slices.mergeMore(batch);
    ({ byId, missing } = await searchMerged(pagefind, query, options));
  }
  const since = slices.all ? null : slices.since;
  const ranked = [...byId.values()].sort((a, b) => b.score - a.score);
  // A document whose number was typed comes first, whatever its year and
  // however often its number appears in other pages ("01" is in many).
  // Looked up by the number's own words (never without words, which would
  // load every index chunk), in every document slice.
  const numbers = numberCandidates(query);
  if (numbers.length) await slices.mergeDocuments();
  const exact = await Promise.all(numbers.map(
    ([number, words]) => pagefind.search(words, { filters: { ...filters, so: number } })));
  const first = new Map();
  for (const response of exact) {
    for (const result of response.results) first.set(result.id, byId.get(result.id) || result);
  }
  const firstRanked = [...first.values()].sort((a, b) => b.score - a.score);
  return { ranked: [...firstRanked, ...ranked.filter((result) => !first.has(result.id))], since };
}

function describeFilters(filters) {
  return Object.entries(filters).map(([name, value]) => {
    const label = document.querySelector(`label[for="loc-${name}"]`);
    return `${label ? label.textContent : name}: ${value}`;
  }).join(", ");
}

// A bundle's entry file is fetched again on each visit unless given a tag;
// its slice's digest changes exactly when the bundle does.
function cacheTag(slice) {
  return slice.digest.slice(0, 16);
}

// The slices of the index (pagefind/slices.json, newest first; the
// documents' apart): the newest is loaded, others merged into it as the
// search needs them.
class Slices {
  static async load(bundles, documentsOnly) {
    const response = await fetch(`${bundles}slices.json`, { cache: "no-cache" });
    if (!response.ok) throw new Error(`slices.json: ${response.status}`);
    const slices = (await response.json()).slices.filter(
      (slice) => slice.documents || !documentsOnly);
    if (!slices.length) return null;
    const pagefind = await import(`${bundles}${slices[0].name}/pagefind.js`);
    await pagefind.options({ metaCacheTag: cacheTag(slices[0]) });
    return new Slices(bundles, slices, pagefind);
  }

  constructor(bundles, slices, pagefind) {
    this.bundles = bundles;
    this.merged = slices.slice(0, 1);
    this.waiting = slices.slice(1);
    this.pagefind = pagefind;
  }

  get all() {
    return !this.waiting.length;
  }

  // The oldest year of the slices searched so far.
  get since() {
    const years = this.merged.filter((slice) => slice.years).map((slice) => slice.years[0]);
    return years.length ? Math.min(...years) : null;
  }

  async merge(slices) {
    this.merged.push(...slices);
    this.waiting = this.waiting.filter((slice) => !slices.includes(slice));
    // Merged in this order (each call takes its place at once, before it
    // loads): results of equal score, as with a filter alone, stay newest first.
    await Promise.all(slices.map((slice) => this.pagefind.mergeIndex(
      `${this.bundles}${slice.name}/`, { metaCacheTag: cacheTag(slice) })));
  }

  async mergeMore(count) {
    await this.merge(this.waiting.slice(0, count));
  }

  async mergeDocuments() {
    await this.merge(this.waiting.filter((slice) => slice.documents));
  }

  async mergeAll() {
    await this.merge(this.waiting);
  }
}

// A link to the same search over every year, when older ones were left out.
function everyYearLink(since) {
  const parameters = new URLSearchParams(window.location.search);
  parameters.set("moi-nam", "1");
  const link = document.createElement("a");
  link.className = "app-search-page__more";
  link.href = `?${parameters}`;
  link.textContent = `Tìm cả trong các năm trước ${since}`;
  return link;
}

async function search(query, filters, everything) {
  const what = [query && `“${query}”`, describeFilters(filters)].filter(Boolean).join("; ");
  const documentsOnly = Boolean(Object.keys(filters).length || !query);
  const slices = await Slices.load(results.dataset.searchIndex, documentsOnly);
  const { ranked, since } = slices
    ? await rankedResults(slices, query, filters, everything)
    : { ranked: [], since: null };
  const shown = await Promise.all(ranked.slice(0, MAX_RESULTS).map((result) => result.data()));
  results.replaceChildren(...shown.map(resultItem));
  const searched = since ? ` trong các bài từ năm ${since} đến nay` : "";
  showStatus(
    ranked.length
      ? `Tìm thấy ${ranked.length} kết quả cho ${what}${searched}. `
      : `Không tìm thấy kết quả nào cho ${what}.`
  );
  if (since) statusLine.append(everyYearLink(since));
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
    // ?moi-nam=1: every year, not only as many as fill the list (everyYearLink).
    search(query, filters, parameters.get("moi-nam") === "1").catch(() => {
      showStatus("Chưa tìm được: chỉ mục tìm kiếm không tải được. Vui lòng thử lại.");
      results.dataset.searchDone = "error";
    });
  }
}
