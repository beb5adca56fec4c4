// node search-rank.cjs SEARCH_JS SITE QUERIES: runs each query of QUERIES (language,
// query, expected page) through the search page's own ranking over SITE's index, as
// the browser would, and prints "ok"/"not ok" per query with the first three results.
"use strict";
const fs = require("fs");
const path = require("path");
const [js, site, queries] = process.argv.slice(2);
const search = require(path.resolve(js));
let failed = 0;
(async () => {
	for (const line of fs.readFileSync(queries, "utf8").split("\n")) {
		if (!line || line.startsWith("#")) continue;
		const [lang, q, want] = line.split("\t");
		const dir = path.join(site, "haku", lang);
		const load = (n) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, n), "utf8")));
		const meta = await load("meta.json");
		const res = await search.rank(q, load, null);
		const top = [];
		for (const id of res.ids.slice(0, 3)) {
			const part = await load(meta.docs[Math.floor(id / meta.chunk)]);
			top.push(part[id % meta.chunk][1]);
		}
		const ok = top.includes(want);
		if (!ok) failed++;
		console.log(`${ok ? "ok" : "not ok"} - ${lang} "${q}": ${top.join(" | ")}${ok ? "" : ` (expected ${want})`}`);
	}
	process.exit(failed ? 1 : 0);
})();
