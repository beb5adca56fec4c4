// make bench: the bytes a search fetches, Avoin's index against Pagefind's, in Chromium.
//
//   node scripts/search-bytes.mjs SITE PAGEFIND_DIR QUERY...
//
// Serves SITE (a site Avoin built) on 127.0.0.1, and PAGEFIND_DIR (Pagefind's output
// for the same site) under /pagefind/. For each query: opens Avoin's search page with
// the query, waits for its first results (ten, with their titles and summaries), and
// counts the bytes of every file of the index it fetched and of its script; then, in a fresh page, runs
// Pagefind's own client (pagefind.js: search, then data() of the first ten results,
// which is what its UI shows first) and counts the bytes under /pagefind/. Prints a
// line per query and tool. Uses playwright-core from tests/browser/node_modules and
// Debian's chromium (CHROMIUM overrides the path).
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, resolve, extname } from "node:path";
import { createRequire } from "node:module";

const here = new URL(".", import.meta.url).pathname;
const require = createRequire(join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");

const [siteArg, pfArg, ...queries] = process.argv.slice(2);
if (!siteArg || !pfArg || !queries.length) {
	console.error("usage: node scripts/search-bytes.mjs SITE PAGEFIND_DIR QUERY...");
	process.exit(2);
}
const site = resolve(siteArg), pf = resolve(pfArg);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json",
	".css": "text/css", ".wasm": "application/wasm" };

function answer(path) {
	const [dir, rel] = path.startsWith("/pagefind/") ? [pf, path.slice(10)] : [site, path];
	let f = join(dir, decodeURIComponent(rel));
	if (!f.startsWith(dir)) return null;
	if (existsSync(f) && statSync(f).isDirectory()) f = join(f, "index.html");
	return existsSync(f) ? f : null;
}

const server = createServer((req, res) => {
	const f = answer(new URL(req.url, "http://x").pathname);
	if (!f) {
		res.writeHead(404);
		res.end();
		return;
	}
	const body = readFileSync(f);
	res.writeHead(200, { "content-type": TYPES[extname(f)] || "application/octet-stream",
		"content-length": body.length });
	res.end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"],
});

// Opens url in a fresh page, runs act, and sums the bytes of the responses whose path
// starts with one of prefixes (the index and the client's own script).
async function fetched(url, prefixes, act) {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	const sizes = [];
	page.on("response", (r) => {
		const path = new URL(r.url()).pathname;
		if (!prefixes.some((p) => path.startsWith(p))) return;
		sizes.push(r.body().then((b) => {
			if (process.env.SEARCH_BYTES_DEBUG) console.error(path, b.length);
			return b.length;
		}, () => 0));
	});
	await page.goto(url);
	const shown = await act(page);
	await page.waitForTimeout(300);
	const all = await Promise.all(sizes);
	await ctx.close();
	return { bytes: all.reduce((a, b) => a + b, 0), files: all.length, shown };
}

try {
	for (const q of queries) {
		const a = await fetched(`${base}/haku/?q=${encodeURIComponent(q)}`, ["/haku/fi/", "/static/search.js"], async (page) => {
			await page.waitForSelector("#search-results li", { timeout: 20000 });
			return page.$$eval("#search-results li", (l) => l.length);
		});
		const p = await fetched(`${base}/404.html`, ["/pagefind/"], (page) => page.evaluate(async (q) => {
			const pagefind = await import("/pagefind/pagefind.js");
			const r = await pagefind.search(q);
			const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
			return data.length;
		}, q));
		for (const [tool, m] of [["avoin", a], ["pagefind", p]])
			console.log(`search-bytes: "${q}" ${tool} ${m.bytes} bytes in ${m.files} files, ${m.shown} results shown`);
	}
} finally {
	await browser.close();
	server.close();
}
