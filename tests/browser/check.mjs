// The browser stage: a built site in Debian's Chromium, as its users see it.
//
//   node tests/browser/check.mjs SITE_DIR [--shots DIR] [--label NAME] [--axe-only]
//
// Serves SITE_DIR on 127.0.0.1 and opens one page of every page kind (the
// class of the first element in <main>, or the file for pages without one) at
// 390 px and at 1366 px, the longest page of each kind. On each it checks:
//   - axe-core: no WCAG 2.1 A or AA violation;
//   - no horizontal overflow: the document is no wider than the window;
//   - every focusable element, reached with Tab, shows a focus ring;
//   - the skip link is the first Tab stop, is visible then, and moves focus to <main>;
//   - at desktop width, printing keeps the site's name, the address and the version.
// Then it opens every page at 320 px and checks that none scrolls sideways.
// Prints one line per check ("ok" / "not ok") and "N passed, M failed" last.
// With --shots, writes a PNG of every page it opened, for a person to look at.
// With --axe-only, only axe and the overflow of each kind, at 390 px: for a
// site whose templates another site's run has looked at in full (a scoped
// site of the same theme), within the suite's time.

import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync } from "node:fs";
import { join, extname, resolve, relative } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WIDTHS = [390, 1366];
const MAX_TABS = 300;
const NARROWEST = 320;

const args = process.argv.slice(2);
const root = resolve(args[0] || "public");
const shots = args.includes("--shots") ? args[args.indexOf("--shots") + 1] : null;
const label = args.includes("--label") ? args[args.indexOf("--label") + 1] : root;
// --search FILE: queries (language, query, expected page) to type into the search page
const searchFile = args.includes("--search") ? args[args.indexOf("--search") + 1] : null;
const axeOnly = args.includes("--axe-only");

const TYPES = {
	".html": "text/html; charset=utf-8", ".css": "text/css", ".xml": "application/xml",
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf",
	".json": "application/json", ".js": "text/javascript", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
};

// What the server answers for a path: the file, a folder's index.html, or 404.html.
function answer(dir, pathname) {
	let f = join(dir, decodeURIComponent(pathname));
	if (!f.startsWith(dir)) return { status: 403, type: "text/plain", body: "" };
	if (existsSync(f) && statSync(f).isDirectory()) f = join(f, "index.html");
	if (!existsSync(f)) {
		const nf = join(dir, "404.html");
		return { status: 404, type: TYPES[".html"], body: existsSync(nf) ? readFileSync(nf) : "not found" };
	}
	return { status: 200, type: TYPES[extname(f)] || "application/octet-stream", body: readFileSync(f) };
}

function serve(dir) {
	return createServer((req, res) => {
		const a = answer(dir, new URL(req.url, "http://x").pathname);
		res.writeHead(a.status, { "content-type": a.type });
		res.end(a.body);
	});
}

function htmlFiles(dir) {
	const out = [];
	for (const name of readdirSync(dir).sort()) {
		const f = join(dir, name);
		if (statSync(f).isDirectory()) out.push(...htmlFiles(f));
		else if (name.endsWith(".html")) out.push(f);
	}
	return out;
}

// The page kind: what <main> starts with ("record record-minutes", "history"),
// else the file's own name (the front page, the themes index, 404, the statement).
function kindOf(file) {
	const html = readFileSync(file, "utf8");
	if (/http-equiv="refresh"/.test(html)) return null; // a redirect has nothing to read
	const m = html.match(/<main[^>]*>\s*<([a-z]+)[^>]*class="([^"]+)"/);
	if (m && m[1] === "article") return m[2];
	const rel = relative(root, file);
	return rel === "index.html" ? "front" : rel.replace(/(\/index)?\.html$/, "");
}

/*
 * The search page, with the keyboard only: Tab to the field, type the first query
 * of each language, wait for the results; the expected page is among the first
 * three, the count is announced, Tab reaches the first result, axe finds nothing
 * with the results shown.
 */
