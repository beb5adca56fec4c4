/*
 * Avoin's search page: reads the index the generator wrote (its format is in
 * generator/site/search.h) a shard at a time, ranks with BM25 and shows the
 * results as one types. No framework, no build step. Words are folded as
 * generator/render/terms.c folds them; the index's terms are the starts of
 * the words they stand for, so a query word finds its terms among its own
 * starts, with no stemmer here.
 */
(function (root) {
	"use strict";
	var L1 = ("a a a a ä å ä c e e e e i i i i d n o o o o ö - ö u u u u y th ss " +
		"a a a a ä å ä c e e e e i i i i d n o o o o ö - ö u u u u y th y").split(" ");
	var XA = ("a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g g g g g " +
		"h h h h i i i i i i i i i i ij ij j j k k k l l l l l l l l l l n n n n n n n n " +
		"n o o o o o o oe oe r r r r r r s s s s s s s s t t t t t t u u u u u u u u u u " +
		"u u w w y y y z z z z z z s").split(" ");

	/* A code point's folded form, "" kept as it is, null for a separator (terms.c's fold_of). */
	function foldOf(c) {
		if (c < 0x80) {
			if (c >= 0x30 && c <= 0x39 || c >= 0x61 && c <= 0x7a) return String.fromCharCode(c);
			if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 32);
			return null;
		}
		if (c >= 0xc0 && c < 0x100) return L1[c - 0xc0] === "-" ? null : L1[c - 0xc0];
		if (c >= 0x100 && c < 0x180) return XA[c - 0x100];
		if (c >= 0x370 && c < 0x2000) return "";
		return null;
	}

	function utf8Length(s) {
		var n = 0;
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
		}
		return n;
	}

	/* The text as segments: {text, word} where word is the folded word, or null between words. */
	function segments(text) {
		var out = [], cur = "", raw = "";
		function end() {
			if (raw) out.push({ text: raw, word: cur });
			cur = raw = "";
		}
		for (var i = 0; i < text.length; i++) {
			var c = text.codePointAt(i), ch = String.fromCodePoint(c);
			if (c > 0xffff) i++;
			var f = foldOf(c);
			if (f === null) {
				end();
				out.push({ text: ch, word: null });
			} else {
				cur += f === "" ? ch : f;
				raw += ch;
			}
		}
		end();
		return out;
	}

	/* The query's words, folded; of two bytes or more, as the index counts them. */
	function words(text) {
		return segments(text).filter(function (s) {
			return s.word !== null && utf8Length(s.word) >= 2 && utf8Length(s.word) <= 48;
		}).map(function (s) { return s.word; });
	}

	function chars(s) { return Array.from(s); }

	function commonStart(a, b) {
		var n = 0;
		while (n < a.length && n < b.length && a[n] === b[n]) n++;
		return n;
	}

	/*
	 * How well the index term t stands for the query word w (0: not at all):
	 * t is a start of w (its stem); w is being typed and starts t; or they
	 * share a long start (Finnish stems that the stemmer leaves apart:
	 * "sopimus", "sopimuks").
	 */
	function match(t, w, last) {
		var tc = chars(t), wc = chars(w);
		if (t === w) return 1;
		if (wc.length > tc.length && w.indexOf(t) === 0 && tc.length >= Math.max(3, wc.length - 5)) return 1;
		if (last && wc.length >= 3 && t.indexOf(w) === 0) return 0.6;
		var l = commonStart(tc, wc);
		if (l >= 5 && l >= tc.length - 2 && l >= wc.length - 4) return 0.8;
		return 0;
	}

	/* The shard's key of a word: its first two letters. */
	function keyOf(w) { return chars(w).slice(0, 2).join(""); }

	/*
	 * Ranks the documents for query q. load(name) gives a promise of the
	 * parsed JSON file name of the index; filters: {type, region} keys or "".
	 * Resolves to {ids, terms, total}: the documents best first, the terms
	 * that matched (for marking them), how many matched.
	 */
	function rank(q, load, filters) {
		var ws = words(q);
		if (!ws.length) return Promise.resolve({ ids: [], terms: [], total: 0 });
		return load("meta.json").then(function (meta) {
			var keys = {};
			ws.forEach(function (w) { keys[keyOf(w)] = true; });
			var names = Object.keys(keys).filter(function (k) { return meta.shards[k]; });
			var wanted = filters && (filters.type || filters.region);
			return Promise.all(names.map(function (k) { return load(meta.shards[k]); }).concat(
				[load(meta.lengths)], wanted ? [load(meta.filters)] : [])).then(function (files) {
				var shards = {};
				names.forEach(function (k, i) { shards[k] = files[i]; });
				var fl = wanted ? files[names.length + 1] : null;
				return score(meta, shards, files[names.length], ws, fl, filters);
			});
		});
	}

	/* BM25's constants */
	var K1 = 1.2, B = 0.75;

	function score(meta, shards, lengths, ws, fl, filters) {
		var total = {}, hits = {}, terms = [];
		ws.forEach(function (w, wi) {
			var shard = shards[keyOf(w)] || {}, per = {};
			Object.keys(shard).forEach(function (t) {
				var m = match(t, w, wi === ws.length - 1);
				if (!m) return;
				terms.push(t);
				var p = shard[t], df = p.length / 2;
				var idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
				/* a word's best term counts: "kun" and "kunt" are the same word twice */
				for (var i = 0; i < p.length; i += 2) {
					var tf = p[i + 1], norm = K1 * (1 - B + B * lengths[p[i]] / (meta.avg || 1));
					per[p[i]] = Math.max(per[p[i]] || 0, idf * tf * (K1 + 1) / (tf + norm) * m);
				}
			});
			Object.keys(per).forEach(function (d) {
				total[d] = (total[d] || 0) + per[d];
				hits[d] = (hits[d] || 0) + 1;
			});
		});
		var ids = Object.keys(total).map(Number).filter(function (d) {
			if (!fl) return true;
			var f = fl[d], lab = meta.labels;
			return (!filters.type || lab.type[f[0]][0] === filters.type) &&
				(!filters.region || (f[1] >= 0 && lab.region[f[1]][0] === filters.region));
		});
		ids.sort(function (a, b) {
			return hits[b] - hits[a] || total[b] - total[a] || a - b;
		});
		return { ids: ids, terms: terms, total: ids.length };
	}

	var api = { words: words, segments: segments, match: match, rank: rank };
	if (typeof module !== "undefined" && module.exports) module.exports = api;
	if (typeof document === "undefined") return;

	/* ---- the page ---- */
	var form = document.querySelector("form.search-form");
	if (!form || !root.fetch || !Array.from) return;
	var base = form.getAttribute("data-index"), pageRoot = form.getAttribute("data-root");
	var input = document.getElementById("q"), status = document.getElementById("search-status");
	var list = document.getElementById("search-results");
	var fType = document.getElementById("f-type"), fRegion = document.getElementById("f-region");
	var files = {}, MAX = 50, timer = null, seq = 0;

	function load(name) {
		if (!files[name]) files[name] = fetch(base + name).then(function (r) {
			if (!r.ok) throw new Error(name + ": " + r.status);
			return r.json();
		});
		return files[name];
	}

	function say(key, n, shown) {
		return form.getAttribute("data-" + key).replace("{n}", n).replace("{shown}", shown);
	}

	/* Text with the words that a matched term starts marked; escaped by the DOM. */
	function marked(el, text, terms) {
		segments(text).forEach(function (s) {
			var hit = s.word && terms.some(function (t) { return s.word.indexOf(t) === 0; });
			if (hit) {
				var m = document.createElement("mark");
				m.textContent = s.text;
				el.appendChild(m);
			} else {
				el.appendChild(document.createTextNode(s.text));
			}
		});
	}

	function show(res, rows) {
		list.textContent = "";
		res.ids.slice(0, MAX).forEach(function (id, i) {
			var d = rows[i], li = document.createElement("li"), h = document.createElement("h2");
			var a = document.createElement("a");
			a.href = pageRoot + d[1];
			if (d[6]) a.lang = d[6];
			marked(a, d[0], res.terms);
			h.appendChild(a);
			li.appendChild(h);
			var meta = document.createElement("p");
			meta.className = "meta";
			meta.textContent = [d[2], d[3], d[4]].filter(Boolean).join(" · ");
			li.appendChild(meta);
			if (d[5]) {
				var p = document.createElement("p");
				marked(p, d[5], res.terms);
				li.appendChild(p);
			}
			list.appendChild(li);
		});
		var n = res.total;
		var text = n === 0 ? say("none") : n === 1 ? say("one") : say("many", n);
		if (n > MAX) text += " " + say("more", n, MAX);
		status.textContent = text;
	}

	function run() {
		var q = input.value, my = ++seq;
		var filters = { type: fType ? fType.value : "", region: fRegion ? fRegion.value : "" };
		var params = new URLSearchParams();
		if (q) params.set("q", q);
		if (filters.type) params.set("tyyppi", filters.type);
		if (filters.region) params.set("alue", filters.region);
		history.replaceState(null, "", "?" + params.toString());
		if (!words(q).length) {
			list.textContent = "";
			status.textContent = "";
			return;
		}
		status.textContent = say("loading");
		rank(q, load, filters).then(function (res) {
			return load("meta.json").then(function (meta) {
				var top = res.ids.slice(0, MAX);
				return Promise.all(top.map(function (id) {
					return load(meta.docs[Math.floor(id / meta.chunk)]).then(function (part) {
						return part[id % meta.chunk];
					});
				})).then(function (rows) {
					if (my === seq) show(res, rows);
				});
			});
		}).catch(function () {
			if (my === seq) status.textContent = say("failed");
		});
	}

	function later() {
		clearTimeout(timer);
		timer = setTimeout(run, 150);
	}

	var params = new URLSearchParams(location.search);
	input.value = params.get("q") || "";
	if (fType) fType.value = params.get("tyyppi") || "";
	if (fRegion) fRegion.value = params.get("alue") || "";
	form.addEventListener("submit", function (e) {
		e.preventDefault();
		run();
	});
	input.addEventListener("input", later);
	[fType, fRegion].forEach(function (f) { if (f) f.addEventListener("change", run); });
	if (input.value) run();
})(typeof window !== "undefined" ? window : this);
