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

	/* The shards that may hold a word's terms: of its first two letters, and of three. */
	function shardKeys(meta, w) {
		var c = chars(w), k2 = c.slice(0, 2).join(""), k3 = c.slice(0, 3).join(""), out = [];
		if (meta.shards[k2]) out.push(k2);
		if (c.length >= 3 && meta.shards[k3]) out.push(k3);
		return out;
	}

	var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	/* The lengths file: two base64url characters per document. */
	function lengthsOf(s) {
		var out = new Array(s.length / 2);
		for (var i = 0; i < out.length; i++)
			out[i] = B64.indexOf(s[2 * i]) * 64 + B64.indexOf(s[2 * i + 1]);
		return out;
	}

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
			ws.forEach(function (w) { shardKeys(meta, w).forEach(function (k) { keys[k] = true; }); });
			var names = Object.keys(keys);
			var wanted = filters && Object.keys(filters).some(function (k) { return filters[k]; });
			return Promise.all(names.map(function (k) { return load(meta.shards[k]); }).concat(
				[load(meta.lengths)], wanted ? [load(meta.filters)] : [])).then(function (files) {
				var shards = {};
				names.forEach(function (k, i) { shards[k] = files[i]; });
				var fl = wanted ? files[names.length + 1] : null;
				return score(meta, shards, lengthsOf(files[names.length]), ws, fl, filters);
			});
		});
	}

	/* BM25's constants */
	var K1 = 1.2, B = 0.75;

	function score(meta, shards, lengths, ws, fl, filters) {
		var total = {}, hits = {}, terms = [];
		ws.forEach(function (w, wi) {
			var per = {};
			shardKeys(meta, w).forEach(function (k) {
				var shard = shards[k] || {};
				Object.keys(shard).forEach(function (t) {
					var m = match(t, w, wi === ws.length - 1);
					if (!m) return;
					terms.push(t);
					var p = shard[t], df = p.length / 2, doc = 0;
					var idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
					/* a word's best term counts: "kun" and "kunt" are the same word twice */
					for (var i = 0; i < p.length; i += 2) {
						doc += p[i];
						var tf = p[i + 1], norm = K1 * (1 - B + B * lengths[doc] / (meta.avg || 1));
						per[doc] = Math.max(per[doc] || 0, idf * tf * (K1 + 1) / (tf + norm) * m);
					}
				});
			});
			Object.keys(per).forEach(function (d) {
				total[d] = (total[d] || 0) + per[d];
				hits[d] = (hits[d] || 0) + 1;
			});
		});
		var ids = Object.keys(total).map(Number).filter(function (d) {
			return !fl || passes(meta.labels, fl[d], filters);
		});
		ids.sort(function (a, b) {
			return hits[b] - hits[a] || total[b] - total[a] || a - b;
		});
		return { ids: ids, terms: terms, total: ids.length };
	}

	/*
	 * A document's filters ([type, region, year, [municipalities], [themes]] as
	 * places in the labels) against the ones chosen. A record for a whole region
	 * (no municipalities) counts for each municipality of it, as on their pages.
	 */
	function passes(lab, f, want) {
		function key(list, i) { return i >= 0 && list[i] ? list[i][0] : ""; }
		if (want.type && key(lab.type, f[0]) !== want.type) return false;
		if (want.region && key(lab.region, f[1]) !== want.region) return false;
		if (want.year && String(f[2]) !== want.year) return false;
		if (want.theme && !f[4].some(function (i) { return key(lab.theme, i) === want.theme; })) return false;
		if (want.municipality) {
			var named = f[3].some(function (i) { return key(lab.municipality, i) === want.municipality; });
			var region = key(lab.region, f[1]);
			var whole = !f[3].length && region && want.municipality.indexOf("/" + region + "/") === 0;
			if (!named && !whole) return false;
		}
		return true;
	}

	var api = { words: words, segments: segments, match: match, rank: rank, passes: passes };
	if (typeof module !== "undefined" && module.exports) module.exports = api;
	if (typeof document === "undefined") return;

	/* ---- the page ---- */
	var form = document.querySelector("form.search-form");
	if (!form || !root.fetch || !Array.from) return;
	var base = form.getAttribute("data-index"), pageRoot = form.getAttribute("data-root");
	var input = document.getElementById("q"), status = document.getElementById("search-status");
	var list = document.getElementById("search-results");
	var selects = { type: "f-type", region: "f-region", municipality: "f-municipality",
		theme: "f-theme", year: "f-year" };
	var params = { type: "tyyppi", region: "alue", municipality: "kunta", theme: "teema", year: "vuosi" };
	Object.keys(selects).forEach(function (k) { selects[k] = document.getElementById(selects[k]); });
	var files = {}, PAGE = 10, timer = null, seq = 0, shown = null;
	var more = document.createElement("button");
	more.type = "button";
	more.className = "search-more";
	more.textContent = form.getAttribute("data-more");
	more.hidden = true;
	list.parentNode.insertBefore(more, list.nextSibling);

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

	/* One result: its title (a link), type, region and date, its summary; words marked. */
	function item(d, terms) {
		var li = document.createElement("li"), h = document.createElement("h2");
		var a = document.createElement("a");
		a.href = pageRoot + d[1];
		if (d[6]) a.lang = d[6];
		marked(a, d[0], terms);
		h.appendChild(a);
		li.appendChild(h);
		var meta = document.createElement("p");
		meta.className = "meta";
		meta.textContent = [d[2], d[3], d[7], d[4]].filter(Boolean).join(" · ");
		li.appendChild(meta);
		if (d[5]) {
			var p = document.createElement("p");
			marked(p, d[5], terms);
			li.appendChild(p);
		}
		return li;
	}

	/* The next PAGE results of res (the search my), after the ones shown; focus: to the first. */
	function showMore(res, my, focus) {
		return load("meta.json").then(function (meta) {
			var from = list.children.length, ids = res.ids.slice(from, from + PAGE);
			return Promise.all(ids.map(function (id) {
				return load(meta.docs[Math.floor(id / meta.chunk)]).then(function (part) {
					return part[id % meta.chunk];
				});
			})).then(function (rows) {
				if (my !== seq) return;
				rows.forEach(function (d, i) {
					list.appendChild(item(d, res.terms));
					if (focus && i === 0) list.lastChild.querySelector("a").focus();
				});
				more.hidden = list.children.length >= res.total;
			});
		});
	}

	/* The first results, then their number: announced once they are there to read. */
	function show(res, my) {
		list.textContent = "";
		shown = res;
		var n = res.total;
		return showMore(res, my, false).then(function () {
			if (my === seq) status.textContent = n === 0 ? say("none") : n === 1 ? say("one") : say("many", n);
		});
	}

	function run() {
		var q = input.value, my = ++seq;
		var filters = {}, url = new URLSearchParams();
		if (q) url.set("q", q);
		Object.keys(selects).forEach(function (k) {
			filters[k] = selects[k] ? selects[k].value : "";
			if (filters[k]) url.set(params[k], filters[k]);
		});
		history.replaceState(null, "", "?" + url.toString());
		if (!words(q).length) {
			list.textContent = "";
			status.textContent = "";
			more.hidden = true;
			return;
		}
		status.textContent = say("loading");
		rank(q, load, filters).then(function (res) {
			if (my === seq) return show(res, my);
		}).catch(function () {
			if (my === seq) status.textContent = say("failed");
		});
	}

	function later() {
		clearTimeout(timer);
		timer = setTimeout(run, 150);
	}

	var given = new URLSearchParams(location.search);
	input.value = given.get("q") || "";
	Object.keys(selects).forEach(function (k) {
		if (selects[k]) selects[k].value = given.get(params[k]) || "";
	});
	form.addEventListener("submit", function (e) {
		e.preventDefault();
		run();
	});
	input.addEventListener("input", later);
	more.addEventListener("click", function () {
		if (shown) showMore(shown, seq, true);
	});
	Object.keys(selects).forEach(function (k) {
		if (selects[k]) selects[k].addEventListener("change", run);
	});
	if (input.value) run();
})(typeof window !== "undefined" ? window : this);
