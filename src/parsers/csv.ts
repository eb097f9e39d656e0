// CSV/TSV records from a decoded stream, with the line each record starts on. Records are handed
// out as they complete, so an error late in a file (an unclosed quote) keeps everything before it.
import type { ParseIssue } from '../model/issue.js';
import { decodeInput } from './textInput.js';
import type { InputSource } from './types.js';

export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export type CsvItem = { kind: 'record'; fields: string[]; line: number } | { kind: 'issue'; issue: ParseIssue };

interface CsvInfo {
  lines: number;
}

export async function* csvRecords(input: InputSource, delimiter: ',' | '\t', maxRecordChars = MAX_RECORD_CHARS): AsyncGenerator<CsvItem[]> {
  // Loaded on first use: most runs read no CSV, and loading costs ~20 ms at every start.
  const { parse } = await import('csv-parse');
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRecordChars,
    info: true,
  });
  let out: CsvItem[] = [];
  let failed = false;
  let crlfSeen = 0;
  let lastEnd = 0;
  parser.on('data', (r: { record: string[]; info: CsvInfo }) => {
    // csv-parse counts the CR and the LF of a CRLF inside a quoted field as two lines; undo that.
    let breaks = 0;
    for (const f of r.record) {
      crlfSeen += f.match(/\r\n/g)?.length ?? 0;
      breaks += f.match(/\r\n|\n|\r/g)?.length ?? 0;
    }
    lastEnd = r.info.lines - crlfSeen;
    out.push({ kind: 'record', fields: r.record, line: lastEnd - breaks });
  });
  parser.on('error', (e: Error & { code?: string; lines?: number }) => {
    failed = true;
    // The error's own line count is skewed by CRLFs in quoted fields; name the record's first line.
    const what = e.code === 'CSV_MAX_RECORD_SIZE' ? `the record starting here is longer than ${maxRecordChars} characters` : `the record starting here is malformed (${e.message.replace(/ at line \d+.*$/, '')})`;
    out.push({
      kind: 'issue',
      issue: { severity: 'error', code: e.code === 'CSV_MAX_RECORD_SIZE' ? 'csv.record-too-large' : 'csv.malformed', message: `${what}; the rest of the file is not read`, file: input.name, line: lastEnd + 1 },
    });
  });
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
  try {
    for await (const chunk of decodeInput(input)) {
      if (failed) break;
      parser.write(chunk.text);
      await tick();
      if (out.length) {
        yield out;
        out = [];
      }
    }
  } catch (err) {
    out.push({ kind: 'issue', issue: { severity: 'error', code: 'io.read-failed', message: `cannot read: ${(err as Error).message}`, file: input.name } });
    failed = true;
  }
  if (!failed) parser.end();
  await tick();
  await tick();
  if (out.length) yield out;
}
