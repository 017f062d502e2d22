/* Unit tests of the site's search script (site/assets/handbook-search.js) under Node.js.
   Run by tests/test_search_js.py, which builds the bundled handbook's index with the real
   Python code and passes it in HB_INDEX, and the Python tokenizer's output in HB_TOKENS. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");

const search = require(path.join(__dirname, "..", "..", "site", "assets", "handbook-search.js"));
const index = JSON.parse(fs.readFileSync(process.env.HB_INDEX, "utf8"));

function words(query) { return search.analyse(index, query).map((c) => c.text); }
function first(query) { return (search.search(index, query, 10)[0] || {}).url; }

test("the tokenizer agrees with the Python one", () => {
  const expected = JSON.parse(fs.readFileSync(process.env.HB_TOKENS, "utf8"));
  for (const [text, tokens] of Object.entries(expected)) {
    assert.deepEqual(search.tokens(text), tokens, text);
    assert.deepEqual(search.tokens(text, index), tokens, text);
  }
});

test("the index carries the tokenizer's definition, and the script splits by it", () => {
  assert.deepEqual(Object.keys(index.tokenizer).sort(), ["cjk", "word"]);
  const narrowed = Object.assign({}, index, { tokenizer: { cjk: "[出差]+", word: "[0-9]+" } });
  assert.deepEqual(search.tokens("出差住宿 abc 12", narrowed), ["出", "差", "出差", "12"]);
  assert.deepEqual(search.tokens("出差住宿 abc", index), ["出", "差", "住", "宿", "出差", "差住", "住宿", "abc"]);
});

test("question words and particles are dropped whole, words are kept", () => {
  assert.deepEqual(words("文员负责什么"), ["文员", "负责"]);
  assert.ok(words("会议室怎么预约").some((w) => w.startsWith("会议")));
  const pairs = search.analyse(index, "文员负责什么").flatMap((c) => Object.keys(c.terms));
  assert.ok(!pairs.includes("员负"), "no pair across two words");
});

test("a colloquial word brings the handbook's word", () => {
  const taxi = search.analyse(index, "出差打的能报吗").find((c) => c.text === "打的");
  assert.ok(taxi && taxi.terms["的士"] > 0);
});

test("the answering article comes first", () => {
  assert.equal(first("文员负责什么"), "generated/regulations/branch-business-management/#clerk");
  assert.equal(first("新人试用期多久"), "generated/regulations/salesperson-rules/#probation-period");
});

test("a form's page comes first when the question asks for a form, after articles otherwise", () => {
  assert.equal(first("派车单谁审核"), "generated/forms/vehicle-request/");
  assert.equal(first("公司用车要谁批"), "generated/regulations/travel-expense/#company-car");
});

test("full-width letters and digits search as half-width ones", () => {
  assert.deepEqual(search.search(index, "试用期３个月", 5), search.search(index, "试用期3个月", 5));
});

test("a question the handbook does not answer finds nothing", () => {
  assert.deepEqual(search.search(index, "食堂几点开饭", 10), []);
  assert.deepEqual(search.search(index, "五险一金交多少", 10), []);
  assert.deepEqual(search.search(index, "asdfgh", 10), []);
});

test("spoken forms are read the written way: 盖个章 as 盖章, 发不发 as 发", () => {
  assert.ok(words("盖个章要不要登记").includes("盖章"));
  assert.ok(words("出差补贴还发不发").includes("发"));
  assert.ok(!words("出差补贴还发不发").some((w) => w.includes("不")));
  assert.ok(!words("三个月").includes("三月"), "a number and 个 stay apart");
});

test("a synonym-list word inside a longer one the question holds gives way to it", () => {
  const day = search.analyse(index, "第一天上班要带哪些东西").find((c) => c.text === "第一天上班");
  assert.ok(day.terms["报到"] > 0);
  assert.equal(day.terms["作息"], undefined, "上班's own synonyms are not added");
});

test("a hit matching only words most entries hold finds nothing", () => {
  assert.deepEqual(search.search(index, "公司股票期权怎么分", 10), []);
});

/* A small index built here: entries [url, title, context, text], postings counted from the
   text alone, so only what a test varies tells the entries apart. */
function smallIndex(entries, words) {
  const postings = {}, idf = {}, lengths = [];
  entries.forEach((entry, doc) => {
    const counts = {};
    search.tokens(entry[3]).forEach((t) => { counts[t] = (counts[t] || 0) + 1; });
    for (const [t, n] of Object.entries(counts)) (postings[t] = postings[t] || []).push(doc, n);
    lengths.push(Object.values(counts).reduce((a, b) => a + b, 0));
  });
  for (const t of Object.keys(postings)) idf[t] = Math.log(1 + 10 / (postings[t].length / 2));
  return { count: entries.length, lengths, average: lengths.reduce((a, b) => a + b, 0) / lengths.length,
           kinds: [["r", entries.length]], docs: entries, postings, idf, words, stop: index.stop,
           synonyms: {}, tokenizer: index.tokenizer };
}

test("a question's words tell the kind of answer it wants: who, how long, how much", () => {
  const small = smallIndex([["a", "一", "", "会议室预约登记"], ["b", "二", "", "会议室预约登记负责"]],
                           ["会议室", "预约", "登记", "负责"]);
  assert.equal(search.search(small, "会议室预约登记", 2)[0].url, "a");
  assert.equal(search.search(small, "会议室预约登记找谁", 2)[0].url, "b");
  const days = smallIndex([["a", "一", "", "报销单据审核"], ["b", "二", "", "报销单据审核期限"]],
                          ["报销", "单据", "审核", "期限"]);
  assert.equal(search.search(days, "报销单据审核", 2)[0].url, "a");
  assert.equal(search.search(days, "报销单据审核多久", 2)[0].url, "b");
});

