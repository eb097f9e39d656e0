// JSONL for a whole evtx input (dump's fast path): with workers, chunks become text on the pool.
import type { ParseIssue } from '../../model/issue.js';
import { emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { chunkJsonl, type ChunkText } from './jsonl.js';
import { chunkPipeline, chunkPipelineMany } from './pipeline.js';

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

export type ManyTextItem = { file: number } & ({ kind: 'text'; text: string; issues: ParseIssue[] } | { kind: 'end'; stats: SourceStats } | { kind: 'error'; message: string });

/** evtxJsonl over several inputs at once (one worker queue across files); items in input order. */
export async function* evtxJsonlMany(inputs: InputSource[], opts: ReadOptions): AsyncGenerator<ManyTextItem, void, void> {
  let stats = emptyStats();
  for await (const item of chunkPipelineMany<ChunkText>(inputs, opts, 'jsonl', chunkJsonl)) {
    const file = item.file;
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield { file, kind: 'text', text: '', issues: item.issues };
    } else if (item.kind === 'chunk') {
      const r = item.result;
      stats.read += r.read;
      stats.recovered += r.recovered;
      stats.skipped += r.skipped;
      stats.filtered += r.filtered;
      for (const [k, v] of Object.entries(r.skippedBy)) stats.skippedBy[k] = (stats.skippedBy[k] ?? 0) + v;
      yield { file, kind: 'text', text: r.text, issues: r.issues };
    } else if (item.kind === 'end') {
      yield { file, kind: 'end', stats };
      stats = emptyStats();
    } else {
      yield { file, kind: 'error', message: item.message };
      stats = emptyStats();
    }
  }
}
