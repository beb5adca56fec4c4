// The preview (`avoin serve --worktree`) in Chromium, as a publisher uses it.
//
//   node tests/browser/serve.mjs URL RECORD_FILE [--shots DIR]
//
// URL is the page of the record whose source is RECORD_FILE (a Markdown file
// in the served working tree). At 390 px: the page reloads by itself when the
// file is saved with a new paragraph; a saved error shows the overlay (axe-core
// finds no WCAG 2.1 A/AA violation with it, the page does not scroll
// sideways); saving the file as it was removes the overlay. Prints one line per
// check and "N passed, M failed" last; with --shots, a PNG of the overlay.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [url, file] = process.argv.slice(2);
const shots = process.argv.includes("--shots") ? process.argv[process.argv.indexOf("--shots") + 1] : null;
let passed = 0, failed = 0;
function report(ok, what, detail) {
	if (ok) { passed++; console.log(`ok - ${what}`); }
	else { failed++; console.log(`not ok - ${what}`); if (detail) console.log(String(detail).replace(/^/gm, "#   ")); }
}

const original = readFileSync(file, "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
try {
	const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
	await page.goto(url, { waitUntil: "load" });
	// the script has connected once the page's EventSource is open
	await page.waitForTimeout(500);
	writeFileSync(file, original + "\nSelaimessa näkyvä uusi kappale.\n");
	let reloaded = true;
	try {
		await page.waitForFunction(() => document.body.innerText.includes("Selaimessa näkyvä uusi kappale."),
			null, { timeout: 15000 });
	} catch (e) { reloaded = false; }
	report(reloaded, "a saved paragraph shows without a reload by hand");

	await page.waitForTimeout(300);
	writeFileSync(file, original.replace(/^type: .*$/m, "type: <pöytäkirja>"));
	let shown = true;
	try {
		await page.waitForSelector("#avoin-errors", { state: "visible", timeout: 15000 });
	} catch (e) { shown = false; }
	report(shown, "a saved error shows the overlay");
	if (shown) {
		const text = await page.locator("#avoin-errors").innerText();
		report(text.includes(file.split("/").slice(-1)[0]) && text.includes("<pöytäkirja>"),
			"the overlay names the file and shows the value as text", text);
		await page.addScriptTag({ content: AXE });
		const v = await page.evaluate(async () => {
			const r = await window.axe.run(document, {
				runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
			});
			return r.violations.map((x) => `${x.id} (${x.impact}): ${x.help}; ` +
				x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
		});
		report(v.length === 0, "the page with the overlay: no axe WCAG 2.1 A/AA violation", v.join("\n"));
		const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
		report(!wide, "the page with the overlay does not scroll sideways at 390 px");
		if (shots) {
			mkdirSync(shots, { recursive: true });
			await page.screenshot({ path: join(shots, "serve-error-390.png") });
		}
	}
	writeFileSync(file, original);
	let cleared = true;
	try {
		await page.waitForSelector("#avoin-errors", { state: "detached", timeout: 15000 });
	} catch (e) { cleared = false; }
	report(cleared, "fixing the error clears the overlay");
} finally {
	writeFileSync(file, original);
	await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