async function searchCheck(browser, base) {
	const seen = new Set();
	for (const line of readFileSync(searchFile, "utf8").split("\n")) {
		if (!line || line.startsWith("#")) continue;
		const [lang, q, want] = line.split("\t");
		if (seen.has(lang)) continue;
		seen.add(lang);
		const prefix = lang === "fi" ? "" : `${lang}/`;
		const ctx = await browser.newContext({ viewport: { width: 390, height: 900 } });
		await routeSiteAddress(ctx, base);
		const page = await ctx.newPage();
		const what = `${label} search in ${lang} ("${q}")`;
		await page.goto(`${base}${prefix}haku/`);
		let tabs = 0;
		while (tabs++ < 40 && await page.evaluate(() => document.activeElement.id) !== "q")
			await page.keyboard.press("Tab");
		report(tabs <= 40, `${what}: Tab reaches the search field`);
		await page.keyboard.type(q);
		let top = [];
		try {
			await page.waitForSelector("#search-results li a", { timeout: 5000 });
			top = await page.$$eval("#search-results li h2 a", (as) => as.slice(0, 3).map((a) => a.href));
		} catch (e) { /* reported below */ }
		report(top.some((h) => h === `${base}${prefix}${want}`), `${what}: ${want} is among the first three`,
			top.join("\n"));
		const status = await page.textContent("#search-status");
		report(/\d/.test(status || ""), `${what}: the number of results is announced`, status);
		const marks = await page.$$eval("#search-results mark", (m) => m.length);
		report(marks > 0, `${what}: the query's words are marked in the results`);
		let reached = false;
		for (let i = 0; i < 8 && !reached; i++) {
			await page.keyboard.press("Tab");
			reached = await page.evaluate(() => document.activeElement === document.querySelector("#search-results a"));
		}
		report(reached, `${what}: Tab reaches the first result`);
		const v = await axeCheck(page);
		report(v.length === 0, `${what}: no axe WCAG 2.1 A/AA violation with results shown`, v.join("\n"));
		await ctx.close();
	}
}

let passed = 0, failed = 0;
function report(ok, what, detail) {
	if (ok) passed++;
	else failed++;
	console.log(`${ok ? "ok" : "not ok"} ${passed + failed} - ${what}`);
	if (!ok && detail) for (const line of String(detail).split("\n").slice(0, 20)) console.log(`#   ${line}`);
}

