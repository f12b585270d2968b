// Loading an agreement from disk: reading problems come back as problems (never thrown), a
// byte-order mark is not part of the text, and ledger files are found next to the agreement.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgreementFile } from '../src/agreement/load.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-agreement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINIMAL = `fund: {id: demo, name: Démo fund}
years: ["2025-26"]
partners:
  - {id: icb, name: NHS Demo ICB, kind: icb}
ledgers:
  - {id: icb, name: ICB ledger, partner: icb, file: rules/icb.yaml}
`;

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('loadAgreementFile', () => {
  it('reports a missing file as FILE_NOT_FOUND', async () => {
    const result = await loadAgreementFile(join(dir, 'nowhere.yaml'));
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'FILE_NOT_FOUND', path: '', line: null, file: join(dir, 'nowhere.yaml') })] });
  });

  it('reports a directory as FILE_NOT_FOUND', async () => {
    const result = await loadAgreementFile(dir);
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['FILE_NOT_FOUND']);
  });

  it('reports bytes that are not UTF-8 as FILE_ENCODING', async () => {
    const path = write('latin1.yaml', Buffer.from('fund: {id: demo, name: D\xe9mo}\n', 'latin1'));
    const result = await loadAgreementFile(path);
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(['FILE_ENCODING']);
  });

  it('reads the ledger file relative to the agreement, and leaves the byte-order mark out of the text', async () => {
    write('rules/icb.yaml', 'extract: {columns: {amount: Amount}}\n');
    const path = write('bom.yaml', `\ufeff${MINIMAL}`);
    const result = await loadAgreementFile(path);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.sourceText.startsWith('fund:')).toBe(true);
    expect(result.agreement.fund.name).toBe('Démo fund');
    expect(result.files).toEqual([path, join(dir, 'rules', 'icb.yaml')]);
    expect(result.agreement.ledgers[0]!.file.columns.amount).toBe('Amount');
  });

  it('names a problem in a ledger file by that file’s path', async () => {
    write('rules/icb.yaml', 'extract: {columns: {amount: Amount}}\nrules:\n  - when: {Code: X}\n    scheme: nowhere\n');
    const result = await loadAgreementFile(write('agreement.yaml', MINIMAL));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual([
        expect.objectContaining({ code: 'UNKNOWN_SCHEME', path: 'ledgers.icb.rules.0.scheme', file: join(dir, 'rules', 'icb.yaml'), line: 4, column: 5 }),
      ]);
    }
  });

  it('says which ledger file it could not read', async () => {
    const result = await loadAgreementFile(write('other/agreement.yaml', MINIMAL));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual([expect.objectContaining({ code: 'INCLUDE_NOT_FOUND', path: 'ledgers.icb.file', line: 6, column: 47 })]);
      expect(result.problems[0]!.message).toContain('rules/icb.yaml');
    }
  });
});
