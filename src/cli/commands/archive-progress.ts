// Progress of the archive commands on stderr, only when stderr is a terminal and output is for
// people (as src/cli/progress.ts, whose bar counts bytes): these count rows, bytes or pages, in
// phases (checking, writing, checking the copy), each phase drawn on the same line.

import type { ArchiveProgress } from '../../app/archive-export.js';

export interface PhasedProgress {
  update(progress: ArchiveProgress): void;
  finish(): void;
}

export function phasedProgress(enabled: boolean): PhasedProgress {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, finish: () => {} };
  let phase = '';
  let started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (p.phase !== phase) {
        phase = p.phase;
        started = now;
      } else if (now - last < 100 && p.done < p.total) return;
      last = now;
      drawn = true;
      if (p.total <= 1) {
        process.stderr.write(`\r\x1b[K${phase}…`); // a step without measurable progress (verify)
        return;
      }
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      const filled = Math.round(ratio * 30);
      const perSecond = p.done / Math.max(0.001, (now - started) / 1000);
      const rate = p.unit === 'bytes' ? `${(perSecond / 1e6).toFixed(1)} MB/s` : `${Math.round(perSecond).toLocaleString('en-GB')} ${p.unit}/s`;
      process.stderr.write(`\r\x1b[K${phase} [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${rate}`);
    },
    finish() {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
