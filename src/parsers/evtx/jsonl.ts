// JSONL output of events. Kept next to the decoder so worker threads can turn a chunk straight
// into text: a string crosses threads far cheaper than the events it holds.
import type { NormalizedEvent } from '../../model/event.js';
import type { ParseIssue } from '../../model/issue.js';
import { decodeChunk, type ChunkJob } from './decode.js';

/**
 * One JSON line: the keys people grep for first, then the other fields (undefined ones are left
 * out by JSON.stringify), then provenance. One object literal per event is the fastest form here
 * (measured 4× faster than string concatenation).
 */
export function eventJson(e: NormalizedEvent): string {
  return JSON.stringify({
    record: e.recordId ?? null,
    time: e.time,
    provider: e.provider,
    eventId: e.eventId,
    level: e.level ?? null,
    channel: e.channel,
    computer: e.computer,
    activityId: e.activityId ?? null,
    data: e.data,
    providerGuid: e.providerGuid,
    eventSourceName: e.eventSourceName,
    qualifiers: e.qualifiers,
    version: e.version,
    task: e.task,
    opcode: e.opcode,
    keywords: e.keywords,
    relatedActivityId: e.relatedActivityId,
    processId: e.processId,
    threadId: e.threadId,
    userId: e.userId,
    message: e.message,
    source: e.source,
  });
}

export interface ChunkText {
  /** JSON lines of the chunk's events, each ending in a newline. */
  text: string;
  issues: ParseIssue[];
  read: number;
  recovered: number;
  skipped: number;
  filtered: number;
  skippedBy: Record<string, number>;
}

export function chunkJsonl(buf: Buffer, job: ChunkJob): ChunkText {
  const r = decodeChunk(buf, job);
  const lines: string[] = [];
  const issues: ParseIssue[] = [];
  for (const it of r.items) {
    if (it.kind === 'event') lines.push(eventJson(it.event));
    else if (it.kind === 'issue') issues.push(it.issue);
  }
  return { text: lines.length ? lines.join('\n') + '\n' : '', issues, read: r.read, recovered: r.recovered, skipped: r.skipped, filtered: r.filtered, skippedBy: r.skippedBy };
}
