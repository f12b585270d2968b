// Opening an extract reads just far enough to answer the whole-file questions before any line
// is parsed: is there a header row (FILE_EMPTY), and is there at least one data record beyond
// the totals to skip (FILE_HEADER_ONLY)? Whatever was read past the header is kept to be
// replayed, so nothing is read twice.

import { isBlankRecord, type RecordSource, type SourceFailure, type SourceItem } from './record-source.js';

export interface Opening {
  header: { fields: string[]; lineNo: number } | null;
  /** Items read after the header row, to hand on before the rest of the source. */
  replay: SourceItem[];
  /** Non-blank records after the header among `replay`. */
  dataRecords: number;
  /** The source has nothing more to give (replay holds the rest of the file). */
  ended: boolean;
  failure: SourceFailure | null;
}

/** Read until the header and `enough` data records are seen, or the source ends. */
export async function openRecords(source: RecordSource, enough: number): Promise<Opening> {
  const opening: Opening = { header: null, replay: [], dataRecords: 0, ended: false, failure: null };
  while (opening.dataRecords < enough) {
    const next = await source.next();
    if (next.done) {
      opening.ended = true;
      break;
    }
    const item = next.value;
    if (item.kind === 'failure') {
      opening.failure = item;
      opening.replay.push(item);
      opening.ended = true;
      break;
    }
    let start = 0;
    if (opening.header === null) {
      const at = item.records.findIndex((fields) => !isBlankRecord(fields));
      if (at < 0) continue;
      opening.header = { fields: item.records[at]!, lineNo: item.lineNos[at]! };
      start = at + 1;
    }
    const records = start === 0 ? item.records : item.records.slice(start);
    const lineNos = start === 0 ? item.lineNos : item.lineNos.slice(start);
    for (const fields of records) if (!isBlankRecord(fields)) opening.dataRecords++;
    opening.replay.push({ kind: 'records', records, lineNos });
  }
  return opening;
}
