/* Runs the real search code of an engine on a list of queries, in Node.js.

   node rank.js handbook INDEX.json SEARCH.js   < queries.json
       the handbook's own search (site/assets/handbook-search.js) on its index
   node rank.js material SEARCH_INDEX.json WORKER.js LUNR_DIR < queries.json
       Material for MkDocs' search worker (lunr) on the index its search plugin wrote,
       run as the browser runs it: the worker script with its message protocol

   queries.json is a JSON array of strings; prints a JSON array holding, per query,
   the result URLs in the order the engine shows them (at most LIMIT). */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const LIMIT = 10;

function readStdin() {
  return JSON.parse(fs.readFileSync(0, "utf8"));
}

/* The handbook's index: the whole of it, or its first part with every other part merged
   (the site's, written in parts by search_shards.py). */
function readIndex(api, indexFile) {
  const index = JSON.parse(fs.readFileSync(indexFile, "utf8"));
  if (!index.parts) return index;
  const folder = path.dirname(indexFile);
  for (const sub of ["terms", "docs"]) {
    for (const name of fs.readdirSync(path.join(folder, sub))) {
      if (!name.endsWith(".json")) continue;
      api.merge(index, sub + "/" + name, JSON.parse(fs.readFileSync(path.join(folder, sub, name), "utf8")));
    }
  }
  return index;
}

function handbook(indexFile, scriptFile, queries) {
  const api = require(path.resolve(scriptFile));
  const index = readIndex(api, indexFile);
  return queries.map((query) => api.search(index, query, LIMIT).map((hit) => hit.url));
}

/* Material's worker: a script that listens for messages ({type: 0, data: index} to set up,
   {type: 2, data: query} to search) and answers with postMessage. */
async function material(indexFile, workerFile, lunrDir, queries) {
  const answers = [];
  let listener = null;
  const context = {
    console, setTimeout, clearTimeout, Promise, URL,
    location: { href: "file://" + path.resolve(workerFile) },
    addEventListener: (type, fn) => { if (type === "message") listener = fn; },
    postMessage: (message) => answers.push(message),
    importScripts: (...files) => files.forEach((file) => {
      const name = file.replace(/^.*?lunr\//, "").replace(/^\.\.\/lunr\//, "");
      vm.runInContext(fs.readFileSync(path.join(lunrDir, name), "utf8"), context);
    }),
  };
  context.self = context;
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(workerFile, "utf8"), context);
  async function send(message) {
    const before = answers.length;
    listener({ data: message });
    for (let i = 0; i < 1000 && answers.length === before; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return answers[answers.length - 1];
  }
  const index = JSON.parse(fs.readFileSync(indexFile, "utf8"));
  /* the page sends the index with the theme's options (search.suggest is not enabled) */
  await send({ type: 0, data: Object.assign({}, index, { options: { suggest: false } }) });
  const results = [];
  for (const query of queries) {
    const answer = await send({ type: 2, data: query });
    const urls = [];
    /* items: one group per page, best first; the page shows the page itself first, then
       its sections by score (sections under "more" are counted as shown) */
    for (const group of answer.data.items) {
      const docs = group.filter((doc) => doc.location.indexOf("#") < 0)
        .concat(group.filter((doc) => doc.location.indexOf("#") >= 0));
      for (const doc of docs) if (urls.indexOf(doc.location) < 0) urls.push(doc.location);
    }
    results.push(urls.slice(0, LIMIT));
  }
  return results;
}

async function main() {
  const [engine, ...args] = process.argv.slice(2);
  const queries = readStdin();
  let results;
  if (engine === "handbook") results = handbook(args[0], args[1], queries);
  else if (engine === "material") results = await material(args[0], args[1], args[2], queries);
  else throw new Error("engine must be handbook or material, not " + engine);
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => { console.error(error.stack || String(error)); process.exit(1); });