test("among the hits shown, one whose shown title holds the question's words moves up", () => {
  const small = smallIndex([["a", "第一条　其他事项", "", "会议室预约登记"],
                            ["b", "第二条　会议室预约", "", "会议室预约登记"]], ["会议室", "预约", "登记"]);
  assert.deepEqual(search.search(small, "会议室预约", 2).map((hit) => hit.url), ["b", "a"]);
  assert.deepEqual(search.search(small, "登记", 2).map((hit) => hit.url), ["a", "b"]);
});

test("words that name Object.prototype's members are ordinary words", () => {
  for (const query of ["constructor", "__proto__", "toString 试用期", "hasOwnProperty"]) {
    assert.ok(Array.isArray(search.search(index, query, 10)), query);
  }
});

test("the passage shown marks the words found, around the first one", () => {
  const text = "因工作需要须搭乘计程车者，经部门经理级以上特准方可搭乘。";
  const pieces = search.passage(text, search.analyse(index, "打车报销"), 90);
  assert.equal(pieces.map((p) => p[0]).join(""), text);
  assert.deepEqual(pieces.filter((p) => p[1]).map((p) => p[0]), ["计程车"]);
  const long = "甲".repeat(60) + "住宿" + "乙".repeat(60);
  const window = search.passage(long, search.analyse(index, "住宿标准"), 40);
  assert.equal(window[0][0], "…" + "甲".repeat(15));
  assert.deepEqual(window[1], ["住宿", true]);
  assert.ok(window[window.length - 1][0].endsWith("…"));
});

const answers = JSON.parse(fs.readFileSync(process.env.HB_ANSWERS, "utf8"));
function answered(query) { return search.answer(answers, query, search.search(index, query, 10)); }

test("who approves a form: its approval chain, found by the form's name or the best hit", () => {
  const named = answered("发货申请谁审批");
  assert.equal(named.title, "《发货申请单》");
  assert.deepEqual(named.lines, ["审批：业务部经理 → 会计 → 生产部部长"]);
  assert.equal(answered("请假找谁批").title, "《请假申请单》");
  assert.equal(answered("用公司的车要找谁批").title, "《派车申请单》");
});

test("what a role does: its duties, found by its name or an alias", () => {
  const card = answered("业务人员负责什么");
  assert.equal(card.kind, "role");
  assert.equal(card.url, "generated/roles/salesperson/");
  assert.ok(card.lines[0].startsWith("1. 负责具体业务操作"));
  assert.ok(card.lines.length <= 6);
});

test("the row of a table that applies, matched without its tail (级别, 人员)", () => {
  const row = answered("部门经理出差能坐软卧吗");
  assert.equal(row.kind, "row");
  assert.deepEqual(row.lines[0], "级别：部门经理级别");
  assert.equal(answered("B级客户怎么结算").lines[0], "信用等级：B级");
});

test("no card when the question does not ask for one, or names nothing the model holds", () => {
  assert.equal(answered("业务员"), null);
  assert.equal(answered("合同"), null);
  assert.equal(answered("食堂几点开饭"), null);
  assert.equal(search.answer(null, "请假找谁批", []), null);
});

/* The index as the site ships it (HB_SHARDS: the folder search_shards.write fills): the
   parts a query needs, read as the page fetches them, rank exactly as the whole index. */
function readPart(name) {
  return JSON.parse(fs.readFileSync(path.join(process.env.HB_SHARDS, name), "utf8"));
}
function firstPart() { return readPart("index.json"); }
function shardedSearch(core, query, read) {
  search.termFiles(core, query).forEach((name) => { read.push(name); search.merge(core, name, readPart(name)); });
  const hits = search.search(core, query, 10);
  search.docFiles(core, hits.map((hit) => hit.doc)).forEach((name) => {
    read.push(name); search.merge(core, name, readPart(name));
  });
  return search.search(core, query, 10);
}

test("the index in parts ranks every question as the whole index does", () => {
  const queries = JSON.parse(fs.readFileSync(process.env.HB_QUERIES, "utf8"));
  const kept = firstPart();  /* parts merged from one question to the next */
  for (const query of queries) {
    const whole = search.search(index, query, 10);
    assert.deepEqual(shardedSearch(firstPart(), query, []), whole, query);
    assert.deepEqual(shardedSearch(kept, query, []), whole, query);
  }
});

test("a question reads a few of the parts, each once", () => {
  const core = firstPart(), read = [];
  const all = core.parts.terms + core.parts.alone.length + Math.ceil(core.count / core.parts.docs);
  shardedSearch(core, "出差住酒店能报多少钱", read);
  assert.ok(read.length > 0 && read.length < all / 4, read.length + " of " + all);
  assert.equal(new Set(read).size, read.length);
  const again = [];
  shardedSearch(core, "出差住酒店能报多少钱", again);
  assert.deepEqual(again, []);
});

test("the term hash is the Python one (FNV-1a over code points)", () => {
  const expected = JSON.parse(fs.readFileSync(process.env.HB_HASHES, "utf8"));
  for (const [term, value] of Object.entries(expected)) assert.equal(search.termHash(term), value, term);
});
