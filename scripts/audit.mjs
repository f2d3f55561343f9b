// npm audit of the production dependencies: fails on high or critical advisories. Where the
// registry offers no audit endpoint (some mirrors answer 405), it says so and does not fail:
// there is nothing to judge, and a missing endpoint is not a vulnerability.
import { spawnSync } from "node:child_process";

const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
let report;
try {
  report = JSON.parse(run.stdout || "{}");
} catch {
  console.error(`npm audit printed no JSON:\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}
if (report.error || report.statusCode) {
  const why = report.message || report.error?.summary || `HTTP ${report.statusCode}`;
  console.log(`npm audit: the registry's audit endpoint is unavailable here (${why}); audit skipped.`);
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
if (serious > 0) {
  console.error(`npm audit: ${serious} high or critical advisories; run npm audit --omit=dev for details.`);
  process.exit(1);
}
