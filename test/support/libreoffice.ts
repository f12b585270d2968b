// Recalculate an XLSX with headless LibreOffice and read every sheet back as CSV
// (shared/docs/field-notes.md §1). LibreOffice keeps cached formula results of an OOXML file by
// default (Calc/Formula/Load/OOXMLRecalcMode = 1, "never"), so each call seeds a fresh temporary
// profile with OOXMLRecalcMode = 0 ("always") before first use and passes it as a file:// URL;
// one profile per call keeps concurrent calls apart. All sheets go to CSV with the StarCalc CSV
// filter's sheet option -1 (one `<name>-<Sheet>.csv` per sheet, UTF-8, raw values, not "as shown").
// soffice exits 0 even when it could not load the input, so the output files are checked.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';

const RECALC_ALWAYS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** Comma, double quote, UTF-8, from line 1, raw values (not as shown), every sheet (-1). */
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Open `xlsxFile` in LibreOffice, recalculating every formula, and return each sheet's cells as
 * text (rows of columns, from A1), keyed by sheet name.
 */
export async function recalculate(xlsxFile: string, timeoutMs = 90_000): Promise<Map<string, string[][]>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tandem-lo-'));
  try {
    const profile = path.join(dir, 'profile');
    const out = path.join(dir, 'out');
    await mkdir(path.join(profile, 'user'), { recursive: true });
    await mkdir(out);
    await writeFile(path.join(profile, 'user', 'registrymodifications.xcu'), RECALC_ALWAYS);
    const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--convert-to', CSV_FILTER, '--outdir', out, xlsxFile];
    const { stderr } = await run('soffice', args, timeoutMs);
    const stem = path.basename(xlsxFile).replace(/\.xlsx$/i, '');
    const files = (await readdir(out)).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.csv'));
    if (files.length === 0) throw new Error(`LibreOffice wrote no CSV for ${xlsxFile}:\n${stderr}`);
    const sheets = new Map<string, string[][]>();
    for (const f of files) {
      const text = await readFile(path.join(out, f), 'utf8');
      const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
      if (parsed.errors.length > 0) throw new Error(`${f}: ${parsed.errors.map((e) => e.message).join('; ')}`);
      const rows = parsed.data;
      if (rows.length > 0 && rows[rows.length - 1]!.every((c) => c === '')) rows.pop();
      sheets.set(f.slice(stem.length + 1, -'.csv'.length), rows);
    }
    return sheets;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
