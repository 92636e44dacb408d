// Reports the process's peak resident memory when it exits, for tests that bound a command's
// memory: start it with `node --import ./test/support/report-peak-rss.mjs …` and REPORT_PEAK_RSS=<file>.
import { writeFileSync } from 'node:fs';

const file = process.env.REPORT_PEAK_RSS;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
