// Event XML for a whole evtx input, chunk by chunk (memory bounded), for `dump --format xml`.
import type { ParseIssue } from '../../model/issue.js';
import { addStats, emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { chunkPipeline } from './pipeline.js';
import { chunkXml, type ChunkXml } from './xml.js';

export interface XmlBatch {
  /** Event XML documents, each ended by a newline (xmlRecords splits them). */
  bytes: Uint8Array;
  ends: number[];
  issues: ParseIssue[];
}

export async function* evtxXml(input: InputSource, opts: ReadOptions): AsyncGenerator<XmlBatch, SourceStats, void> {
  const stats = emptyStats();
  for await (const item of chunkPipeline<ChunkXml>(input, opts, 'xml', chunkXml)) {
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield { bytes: new Uint8Array(0), ends: [], issues: item.issues };
      continue;
    }
    const r = item.result;
    addStats(stats, r);
    yield { bytes: r.bytes, ends: r.ends, issues: r.issues };
  }
  return stats;
}
