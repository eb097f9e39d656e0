// Event XML for a whole evtx input, chunk by chunk (memory bounded), for `dump --format xml`.
import type { ParseIssue } from '../../model/issue.js';
import { emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { blocks } from './blocks.js';
import { parseFileHeader } from './fileHeader.js';
import { chunkXml } from './xml.js';

export interface XmlBatch {
  records: string[];
  issues: ParseIssue[];
}

export async function* evtxXml(input: InputSource, opts: ReadOptions): AsyncGenerator<XmlBatch, SourceStats, void> {
  const stats = emptyStats();
  const it = blocks(input);
  const first = await it.next();
  const fh = first.done ? undefined : parseFileHeader(first.value.buf);
  if (!fh) {
    stats.skippedBy['evtx.bad-file-header'] = 1;
    yield { records: [], issues: [{ severity: 'error', code: 'evtx.bad-file-header', message: 'not an evtx file or header truncated', file: input.name, offset: 0 }] };
    return stats;
  }
  if (!fh.checksumOk) yield { records: [], issues: [{ severity: 'warning', code: 'evtx.file-header-checksum', message: 'file header checksum mismatch', file: input.name, offset: 0 }] };
  for (;;) {
    const b = await it.next();
    if (b.done) break;
    const r = chunkXml(b.value.buf, { file: input.name, index: b.value.index, fileOffset: b.value.offset, strict: opts.strict, codepage: opts.codepage });
    stats.read += r.read;
    stats.recovered += r.recovered;
    stats.skipped += r.skipped;
    for (const [k, v] of Object.entries(r.skippedBy)) stats.skippedBy[k] = (stats.skippedBy[k] ?? 0) + v;
    yield { records: r.records, issues: r.issues };
  }
  return stats;
}
