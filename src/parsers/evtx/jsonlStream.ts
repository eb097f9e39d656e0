// JSONL for a whole evtx input (dump's fast path): with workers, chunks become text on the pool.
import type { ParseIssue } from '../../model/issue.js';
import { emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { chunkJsonl, type ChunkText } from './jsonl.js';
import { chunkPipeline } from './pipeline.js';

export interface TextBatch {
  text: string;
  issues: ParseIssue[];
}

export async function* evtxJsonl(input: InputSource, opts: ReadOptions): AsyncGenerator<TextBatch, SourceStats, void> {
  const stats = emptyStats();
  for await (const item of chunkPipeline<ChunkText>(input, opts, 'jsonl', chunkJsonl)) {
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield { text: '', issues: item.issues };
      continue;
    }
    const r = item.result;
    stats.read += r.read;
    stats.recovered += r.recovered;
    stats.skipped += r.skipped;
    stats.filtered += r.filtered;
    for (const [k, v] of Object.entries(r.skippedBy)) stats.skippedBy[k] = (stats.skippedBy[k] ?? 0) + v;
    yield { text: r.text, issues: r.issues };
  }
  return stats;
}
