// Loading a scenario from disk, and the agreement file it may name (relative to the scenario).
// A scenario is only ever read: nothing here opens a database or writes a file.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadAgreementFile } from '../agreement/load.js';
import { parseScenario, type ScenarioLoad } from './parse.js';

export { parseScenario, type ScenarioLoad, type ScenarioProblem } from './parse.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export async function loadScenarioFile(path: string): Promise<ScenarioLoad> {
  let text: string;
  try {
    text = UTF8.decode(await readFile(path)).replace(/^\uFEFF/, '');
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const code = error instanceof TypeError ? 'FILE_ENCODING' : errno === 'ENOENT' || errno === 'EISDIR' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
    const message = code === 'FILE_ENCODING' ? 'the file is not UTF-8 text (save it as UTF-8)' : code === 'FILE_NOT_FOUND' ? 'no such file' : `cannot read the file: ${(error as Error).message}`;
    return { ok: false, problems: [{ code, message, file: path, line: null, column: null, path: '' }] };
  }
  return parseScenario(text, { fileName: path, loadAgreement: (relative) => loadAgreementFile(resolve(dirname(path), relative)) });
}
