// Loading an agreement from disk: the file, and the ledger files it names (paths relative to it).
// Reading problems (missing file, bytes that are not UTF-8) come back as problems like any other.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseAgreement, type AgreementLoad } from './parse.js';
import type { AgreementProblem, AgreementProblemCode } from './problems.js';

export { parseAgreement, type AgreementLoad, type ParseOptions } from './parse.js';
export type { AgreementProblem, AgreementProblemCode } from './problems.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text without a byte-order mark; throws a TypeError on bytes that are not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string {
  return UTF8.decode(bytes).replace(/^\uFEFF/, '');
}

function readProblem(path: string, error: unknown): AgreementProblem {
  const errno = (error as NodeJS.ErrnoException).code;
  const code: AgreementProblemCode =
    error instanceof TypeError ? 'FILE_ENCODING' : errno === 'ENOENT' || errno === 'EISDIR' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
  const message =
    code === 'FILE_ENCODING'
      ? 'the file is not UTF-8 text (save it as UTF-8)'
      : code === 'FILE_NOT_FOUND'
        ? 'no such file'
        : `cannot read the file: ${(error as Error).message}`;
  return { code, path: '', line: null, column: null, message, file: path };
}

export async function loadAgreementFile(path: string): Promise<AgreementLoad> {
  let text: string;
  try {
    text = decodeUtf8(await readFile(path));
  } catch (error) {
    return { ok: false, problems: [readProblem(path, error)] };
  }
  const readInclude = (relativePath: string) => {
    const full = resolve(dirname(path), relativePath);
    try {
      return decodeUtf8(readFileSync(full));
    } catch (error) {
      throw new Error(`${readProblem(full, error).message} (${full})`);
    }
  };
  return parseAgreement(text, { fileName: path, readInclude });
}
