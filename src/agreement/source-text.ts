// What an agreement version pins: the agreement file and every ledger file it includes, as one
// text (stored with the version) and its sha256 (identical text → identical version).

import { createHash } from 'node:crypto';

export interface IncludedText {
  ledgerId: string;
  relativePath: string;
  text: string;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * The agreement's text (exactly, when it includes nothing) followed by each ledger file's, in
 * ledger order, each after a comment line naming it — still readable as YAML, and any change to
 * any of the files changes the hash.
 */
export function resolvedSourceText(agreementText: string, included: readonly IncludedText[]): string {
  let text = agreementText;
  for (const file of included) {
    text = `${withNewline(text)}# ---- tandem: ledger ${file.ledgerId} includes file: ${file.relativePath} ----\n${file.text}`;
  }
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
