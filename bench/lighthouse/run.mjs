// Lighthouse 12 on the pages bench/lighthouse.py names, mobile profile (Lighthouse's default:
// a mid-range phone, simulated slow 4G and CPU), in one user flow so the comment form's error
// page (the answer to a POST) is measured as a navigation too.
//
//   node bench/lighthouse/run.mjs '<json: {"base": url, "pages": {name: path}, "errorPage": path}>'
//
// Prints one JSON object: {name: {performance, accessibility, "best-practices", seo, lcp_ms}}.
import { writeFileSync } from "node:fs";
import { startFlow } from "lighthouse";
import puppeteer from "puppeteer-core";

const { base, pages, errorPage } = JSON.parse(process.argv[2]);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = {};
try {
  const page = await browser.newPage();
  const flow = await startFlow(page, { name: "Back Story" });
  const names = [];
  for (const [name, path] of Object.entries(pages)) {
    await flow.navigate(base + path, { name });
    names.push(name);
  }
  if (errorPage) {
    // The article's comment form, sent empty: the page that answers is the one measured.
    await page.goto(base + errorPage, { waitUntil: "load" });
    await flow.startNavigation({ name: "comment error" });
    await page.evaluate(() => document.querySelector("form.comment-form").submit());
    await flow.endNavigation();
    names.push("comment error");
  }
  const flowResult = await flow.createFlowResult();
  if (process.env.LIGHTHOUSE_REPORT) {
    const path = process.env.LIGHTHOUSE_REPORT;
    writeFileSync(path, path.endsWith(".json") ? JSON.stringify(flowResult) : await flow.generateReport());
  }
  flowResult.steps.forEach((step, index) => {
    const lhr = step.lhr;
    const scores = {};
    for (const [id, category] of Object.entries(lhr.categories)) {
      scores[id] = category.score === null ? null : Math.round(category.score * 100);
    }
    scores.lcp_ms = Math.round(lhr.audits["largest-contentful-paint"].numericValue);
    scores.url = lhr.finalDisplayedUrl;
    scores.metrics = Object.fromEntries(
      ["first-contentful-paint", "speed-index", "total-blocking-time", "cumulative-layout-shift", "server-response-time"]
        .map((id) => [id, lhr.audits[id] ? lhr.audits[id].displayValue : null]),
    );
    scores.failing = Object.values(lhr.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "manual" && audit.scoreDisplayMode !== "notApplicable")
      .map((audit) => audit.id);
    results[names[index]] = scores;
  });
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