async function axeCheck(page) {
	await page.addScriptTag({ content: AXE });
	return page.evaluate(async () => {
		const r = await window.axe.run(document, {
			runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
		});
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ` +
			v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
	});
}

async function overflow(page) {
	return page.evaluate(() => {
		const w = window.innerWidth, sw = document.documentElement.scrollWidth;
		if (sw <= w) return null;
		const wide = [...document.querySelectorAll("body *")]
			.filter((e) => e.getBoundingClientRect().right > w + 1)
			.filter((e) => !e.closest("[tabindex],.indicator-scroll,.obligations-scroll,.table-scroll"))
			.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
		return `scrollWidth ${sw} > innerWidth ${w}; ${wide.join(", ")}`;
	});
}

// Tabs through the page; every element that takes focus must show an outline
// or a box shadow of at least 2 px. The page notes each element as it takes
// focus (a focusin listener reads its computed style then), and the Tab
// presses go in runs of TAB_RUN between readings of the notes: one round trip
// to the browser per press, not two.
const TAB_RUN = 25;
async function focusRings(page) {
	await page.evaluate(() => {
		window.__avoinFocus = [];
		document.addEventListener("focusin", (ev) => {
			const e = ev.target;
			const s = getComputedStyle(e);
			const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) ||
				(s.boxShadow && s.boxShadow !== "none");
			const id = e.tagName.toLowerCase() + (e.className ? "." + e.className : "") +
				(e.getAttribute("href") ? `[href=${e.getAttribute("href")}]` : "");
			window.__avoinFocus.push({ id, ring, key: e.outerHTML.slice(0, 120) + e.getBoundingClientRect().top });
		}, true);
	});
	const bad = [];
	let first = null, done = false;
	for (let i = 0; i < MAX_TABS && !done; i += TAB_RUN) {
		for (let k = 0; k < TAB_RUN; k++) await page.keyboard.press("Tab");
		const notes = await page.evaluate(() => window.__avoinFocus.splice(0));
		if (notes.length === 0) break;          // nothing more takes focus
		for (const f of notes) {
			if (first === null) first = f.key;
			else if (f.key === first) {         // around again: every element seen
				done = true;
				break;
			}
			if (!f.ring) bad.push(f.id);
		}
	}
	return bad;
}

async function skipLink(page) {
	await page.keyboard.press("Tab");
	const s = await page.evaluate(() => {
		const e = document.activeElement;
		const r = e.getBoundingClientRect();
		return { skip: e.classList.contains("skip-link"), visible: r.left >= 0 && r.top >= 0 && r.width > 0 };
	});
	if (!s.skip) return "the first Tab stop is not the skip link";
	if (!s.visible) return "the skip link is not visible when it has focus";
	await page.keyboard.press("Enter");
	const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
	return id === "main" ? null : `after the skip link, focus is on '${id}', not on <main>`;
}

// Pages served at any address (404) name the site's own address, base_url:
// requests to it are answered from SITE_DIR as well.
let siteAddress = null;
async function routeSiteAddress(ctx, base) {
	if (siteAddress === null) {
		const front = join(root, "index.html");
		const m = existsSync(front) && readFileSync(front, "utf8").match(/<link rel="canonical" href="([^"]+)"/);
		siteAddress = m ? m[1] : "";
	}
	if (!siteAddress) return;
	const prefix = new URL(siteAddress).pathname;
	await ctx.route((u) => u.href.startsWith(siteAddress), (route) => {
		const path = "/" + new URL(route.request().url()).pathname.slice(prefix.length);
		const a = answer(root, path);
		return route.fulfill({ status: a.status, contentType: a.type, body: a.body });
	});
}

// On paper: the site's name, the page's address (where the site has one) and the
// version the page shows stay; the navigation goes.
async function printed(page) {
	await page.emulateMedia({ media: "print" });
	const r = await page.evaluate(() => {
		const shown = (sel) => {
			const e = document.querySelector(sel);
			return !!e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().height > 0;
		};
		const canon = document.querySelector('link[rel="canonical"]');
		const out = [];
		if (!shown(".site-title")) out.push("the site's name is not printed");
		if (!shown(".site-footer code")) out.push("the version the page shows is not printed");
		if (canon && !shown(".site-footer .print-only")) out.push("the page's address is not printed");
		if (shown(".site-nav")) out.push("the navigation is printed");
		return out;
	});
	await page.emulateMedia({ media: "screen" });
	return r;
}

async function main() {
	// of each kind, the longest page: the most content to go wrong
	const byKind = new Map(), all = [];
	for (const f of htmlFiles(root)) {
		const k = kindOf(f);
		if (!k) continue;
		all.push(f);
		const cur = byKind.get(k);
		if (!cur || statSync(f).size > statSync(cur).size) byKind.set(k, f);
	}
	const server = serve(root);
	await new Promise((r) => server.listen(0, "127.0.0.1", r));
	const base = `http://127.0.0.1:${server.address().port}/`;
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu"],
	});
	if (shots) mkdirSync(shots, { recursive: true });
	console.log(`# ${label}: ${byKind.size} page kinds`);
	try {
		for (const [kind, file] of byKind) {
			const rel = relative(root, file).replace(/index\.html$/, "");
			for (const width of axeOnly ? WIDTHS.slice(0, 1) : WIDTHS) {
				const ctx = await browser.newContext({ viewport: { width, height: 900 } });
				await routeSiteAddress(ctx, base);
				const page = await ctx.newPage();
				const what = `${label} ${kind} (/${rel}) at ${width} px`;
				const resp = await page.goto(base + rel);
				report(resp.status() === 200 || rel.startsWith("404"), `${what}: loads`, `HTTP ${resp.status()}`);
				if (shots) {
					const name = `${kind.replace(/[^a-z0-9]+/g, "-")}-${width}.png`;
					await page.screenshot({ path: join(shots, name), fullPage: true });
				}
				const v = await axeCheck(page);
				report(v.length === 0, `${what}: no axe WCAG 2.1 A/AA violation`, v.join("\n"));
				const o = await overflow(page);
				report(o === null, `${what}: no horizontal scrolling`, o);
				if (axeOnly) {
					await ctx.close();
					continue;
				}
				await page.goto(base + rel);
				const bad = await focusRings(page);
				report(bad.length === 0, `${what}: every focusable element shows a focus ring`, bad.join("\n"));
				if (width > 390) {
					const pr = await printed(page);
					report(pr.length === 0, `${what}: printing keeps the site's name, address and version`, pr.join("\n"));
				}
				await page.goto(base + rel);
				const sk = await skipLink(page);
				report(sk === null, `${what}: the skip link works`, sk);
				await ctx.close();
			}
		}
		if (searchFile) await searchCheck(browser, base);
		// every page, at the narrowest width a phone has (not with --axe-only)
		if (!axeOnly) {
			const ctx = await browser.newContext({ viewport: { width: NARROWEST, height: 700 } });
			await routeSiteAddress(ctx, base);
			// two pages at a time: Chromium lays out one while the other loads
			const LANES = 2;
			const wide = [];
			await Promise.all(Array.from({ length: LANES }, async (_, lane) => {
				const page = await ctx.newPage();
				for (let i = lane; i < all.length; i += LANES) {
					const rel = relative(root, all[i]).replace(/index\.html$/, "");
					await page.goto(base + rel);
					const o = await overflow(page);
					if (o) wide.push(`/${rel}: ${o}`);
				}
			}));
			wide.sort();
			report(wide.length === 0, `${label}: none of ${all.length} pages scrolls sideways at ${NARROWEST} px`, wide.join("\n"));
			await ctx.close();
		}
	} finally {
		await browser.close();
		server.close();
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.log(`not ok - the browser stage stopped: ${e.message}`);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exitCode = 1;
});
