// Preloaded with `node --import` into a measured child process: on exit, write the process's
// peak resident set size (KiB, from getrusage) to the file named by TANDEM_BENCH_RSS_FILE.
// This measures the real CLI, process start included, without changing it.
import { writeFileSync } from 'node:fs';

const target = process.env.TANDEM_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
