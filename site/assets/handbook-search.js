/* The handbook's article search. Reads generated/search/index.json (written by
   generator/render/search_index.py) and splits queries exactly as the index was split:
   characters and character pairs of Chinese runs, words and numbers otherwise.
   Keep `tokens` in step with search_index.tokens. */
(function () {
  "use strict";
  var CJK = /[\u3400-\u9fff]+/g;
  var WORD = /[a-z0-9%]+/g;
  var K1 = 1.2, B = 0.75;
  var UNIGRAM = 0.15;      /* single characters count a little: partial matches still rank */
  var PAGE_WEIGHT = 0.5;   /* role and form pages rank below the articles themselves */

  /* Words of the query are keys of these maps: they must not reach Object.prototype
     (`constructor`, `__proto__`, `toString` ...). Our maps have no prototype; the index's
     maps (parsed JSON) are read only through own(). */
  function map() { return Object.create(null); }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined; }

  function tokens(text) {
    text = text.normalize("NFKC").toLowerCase();
    var found = [];
    (text.match(CJK) || []).forEach(function (run) {
      for (var i = 0; i < run.length; i++) found.push(run[i]);
      for (var j = 0; j + 1 < run.length; j++) found.push(run.slice(j, j + 2));
    });
    (text.match(WORD) || []).forEach(function (word) { found.push(word); });
    return found;
  }

  function queryTerms(index, query) {
    var text = query.normalize("NFKC").toLowerCase();
    index.stop.forEach(function (word) { text = text.split(word).join(" "); });
    var weights = map();
    function put(term, weight) { weights[term] = Math.max(weights[term] || 0, weight); }
    function add(piece, weight) {
      var runs = piece.match(CJK) || [];
      runs.forEach(function (run) {
        for (var i = 0; i < run.length; i++) put(run[i], run.length === 1 ? weight : weight * UNIGRAM);
        for (var j = 0; j + 1 < run.length; j++) put(run.slice(j, j + 2), weight);
      });
      (piece.match(WORD) || []).forEach(function (w) { weights[w] = Math.max(weights[w] || 0, weight); });
    }
    add(text, 1.0);
    Object.keys(index.synonyms).forEach(function (word) {
      if (query.indexOf(word) >= 0) own(index.synonyms, word).forEach(function (w) { add(w, 0.8); });
    });
    return weights;
  }

  function search(index, query, limit) {
    var weights = queryTerms(index, query);
    var scores = map(), covered = map(), total = 0;
    Object.keys(weights).forEach(function (term) {
      var list = own(index.postings, term);
      var idf = list ? own(index.idf, term) : 0;
      if (term.length > 1 || !/[\u3400-\u9fff]/.test(term)) total += weights[term];
      if (!list) return;
      for (var i = 0; i < list.length; i += 2) {
        var doc = list[i], tf = list[i + 1];
        var norm = tf + K1 * (1 - B + B * index.lengths[doc] / index.average);
        scores[doc] = (scores[doc] || 0) + weights[term] * idf * tf * (K1 + 1) / norm;
        if (term.length > 1 || !/[\u3400-\u9fff]/.test(term)) {
          covered[doc] = (covered[doc] || 0) + weights[term];
        }
      }
    });
    var phrase = query.normalize("NFKC").replace(/\s+/g, "");
    return Object.keys(scores).map(function (doc) {
      var entry = index.docs[doc];
      var bonus = phrase.length > 1 && (entry[1] + entry[3]).indexOf(phrase) >= 0 ? 1.5 : 1;
      var coverage = total ? 0.5 + (covered[doc] || 0) / total : 1;
      var page = entry[0].indexOf("generated/regulations/") === 0 ? 1 : PAGE_WEIGHT;
      return { doc: +doc, score: scores[doc] * bonus * coverage * page };
    }).sort(function (a, b) { return b.score - a.score || a.doc - b.doc; })
      .slice(0, limit || 10).map(function (hit) {
        var entry = index.docs[hit.doc];
        return { url: entry[0], title: entry[1], context: entry[2], text: entry[3], score: hit.score };
      });
  }

  var api = { tokens: tokens, search: search, index: null, ready: false };
  if (typeof module !== "undefined") { module.exports = api; }
  if (typeof window === "undefined") return;
  window.handbookSearch = api;

  var script = document.currentScript;
  var root = script ? script.src.replace(/assets\/handbook-search\.js.*$/, "") : "/";

  function render(hits, list) {
    list.innerHTML = "";
    hits.slice(0, 10).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.url;
      link.className = "hb-hit";
      var title = document.createElement("strong");
      title.textContent = hit.title;
      var context = document.createElement("span");
      context.className = "hb-context";
      context.textContent = hit.context;
      var text = document.createElement("p");
      text.textContent = hit.text.slice(0, 90);
      link.appendChild(title); link.appendChild(context); link.appendChild(text);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function start() {
    var input = document.getElementById("hb-search-input");
    var list = document.getElementById("hb-search-results");
    if (!input || !list) return;
    fetch(root + "generated/search/index.json").then(function (r) { return r.json(); })
      .then(function (index) {
        api.index = index; api.ready = true;
        window.hbSearchReadyAt = performance.now();
        document.documentElement.setAttribute("data-hb-search", "ready");
        function run() {
          var query = input.value.trim();
          if (!query) { list.innerHTML = ""; return; }
          render(search(index, query, 10), list);
        }
        input.addEventListener("keyup", run);
        input.addEventListener("search", run);
        input.addEventListener("compositionend", run);
        if (input.value) run();
      });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  if (window.document$) window.document$.subscribe(start);  /* Material's instant navigation */
})();
