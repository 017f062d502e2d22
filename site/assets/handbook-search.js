/* The handbook's article search. Reads generated/search/index.json (written by
   generator/render/search_index.py) and splits queries exactly as the index was split:
   characters and character pairs of Chinese runs, words and numbers otherwise.
   Keep `tokens` in step with search_index.tokens.

   A query is first cut into words with the index's vocabulary (words of the handbook and of
   the synonym list): question words and particles (怎么, 吗, 的 …) are dropped whole, and a
   character pair that straddles two words (员负 in 文员负责) is not searched for. Each
   remaining word is a "concept", matched through its character pairs and those of its
   synonyms; results are ranked with BM25 and by how many of the concepts they cover,
   higher when they hold the kind of answer the question words ask for (INTENTS); the hits
   shown are ranked again by how much of the question their shown titles hold (rerank). */
(function () {
  "use strict";
  /* How text is split comes with the index (`tokenizer`, defined once in
     generator/render/search_index.py); these are used until an index is read. */
  var CJK = /[\u3400-\u9fff]+/g;
  var WORD = /[a-z0-9%]+/g;
  var splitting = null;
  var PARTICLES = /[的了地着过]/g;
  var K1 = 1.2, B = 0.75;
  var UNIGRAM = 0.15;      /* single characters of a word count a little: partial matches still rank */
  var LONE = 0.5;          /* a character standing alone in the query (章 in 合同章) */
  var AFFIX = 0.5;         /* the pair a lone character makes with a neighbouring word */
  var SYNONYM = 0.8;       /* a synonym's pairs, against the word's own */
  var COMMON = 1.2;        /* a word held by about half the entries or more (公司, 管理, 业务: idf) */
  var FLOOR = 0.2;         /* share of the question's words the best hits must match */
  var PAGE_WEIGHT = 0.5;   /* role and form pages rank below the articles themselves */
  var FORM_WEIGHT = 1.0;   /* … unless the question asks for a form (表, 单, 模板 …) */
  var PHRASE = 1.5;        /* a hit holding every character pair of the question as typed */
  var FORM_WORDS = /[表单]|模板|范本|样本|下载|填写|怎么填/;
  var DUTIES_WEIGHT = 1.0; /* … and a role's page too when it asks what someone does (ASKS_DUTIES) */
  var TITLE = 0.5;         /* a shown hit whose title holds the question's words (rerank) */
  var INTENT = 1.2;        /* a hit holding the kind of answer the question asks for (INTENTS) */


  /* Words of the query are keys of these maps: they must not reach Object.prototype
     (`constructor`, `__proto__`, `toString` ...). Our maps have no prototype; the index's
     maps (parsed JSON) are read only through own(). */
  function map() { return Object.create(null); }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined; }

  function normalise(text) { return text.normalize("NFKC").toLowerCase(); }

  function useTokenizer(index) {
    var given = index && index.tokenizer;
    if (!given || given === splitting) return;
    CJK = new RegExp(given.cjk, "g");
    WORD = new RegExp(given.word, "g");
    splitting = given;
  }

  function tokens(text, index) {
    useTokenizer(index);
    text = normalise(text);
    var found = [];
    (text.match(CJK) || []).forEach(function (run) {
      for (var i = 0; i < run.length; i++) found.push(run[i]);
      for (var j = 0; j + 1 < run.length; j++) found.push(run.slice(j, j + 2));
    });
    (text.match(WORD) || []).forEach(function (word) { found.push(word); });
    return found;
  }

  /* Sets built once per index: the vocabulary, stop words and synonyms. */
  function lexicon(index) {
    useTokenizer(index);
    if (index._lexicon) return index._lexicon;
    var words = map(), stop = map(), longest = 1;
    function add(word, kind) {
      word = normalise(word);
      if (!word) return;
      words[word] = words[word] || kind;
      if (kind === "stop") stop[word] = true;
      longest = Math.max(longest, word.length);
    }
    (index.stop || []).forEach(function (w) { add(w, "stop"); });
    (index.words || []).forEach(function (w) { add(w, "word"); });
    Object.keys(index.synonyms || {}).forEach(function (w) { add(w, "word"); });
    Object.defineProperty(index, "_lexicon", { value: { words: words, stop: stop, longest: longest } });
    return index._lexicon;
  }

  /* Cut a run of Chinese characters into the fewest pieces, a known word or stop word
     counting one and a lone character a little more; consecutive unknown characters are
     kept together (an unknown word such as 蓝屏). */
  function segment(run, lex) {
    var n = run.length, cost = [0], back = [0];
    for (var end = 1; end <= n; end++) {
      cost[end] = Infinity;
      for (var size = 1; size <= Math.min(lex.longest, end); size++) {
        var piece = run.slice(end - size, end);
        var known = own(lex.words, piece);
        if (size > 1 && !known) continue;
        var c = cost[end - size] + (known ? 1 : 1.6);
        if (c < cost[end]) { cost[end] = c; back[end] = size; }
      }
    }
    var pieces = [];
    for (var at = n; at > 0; at -= back[at]) pieces.unshift(run.slice(at - back[at], at));
    var merged = [];
    pieces.forEach(function (piece) {
      var lone = piece.length === 1 && !own(lex.words, piece);
      var last = merged[merged.length - 1];
      if (lone && last && last.unknown) last.text += piece;
      else merged.push({ text: piece, unknown: lone, stop: !!own(lex.stop, piece) });
    });
    return merged;
  }

  /* Spoken forms said the written way: a verb and its object split by 个 (盖个章, 请个假)
     joined when they make a known word, and a verb asked as "A不A"/"A没A" (发不发,
     到没到账) said once. */
  var SPLIT_BY_GE = /([\u3400-\u9fff])个([\u3400-\u9fff])/g;
  var A_NOT_A = /([\u3400-\u9fff])[不没]\1/g;
  var COUNTING = /[一二三四五六七八九十两几每这那哪某整各半多好]/;
  function spoken(text, lex) {
    return text.replace(A_NOT_A, "$1").replace(SPLIT_BY_GE, function (all, verb, object) {
      return !COUNTING.test(verb) && own(lex.words, verb + object) ? verb + object : all;
    });
  }

  /* The concepts of a query: each a word of it (not a stop word) with the terms that match
     it (its character pairs, its synonyms' pairs) and their weights. */
  function analyse(index, query) {
    var lex = lexicon(index);
    var text = spoken(normalise(query), lex);
    var concepts = [];
    function terms(word, weight, into) {
      if (word.length === 1) { into[word] = Math.max(into[word] || 0, weight * LONE); return; }
      for (var i = 0; i < word.length; i++) into[word[i]] = Math.max(into[word[i]] || 0, weight * UNIGRAM);
      for (var j = 0; j + 1 < word.length; j++) {
        var pair = word.slice(j, j + 2);
        into[pair] = Math.max(into[pair] || 0, weight);
      }
    }
    (text.match(CJK) || []).forEach(function (run) {
      var pieces = segment(run, lex);
      pieces.forEach(function (piece, i) {
        if (piece.stop) return;
        var into = map();
        terms(piece.text, 1, into);
        if (piece.unknown && piece.text.length === 1) {
          /* a lone character often belongs to its neighbour (部 of 运营部, 章 of 合同章) */
          [pieces[i - 1], pieces[i + 1]].forEach(function (next, side) {
            if (!next || next.stop) return;
            var pair = side ? piece.text + next.text[0] : next.text.slice(-1) + piece.text;
            into[pair] = Math.max(into[pair] || 0, AFFIX);
          });
        }
        concepts.push({ text: piece.text, terms: into });
      });
    });
    (text.match(WORD) || []).forEach(function (word) {
      var into = map(); into[word] = 1;
      concepts.push({ text: word, terms: into });
    });
    var bare = text.replace(PARTICLES, "");  /* 送的礼 still says 送礼 */
    /* the synonym list's words the query holds; one inside a longer one held too gives
       way to it (第一天上班, not also 上班) */
    var held = Object.keys(index.synonyms || {}).filter(function (key) {
      var word = normalise(key);
      return text.indexOf(word) >= 0 || bare.indexOf(word) >= 0;
    });
    held.filter(function (key) {
      var word = normalise(key);
      return !held.some(function (other) { return other !== key && normalise(other).indexOf(word) >= 0; });
    }).forEach(function (key) {
      var word = normalise(key);
      var owner = concepts.filter(function (c) { return c.text.indexOf(word) >= 0 || word.indexOf(c.text) >= 0; })[0];
      if (!owner) { owner = { text: word, terms: map() }; concepts.push(owner); }
      own(index.synonyms, key).forEach(function (w) {
        (normalise(w).match(CJK) || []).forEach(function (run) { terms(run, SYNONYM, owner.terms); });
      });
    });
    return concepts;
  }

  function isPair(term) { return term.length > 1 || !/[\u3400-\u9fff]/.test(term); }

  /* The terms whose postings must be at hand to rank a query: those of its concepts and
     the pairs of the whole query (a hit holding all of these holds the question as typed). */
  function phraseTerms(index, query) {
    var phrase = normalise(query).replace(/\s+/g, "");
    return phrase.length > 1 ? tokens(phrase, index).filter(isPair) : [];
  }

  /* The word lists of the kinds of answer a query asks for (INTENTS). */
  function intents(query) {
    var typed = normalise(query).replace(/\s+/g, "");
    return INTENTS.filter(function (intent) { return intent.asks.test(typed); })
      .map(function (intent) { return intent.holds; });
  }

  function queryTerms(index, query) {
    var found = map();
    intents(query).forEach(function (holds) { holds.forEach(function (term) { found[term] = true; }); });
    analyse(index, query).forEach(function (concept) {
      Object.keys(concept.terms).forEach(function (term) { found[term] = true; });
    });
    phraseTerms(index, query).forEach(function (term) { found[term] = true; });
    return Object.keys(found);
  }

  /* FNV-1a over the term's code points: the term file that holds it (search_shards.term_hash). */
  function termHash(term) {
    var value = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      var code = term.codePointAt(i);
      if (code > 0xffff) i++;
      value = Math.imul(value ^ code, 0x01000193) >>> 0;
    }
    return value;
  }

  /* The parts of a sharded index a query needs and that are not loaded yet: term files
     (before ranking) or docs files (for the hits shown). A whole index needs none. */
  function sharded(index) {
    if (!index.parts) return false;
    if (!index.loaded) {
      var alone = map();
      index.parts.alone.forEach(function (term, i) { alone[term] = "terms/a" + i + ".json"; });
      Object.defineProperty(index, "_alone", { value: alone });
      index.postings = map(); index.idf = map(); index.docs = []; index.loaded = map();
    }
    return true;
  }

  function termFiles(index, query) {
    var parts = index.parts, wanted = map();
    if (!sharded(index)) return [];
    queryTerms(index, query).forEach(function (term) {
      wanted[own(index._alone, term) || "terms/" + termHash(term) % parts.terms + ".json"] = true;
    });
    return Object.keys(wanted).filter(function (name) { return !own(index.loaded, name); });
  }

  function docFiles(index, docs) {
    var parts = index.parts, wanted = map();
    if (!sharded(index)) return [];
    docs.forEach(function (doc) {
      if (!index.docs[doc]) wanted["docs/" + Math.floor(doc / parts.docs) + ".json"] = true;
    });
    return Object.keys(wanted).filter(function (name) { return !own(index.loaded, name); });
  }

  /* Add a fetched part (its name, its parsed JSON) to a sharded index. */
  function merge(index, name, part) {
    sharded(index);
    if (own(index.loaded, name)) return;
    index.loaded[name] = true;
    if (part.docs) {
      part.docs.forEach(function (row, i) { index.docs[part.first + i] = row; });
      return;
    }
    Object.keys(part).forEach(function (term) {
      var values = part[term], store = [], previous = 0;
      for (var i = 1; i < values.length; i += 2) {
        previous += values[i];
        store.push(previous, values[i + 1]);
      }
      index.idf[term] = values[0];
      index.postings[term] = store;
    });
  }

  /* Each entry's kind, one letter an entry (r article, f form, p role), from the index's runs. */
  function kinds(index) {
    if (!index._kinds) {
      var letters = index.kinds.map(function (run) { return new Array(run[1] + 1).join(run[0]); }).join("");
      Object.defineProperty(index, "_kinds", { value: letters });
    }
    return index._kinds;
  }

  /* For each entry, how many of the kinds of answer the query asks for it holds a word of. */
  function fitting(index, query) {
    var fits = map();
    intents(query).forEach(function (holds) {
      var seen = map();
      holds.forEach(function (term) {
        var list = own(index.postings, term) || [];
        for (var i = 0; i < list.length; i += 2) seen[list[i]] = true;
      });
      Object.keys(seen).forEach(function (doc) { fits[doc] = (fits[doc] || 0) + 1; });
    });
    return fits;
  }

  /* Ranked hits {doc, score, coverage}: BM25 over the concepts' terms, times how much of
     the question a hit covers, times 1.5 when it holds every pair of the question as typed,
     times INTENT for each kind of answer asked for that it holds. */
  function rank(index, query) {
    var concepts = analyse(index, query);
    var scores = map(), covered = map(), total = 0;
    var count = index.count || index.docs.length;
    concepts.forEach(function (concept, c) {
      var weight = 0;
      Object.keys(concept.terms).forEach(function (term) {
        var list = own(index.postings, term);
        var idf = list ? own(index.idf, term) : Math.log(1 + count);
        if (isPair(term) || concept.text.length === 1) weight = Math.max(weight, idf);
        if (!list) return;
        for (var i = 0; i < list.length; i += 2) {
          var doc = list[i], tf = list[i + 1];
          var norm = tf + K1 * (1 - B + B * index.lengths[doc] / index.average);
          scores[doc] = (scores[doc] || 0) + concept.terms[term] * idf * tf * (K1 + 1) / norm;
          if (isPair(term) || concept.text.length === 1) {
            var seen = covered[doc] || (covered[doc] = map());
            seen[c] = Math.max(seen[c] || 0, idf);
          }
        }
      });
      concept.weight = concept.text.length === 1 ? weight * LONE : weight;
      total += concept.weight;
    });
    var whole = phraseTerms(index, query), holding = map();
    whole.forEach(function (term, t) {
      var list = own(index.postings, term) || [];
      for (var i = 0; i < list.length; i += 2) {
        if ((holding[list[i]] || 0) === t) holding[list[i]] = t + 1;
      }
    });
    var typed = normalise(query).replace(/\s+/g, "");
    var asksForForm = FORM_WORDS.test(typed), asksForDuties = ASKS_DUTIES.test(typed);
    var fits = fitting(index, query);
    var hits = Object.keys(scores).map(function (doc) {
      var bonus = whole.length && holding[doc] === whole.length ? PHRASE : 1;
      var got = 0, rare = 0, words = 0, seen = covered[doc] || {};
      concepts.forEach(function (concept, c) {
        if (!seen[c]) return;
        got += concept.weight;
        if (concept.text.length > 1) words++;
        if (concept.text.length === 1 || concept.weight > COMMON) rare += concept.weight;
      });
      var coverage = total ? 0.5 + got / total : 1;
      var kind = kinds(index)[doc];
      var page = kind === "r" ? 1 : kind === "f" && asksForForm ? FORM_WEIGHT :
        kind === "p" && asksForDuties ? DUTIES_WEIGHT : PAGE_WEIGHT;
      var intent = Math.pow(INTENT, fits[doc] || 0);
      return { doc: +doc, score: scores[doc] * bonus * coverage * page * intent,
               coverage: words ? rare / total : 0 };
    }).sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    /* nothing rather than noise: the best hits must match a good share of the question's
       words, not only single characters */
    var best = hits.slice(0, 10).reduce(function (m, hit) { return Math.max(m, hit.coverage); }, 0);
    return best < FLOOR ? [] : hits;
  }

  /* Ranked hits with what is shown of each (url, title, context, text); a hit whose docs
     file is not merged yet has only its doc number and score. */
  function describe(index, hits) {
    return hits.map(function (hit) {
      var entry = index.docs[hit.doc];
      return entry ? { doc: hit.doc, url: entry[0], title: entry[1], context: entry[2], text: entry[3],
                       score: hit.score, coverage: hit.coverage }
        : { doc: hit.doc, score: hit.score, coverage: hit.coverage };
    });
  }

  /* The hits shown, ranked again now that their rows are at hand: a hit whose shown title
     (its heading, or the first words of an article without one) holds more of the
     question's words moves up, up to ×(1 + TITLE) when it holds them all. */
  function rerank(index, query, hits) {
    var concepts = analyse(index, query), total = 0;
    concepts.forEach(function (concept) { total += concept.text.length > 1 ? 1 : LONE; });
    return hits.map(function (hit) {
      var row = index.docs[hit.doc];
      if (!row || !total) return hit;
      var title = normalise(row[1]), got = 0;
      concepts.forEach(function (concept) {
        var named = Object.keys(concept.terms).some(function (term) {
          return concept.terms[term] >= AFFIX && (isPair(term) || concept.text.length === 1) &&
            title.indexOf(term) >= 0;
        });
        if (named) got += concept.text.length > 1 ? 1 : LONE;
      });
      return { doc: hit.doc, score: hit.score * (1 + TITLE * got / total), coverage: hit.coverage };
    }).sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  /* The first `limit` hits of a query, described; with a sharded index, the term files of
     the query must be merged first (termFiles), and the docs files of the hits (docFiles). */
  function search(index, query, limit) {
    return describe(index, rerank(index, query, rank(index, query).slice(0, limit || 10)));
  }

  /* The part of a hit's text to show, as [piece, marked] pairs: a window of `width`
     characters around the first place a word of the query (or of its synonyms) occurs,
     with each occurrence marked. */
  function passage(text, concepts, width) {
    var pairs = map();
    concepts.forEach(function (concept) {
      Object.keys(concept.terms).forEach(function (term) { if (term.length > 1) pairs[term] = true; });
    });
    var marked = [], first = -1;
    var folded = normalise(text);
    for (var i = 0; i + 1 < text.length; i++) {
      if (folded.length === text.length && own(pairs, folded.slice(i, i + 2))) {
        marked[i] = marked[i + 1] = true;
        if (first < 0) first = i;
      }
    }
    var start = first > 15 ? first - 15 : 0;
    var end = Math.min(text.length, start + width);
    var pieces = [];
    for (var j = start; j < end; j++) {
      var last = pieces[pieces.length - 1];
      if (last && last[1] === !!marked[j]) last[0] += text[j];
      else pieces.push([text[j], !!marked[j]]);
    }
    if (start > 0 && pieces.length) pieces[0][0] = "…" + pieces[0][0];
    if (end < text.length && pieces.length) pieces[pieces.length - 1][0] += "…";
    return pieces;
  }

  /* Direct answers (generated/search/answers.json): who approves a form, what a role is
     responsible for, the row of a table that applies. Shown only when the question asks
     for one (its words) and names the thing, or its best hits lead to it. */
  var ASKS_APPROVAL = /谁批|谁审|谁签|审批|批准|找谁|签字|签批|同意|批一下|要批|谁来批|流程/;
  var ASKS_DUTIES = /负责什么|负责啥|负责哪些|管什么|管啥|管哪些|干什么|干啥|做什么|做啥|职责|工作内容|干嘛|的活|是做/;
  /* What a question asks for, told by its question words, and the words of the handbook
     that kind of answer holds: who does or decides it (负责, 审批 …), how long or how often
     (期限, 周期, 每月 …), how much (标准, 金额, 元 …), what someone does (职责, 负责). */
  var INTENTS = [
    { asks: /谁|哪个部门|哪个岗位|哪位|找哪/,
      holds: ["负责", "审批", "批准", "审核", "职责", "责任"] },
    { asks: /多久|多长|几天|几个月|几年|什么时候|啥时候|何时|多少天|期限|一次/,
      holds: ["期限", "周期", "日内", "天内", "以内", "每月", "每年", "每周", "季度", "定期", "个月", "小时", "之前"] },
    { asks: /多少|标准|几个|几名|怎么算|上限|最高|最多/,
      holds: ["标准", "最高", "超过", "金额", "费用", "比例", "以上", "以下", "元", "名"] },
    { asks: /能不能|可不可以|可以|能否|行吗|行不行|准不准|让不让|允许|能.*吗|会怎样|会怎么样/,
      holds: ["不得", "禁止", "严禁", "不准", "不允许", "未经", "擅自", "不能"] },
    { asks: /怎么办|咋办|怎么处理|如何处理|第一步|先做什么|先干嘛|怎么弄|步骤/,
      holds: ["处理", "流程", "程序", "步骤", "立即", "及时", "报告"] },
    { asks: /负责什么|负责啥|负责哪些|管什么|管啥|管哪些|干什么|干啥|做什么|做啥|职责|工作内容|是做/,
      holds: ["职责", "负责"] }  /* ASKS_DUTIES but 干嘛 (先干嘛 asks what to do, not whose duty) */
  ];
  var ROW_SPLIT = /[、\/，,及和或与（）()\s]+/;
  var ASKS_AMOUNT = /多少|标准|几|能不能|能否|可以|可不可以|坐什么|住什么|怎么算|怎么结/;
  var FORM_TAIL = /(申请单|申请表|登记表|记录表|报告单|报表|单|表)$/;
  var ROW_TAIL = /(及以上|以上|以下|级别人员|级别|人员)$/;

  /* The names a thing is called by: the name itself and, when long enough, without the
     tail a question leaves out (发货申请 for 发货申请单, 部门经理 for 部门经理级别). */
  function callings(name, tail, shortest) {
    var found = [normalise(name)];
    [/[单表]$/, tail].forEach(function (end) {
      var short = found[0].replace(end, "");
      if (short !== found[0] && short.length >= shortest && found.indexOf(short) < 0) found.push(short);
    });
    return found;
  }

  function named(text, names) {
    var best = null;
    names.forEach(function (pair) {
      var name = normalise(pair[0]);
      if (name.length > 1 && text.indexOf(name) >= 0 && (!best || name.length > best[0].length)) best = [name, pair[1]];
    });
    return best ? best[1] : null;
  }

  function formAnswer(answers, text, hits) {
    var names = [];
    answers.forms.forEach(function (f) {
      callings(f.title, FORM_TAIL, 2).forEach(function (name) { names.push([name, f]); });
    });
    var form = named(text, names);
    hits.slice(0, 3).forEach(function (hit) {
      if (form) return;
      answers.forms.forEach(function (f) {
        if (!form && (hit.url === f.url || hit.text.indexOf("《" + f.title + "》") >= 0)) form = f;
      });
    });
    if (!form || !form.approval.length) return null;
    return { kind: "form", url: form.url, title: "《" + form.title + "》", source: "表单 · 审批流程",
             lines: ["审批：" + form.approval.join(" → ")] };
  }

  function roleAnswer(answers, text, hits) {
    var names = [];
    answers.roles.forEach(function (r) {
      names.push([r.name, r]);
      r.aliases.forEach(function (a) { names.push([a, r]); });
    });
    var role = named(text, names);
    if (!role && hits.length) {
      answers.roles.forEach(function (r) { if (!role && hits[0].url === r.url) role = r; });
    }
    if (!role || !role.duties.length) return null;
    var where = [role.department, role.reports_to ? "上级：" + role.reports_to : ""].filter(Boolean).join(" · ");
    var lines = role.duties.map(function (d, i) { return (i + 1) + ". " + d; });
    if (role.more) lines.push("……另有 " + role.more + " 项，见岗位页");
    return { kind: "role", url: role.url, title: role.name + (where ? "（" + where + "）" : "") + " 的职责",
             source: "岗位职责",
             lines: lines };
  }

  function rowAnswer(answers, text, hits) {
    for (var h = 0; h < Math.min(hits.length, 3); h++) {
      var table = own(answers.tables, hits[h].url);
      if (!table) continue;
      var found = null, size = 0;
      table.rows.forEach(function (row) {
        normalise(row[0]).split(ROW_SPLIT).forEach(function (piece) {
          callings(piece, ROW_TAIL, 3).forEach(function (name) {
            if (name.length > 1 && name.length > size && text.indexOf(name) >= 0) { found = row; size = name.length; }
          });
        });
      });
      if (found) {
        return { kind: "row", url: hits[h].url, title: table.title || hits[h].title, source: hits[h].context,
                 lines: table.columns.map(function (c, i) { return c + "：" + (found[i] || "—"); }) };
      }
      if (h === 0 && ASKS_AMOUNT.test(text) && table.rows.length <= 6) {
        return { kind: "table", url: hits[0].url, title: table.title || hits[0].title, source: hits[0].context,
                 lines: table.rows.map(function (row) { return row[0] + "：" + row.slice(1).join("；"); }) };
      }
    }
    return null;
  }

  /* The direct answer to a query, or null: {kind, url, title, source, lines}. */
  function answer(answers, query, hits) {
    if (!answers) return null;
    var text = normalise(query).replace(/\s+/g, "");
    if (ASKS_APPROVAL.test(text)) {
      var form = formAnswer(answers, text, hits);
      if (form) return form;
    }
    if (ASKS_DUTIES.test(text)) {
      var role = roleAnswer(answers, text, hits);
      if (role) return role;
    }
    return rowAnswer(answers, text, hits);
  }

  var api = { tokens: tokens, analyse: analyse, search: search, passage: passage, answer: answer,
              termFiles: termFiles, docFiles: docFiles, merge: merge, termHash: termHash,
              index: null, answers: null, ready: false };
  if (typeof module !== "undefined") { module.exports = api; }
  if (typeof window === "undefined" || window.handbookSearch) return;  /* loaded once a page */
  window.handbookSearch = api;

  var script = document.currentScript;
  var root = script ? script.src.replace(/assets\/handbook-search\.js.*$/, "") : "/";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function answerCard(found) {
    var item = element("li", "hb-answer");
    var link = element("a", "hb-hit");
    link.href = root + found.url;
    link.appendChild(element("strong", "", found.title));
    link.appendChild(element("span", "hb-context", found.source));
    found.lines.forEach(function (line) { link.appendChild(element("p", "", line)); });
    item.appendChild(link);
    return item;
  }

  function show(index, query, hits, list) {
    list.innerHTML = "";
    var found = answer(api.answers, query, hits);
    if (found) list.appendChild(answerCard(found));
    if (!hits.length && !found) {
      list.appendChild(element("li", "hb-none", "没有找到与“" + query + "”相关的条文。" +
        "换个说法试试，或用制度里的词，例如：住宿标准、请假、合同审批。"));
    }
    var concepts = analyse(index, query);
    hits.forEach(function (hit) {
      var item = element("li");
      var link = element("a", "hb-hit");
      link.href = root + hit.url;
      link.appendChild(element("strong", "", hit.title));
      link.appendChild(element("span", "hb-context", hit.context));
      var text = element("p");
      passage(hit.text, concepts, 90).forEach(function (piece) {
        text.appendChild(piece[1] ? element("mark", "", piece[0]) : document.createTextNode(piece[0]));
      });
      link.appendChild(text);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.setAttribute("data-query", query);  /* whose results the list shows */
    if (!window.hbFirstResultAt) window.hbFirstResultAt = performance.now();
  }

  /* Each file is fetched once per page load, however often start() runs (Material's
     instant navigation calls it again on every page). */
  var loading = map();
  function load(name) {
    if (loading[name]) return loading[name];
    /* the first part was asked for by the page's head (main.html), before this script ran */
    var asked = name === "index.json" && window.hbFirstPart;
    return (loading[name] = (asked || fetch(root + "generated/search/" + name))
      .then(function (r) { if (!r.ok) throw new Error(name + ": " + r.status); return r.json(); }));
  }

  function fetchParts(index, names) {
    return Promise.all(names.map(function (name) {
      return load(name).then(function (part) { merge(index, name, part); });
    }));
  }

  /* A query's term files, then the docs files of its hits, then the list; a query typed
     meanwhile wins (only the latest is shown). */
  var asked = 0;
  function render(index, query, list) {
    var turn = ++asked;
    return fetchParts(index, termFiles(index, query)).then(function () {
      if (turn !== asked) return null;
      var hits = rank(index, query).slice(0, 10);
      return fetchParts(index, docFiles(index, hits.map(function (hit) { return hit.doc; })))
        .then(function () {
          if (turn === asked) show(index, query, describe(index, rerank(index, query, hits)), list);
        });
    }).catch(function (error) {
      if (turn !== asked) return;
      list.innerHTML = "";
      list.appendChild(element("li", "hb-none", "搜索暂时不可用（" + error.message + "），请稍后再试。"));
    });
  }

  function bind(input, list, index) {
    input.hbBound = true;
    function run(event) {
      if (event && event.isComposing) return;  /* an IME still composing: wait for its end */
      var query = input.value.trim();
      if (!query) { asked++; list.innerHTML = ""; list.removeAttribute("data-query"); return; }
      render(index, query, list);
    }
    input.addEventListener("input", run);  /* typing, pasting, dictation, IME commits */
    input.addEventListener("search", run);
    input.addEventListener("compositionend", run);
    if (input.value.trim()) run();
    /* the answers file is not needed for the first results: fetched after */
    load("answers.json")
      .then(function (answers) { api.answers = answers; if (input.value.trim()) run(); })
      .catch(function () { /* no direct answers: the list still works */ })
      .then(function () { document.documentElement.setAttribute("data-hb-answers", "ready"); });
  }

  /* Binds the page's search box once it is there and the first part of the index is read
     (the script runs from the page's head, before the box exists). */
  function start() {
    load("index.json").then(function (index) {
      var input = document.getElementById("hb-search-input");
      var list = document.getElementById("hb-search-results");
      if (!input || !list) return;
      if (!api.ready) {
        api.index = index; api.ready = true;
        window.hbSearchReadyAt = performance.now();
        document.documentElement.setAttribute("data-hb-search", "ready");
      }
      if (!input.hbBound) bind(input, list, index);
    });
  }
  start();
  if (document.readyState === "loading") {
    var watch = new MutationObserver(function () {
      if (document.getElementById("hb-search-results")) { watch.disconnect(); start(); }
    });
    watch.observe(document.documentElement, { childList: true, subtree: true });
  }
  function instant() {  /* Material's instant navigation replaces the page's content */
    if (window.document$) window.document$.subscribe(start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", instant);
  else instant();
})();
