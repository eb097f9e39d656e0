// discover → sniff → hash → read (filter pushed down) → store, one transaction per source:
// a source is in the case whole or not at all, so a killed ingest is simply run again.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { ContextRecord, NormalizedEvent } from '../model/event.js';
import { formatIssue } from '../model/issue.js';
import type { InputReport } from '../model/report.js';
import type { EventNeed } from '../model/stages.js';
import '../parsers/all.js';
import { threadsFor } from '../parsers/evtx/pipeline.js';
import { readerFor as registryReaderFor } from '../parsers/registry.js';
import type { InputSource, ReadOptions, Reader, SourceStats } from '../parsers/types.js';
import { FatalError } from '../model/errors.js';
import type { CaseFile } from '../store/caseFile.js';
import { SNIFF_BYTES, type SniffedInput, type Skipped, discover, discoverInputs, readHead } from './discover.js';
import { BASELINE_NEEDS, KEEP_ALL, type StoreFilter, filterCovers, needsFilter } from './filter.js';
import type { IngestProgress } from './progress.js';
import { hashAside, sha256Of } from './sha256.js';

export interface IngestOptions {
  /** Events the rules need; stored together with the baseline and every RDP-related event. */
  needs?: readonly EventNeed[];
  /** Store every event (`--all-events`). */
  allEvents?: boolean;
  strict?: boolean;
  sourceTz?: string;
  codepage?: string;
  workers?: number;
  /** Fewer evtx bytes to read than this: no workers, whatever `workers` says (a worker's start-up costs more). */
  parallelMinBytes?: number;
  /** Files at least this big are hashed on a thread of their own while they are read (sha256.ts). */
  hashAsideMinBytes?: number;
  /** Formatted issues kept per source (the count is always complete). Default 20. */
  maxErrors?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Called after each input with its report. */
  onInput?: (r: InputReport) => void;
  /** Called once when another process holds the case's write lock and we wait for it. */
  onWait?: () => void;
  /**
   * Reader selection, for tests that inject their own readers. Without it, discovery sniffs with the
   * registry and also opens zip archives in place (discoverInputs).
   */
  readerFor?: (head: Buffer, name: string) => Reader | undefined;
}

/** Per channel, for this run: records met (kept or not), stored, and filtered out. */
export interface ChannelTotals {
  channel: string;
  read: number;
  stored: number;
  filtered: number;
}

export interface IngestSummary {
  /** One report per input, in discovery order (already-in-case inputs show what the case holds). */
  inputs: InputReport[];
  /** Paths discovery could not use, with reasons. */
  skipped: Skipped[];
  /** This run's work by channel, sorted by channel name. */
  channels: ChannelTotals[];
  /** The store filter's signature ('all' or 'needs:<hash>'). */
  filter: string;
  totals: {
    /** Records met in the inputs read this run, before any filter (Σ channels[].read). */
    seen: number;
    inputs: number;
    ingested: number;
    alreadyInCase: number;
    skipped: number;
    failed: number;
    /** Records the readers turned into events (after the push-down filter), as in InputReport.counts.read. */
    read: number;
    recovered: number;
    skippedRecords: number;
    filtered: number;
    stored: number;
    errors: number;
  };
}

const OTHER_CHANNELS = '(other channels)';
const NO_CHANNEL = '(no channel)';
const UNRECOGNISED = 'format not recognised';
const CHANNEL_LIMIT = 1000;
const HOST_LIMIT = 256;

class ChannelCounter {
  readonly byChannel = new Map<string, ChannelTotals>();

  slot(name: string): ChannelTotals {
    // Records recovered from slack may have lost their System values, channel included.
    const channel = name === '' ? NO_CHANNEL : name;
    let c = this.byChannel.get(channel);
    if (!c) {
      // Channel names come from input: bound how many we track.
      if (this.byChannel.size >= CHANNEL_LIMIT) return this.slot(OTHER_CHANNELS);
      this.byChannel.set(channel, (c = { channel, read: 0, stored: 0, filtered: 0 }));
    }
    return c;
  }

  /** Adds another counter's figures (a source's, once it is committed). */
  merge(other: ChannelCounter): void {
    for (const o of other.byChannel.values()) {
      const c = this.slot(o.channel);
      c.read += o.read;
      c.stored += o.stored;
      c.filtered += o.filtered;
    }
  }

  sorted(): ChannelTotals[] {
    return [...this.byChannel.values()].sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  }
}

/** Expands paths (folders recursively, zip archives in place) and ingests every input found. */
export async function ingestPaths(cf: CaseFile, paths: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  let found: { inputs: SniffedInput[]; skipped: Skipped[] };
  if (opts.readerFor) {
    const walked = discover(paths);
    found = await sniffAll(walked.inputs, walked.skipped, opts.readerFor);
  } else {
    found = await discoverInputs(paths);
  }
  // A folder may hold the case itself (and its -wal/-shm files): never read it as input.
  const own = new Set(['', '-wal', '-shm', '-journal'].map((x) => resolve(cf.path + x)));
  const inputs = found.inputs.filter((i) => i.source.path === undefined || !own.has(resolve(i.source.path)));
  const itself = (name: string): Skipped => ({ name, reason: 'the case file itself' });
  // One wording across commands (dump and analyze say the same) for inputs no reader recognises.
  const skipped = found.skipped.map((k) =>
    own.has(resolve(k.name)) ? itself(k.name) : k.code === 'unknown-format' ? { ...k, reason: UNRECOGNISED } : k,
  );
  for (const i of found.inputs) if (!inputs.includes(i)) skipped.push(itself(i.source.name));
  return ingestInputs(cf, inputs, opts, skipped);
}

/** Ingests given sources (zip members, in-memory inputs…), picking each one's reader by content. */
export async function ingestSources(cf: CaseFile, sources: InputSource[], opts: IngestOptions = {}, skipped: Skipped[] = []): Promise<IngestSummary> {
  const found = await sniffAll(sources, skipped, opts.readerFor ?? registryReaderFor);
  return ingestInputs(cf, found.inputs, opts, found.skipped);
}

/** Same outcome as discoverInputs for plain files: empty and unrecognised inputs are skipped with a reason. */
async function sniffAll(
  sources: InputSource[],
  skipped: Skipped[],
  pick: (head: Buffer, name: string) => Reader | undefined,
): Promise<{ inputs: SniffedInput[]; skipped: Skipped[] }> {
  const out = { inputs: [] as SniffedInput[], skipped: [...skipped] };
  for (const source of sources) {
    if (source.size === 0) {
      out.skipped.push({ name: source.name, code: 'empty', reason: 'empty file' });
      continue;
    }
    let head: Buffer;
    try {
      head = await headOf(source);
    } catch (err) {
      out.skipped.push({ name: source.name, code: 'unreadable', reason: `cannot read: ${errText(err)}` });
      continue;
    }
    const reader = pick(head, source.name);
    if (reader) out.inputs.push({ source, reader });
    else out.skipped.push({ name: source.name, code: 'unknown-format', reason: UNRECOGNISED });
  }
  return out;
}

async function ingestInputs(cf: CaseFile, inputs: SniffedInput[], opts: IngestOptions, skipped: Skipped[]): Promise<IngestSummary> {
  const filter = opts.allEvents ? KEEP_ALL : needsFilter(opts.needs ? [...BASELINE_NEEDS, ...opts.needs] : BASELINE_NEEDS);
  const channels = new ChannelCounter();
  const reports: InputReport[] = [];
  // Workers only on enough evtx input (the inputs already stored are counted too: a cheap upper bound).
  const evtxBytes = inputs.reduce((n, i) => n + (i.reader.format === 'evtx' ? i.source.size : 0), 0);
  if (opts.workers !== undefined && opts.parallelMinBytes !== undefined) opts = { ...opts, workers: threadsFor(opts.workers, evtxBytes, opts.parallelMinBytes) };
  const progress: IngestProgress = {
    totalBytes: inputs.reduce((s, i) => s + i.source.size, 0),
    doneBytes: 0,
    filesDone: 0,
    filesTotal: inputs.length,
    eventsStored: 0,
  };
  for (const { source: input, reader } of inputs) {
    progress.current = input.name;
    opts.onProgress?.(progress);
    const base = progress.doneBytes;
    const report = await ingestOne(cf, input, reader, filter, channels, opts, (within, stored) => {
      progress.doneBytes = base + Math.min(within, input.size);
      progress.eventsStored += stored;
      opts.onProgress?.(progress);
    });
    progress.doneBytes = base + input.size;
    progress.filesDone++;
    opts.onProgress?.(progress);
    reports.push(report);
    opts.onInput?.(report);
  }
  return summarize(reports, skipped, channels.sorted(), filter.signature);
}

function summarize(inputs: InputReport[], skipped: Skipped[], channels: ChannelTotals[], filter: string): IngestSummary {
  const t: IngestSummary['totals'] = {
    seen: channels.reduce((n, c) => n + c.read, 0),
    inputs: inputs.length,
    ingested: 0,
    alreadyInCase: 0,
    skipped: 0,
    failed: 0,
    read: 0,
    recovered: 0,
    skippedRecords: 0,
    filtered: 0,
    stored: 0,
    errors: 0,
  };
  t.skipped = skipped.length;
  for (const r of inputs) {
    if (r.status === 'ingested') t.ingested++;
    else if (r.status === 'already-in-case') t.alreadyInCase++;
    else if (r.status === 'skipped') t.skipped++;
    else t.failed++;
    // Totals are this run's work: an input already in the case was not read again.
    if (r.status !== 'ingested') continue;
    t.read += r.counts.read;
    t.recovered += r.counts.recovered;
    t.skippedRecords += r.counts.skipped;
    t.filtered += r.counts.filtered;
    t.stored += r.counts.stored;
    t.errors += r.errorCount;
  }
  return { inputs, skipped, channels, filter, totals: t };
}

const zeroCounts = (): InputReport['counts'] => ({ read: 0, recovered: 0, skipped: 0, filtered: 0, stored: 0 });

function blankReport(input: InputSource, status: InputReport['status'], reason?: string): InputReport {
  const r: InputReport = { file: input.name, format: 'unknown', size: input.size, hosts: [], status, counts: zeroCounts(), errors: [], errorCount: 0 };
  if (reason !== undefined) r.skipReason = reason;
  return r;
}

async function headOf(input: InputSource): Promise<Buffer> {
  if (input.path !== undefined) return readHead(input.path);
  const parts: Buffer[] = [];
  let n = 0;
  const stream = input.open();
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      parts.push(b);
      n += b.length;
      if (n >= SNIFF_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES);
}

const errText = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
};

async function ingestOne(
  cf: CaseFile,
  input: InputSource,
  reader: Reader,
  filter: StoreFilter,
  channels: ChannelCounter,
  opts: IngestOptions,
  onBatch: (bytesWithin: number, stored: number) => void,
): Promise<InputReport> {
  const cannotRead = (err: unknown): InputReport => {
    const r = blankReport(input, 'failed', `cannot read: ${errText(err)}`);
    r.format = reader.format;
    r.errors = [`${input.name}: cannot read: ${errText(err)}`];
    r.errorCount = 1;
    return r;
  };
  // A big input that no stored source matches in size cannot be in the case already: it is hashed
  // on a thread of its own while it is read, and checked once stored (before the commit).
  const aside = cf.hasSourceOfSize(input.size) ? undefined : hashAside(input, opts.hashAsideMinBytes);
  let sha256: string | undefined;
  if (!aside) {
    try {
      sha256 = await sha256Of(input);
    } catch (err) {
      return cannotRead(err);
    }
  }
  const already = (hash: string): InputReport | undefined => {
    const existing = cf.sourceByHash(hash);
    if (!existing || !filterCovers(existing.filter, filter.signature)) return undefined;
    const same = existing.path === input.name ? '' : ` (same content as ${existing.path})`;
    return {
      file: input.name,
      format: existing.format as InputReport['format'],
      sha256: hash,
      size: input.size,
      hosts: existing.hosts,
      channels: existing.channels,
      status: 'already-in-case',
      skipReason: `already in the case since ${existing.ingestedAt}${same}`,
      counts: existing.counts,
      errors: existing.errors,
      errorCount: existing.errorCount,
    };
  };
  // Cheap check first, then again under the write lock: another process may have just stored it.
  const early = sha256 !== undefined ? already(sha256) : undefined;
  if (early) return early;

  try {
    await cf.beginWrite({ onWait: opts.onWait });
  } catch (err) {
    aside?.cancel();
    throw err;
  }
  try {
    /** The thread's hash, or the failed report (rolled back) when it could not read the file. */
    const threadHash = async (): Promise<string | InputReport> => {
      const h = await aside!.result;
      if ('hex' in h) return h.hex;
      cf.rollback();
      return cannotRead(h.error);
    };
    /** The report of a source already in the case (rolled back); otherwise a copy stored with a narrower filter is dropped, to be replaced. */
    const inCase = (hash: string): InputReport | undefined => {
      const late = already(hash);
      if (late) {
        cf.rollback();
        return late;
      }
      const previous = cf.sourceByHash(hash);
      if (previous) cf.deleteSource(previous.id);
      return undefined;
    };
    // Another process stored one of this size while we waited for the lock: wait for the hash.
    if (sha256 === undefined && cf.hasSourceOfSize(input.size)) {
      const h = await threadHash();
      if (typeof h !== 'string') return h;
      sha256 = h;
    }
    if (sha256 !== undefined) {
      const end = inCase(sha256);
      if (end) return end;
    }
    // A provisional hash (the column is unique) until the thread's is known.
    const sourceId = cf.insertSource({ path: input.name, sha256: sha256 ?? `pending:${randomUUID()}`, size: input.size, format: reader.format, filter: filter.signature });
    const local = new ChannelCounter();
    const report = await readInto(cf, sourceId, input, reader, filter, local, opts, onBatch);
    if (sha256 === undefined) {
      const h = await threadHash();
      if (typeof h !== 'string') return h;
      sha256 = h;
      const end = inCase(sha256);
      if (end) return end;
      cf.setSourceHash(sourceId, sha256);
    }
    report.sha256 = sha256;
    report.channels = [...local.byChannel.keys()].sort();
    cf.finishSource(sourceId, report);
    cf.commit();
    // Counted only once committed, so a failed source adds nothing to the run's totals.
    channels.merge(local);
    return report;
  } catch (err) {
    aside?.cancel();
    cf.rollback();
    if (err instanceof FatalError) throw err;
    const r = blankReport(input, 'failed', `read failed: ${errText(err)}`);
    r.format = reader.format;
    if (sha256 !== undefined) r.sha256 = sha256;
    r.errors = [`${input.name}: ${errText(err)}`];
    r.errorCount = 1;
    return r;
  }
}

async function readInto(
  cf: CaseFile,
  sourceId: number,
  input: InputSource,
  reader: Reader,
  filter: StoreFilter,
  channels: ChannelCounter,
  opts: IngestOptions,
  onBatch: (bytesWithin: number, stored: number) => void,
): Promise<InputReport> {
  const maxErrors = opts.maxErrors ?? 20;
  const errors: string[] = [];
  let errorCount = 0;
  let pushedDown = 0;
  let dropped = 0;
  let stored = 0;
  const hosts = new Set<string>();
  const filteredOut = (channel: string, n: number): void => {
    const c = channels.slot(channel);
    c.read += n;
    c.filtered += n;
    pushedDown += n;
  };
  const readOpts: ReadOptions = {
    filter: {
      wants(channel, provider, eventId) {
        const keep = filter.wants(channel, provider, eventId);
        if (!keep) filteredOut(channel, 1);
        return keep;
      },
      ...(filter.spec ? { spec: filter.spec } : {}),
      countFiltered: filteredOut,
    },
  };
  if (opts.strict !== undefined) readOpts.strict = opts.strict;
  if (opts.sourceTz !== undefined) readOpts.sourceTz = opts.sourceTz;
  if (opts.codepage !== undefined) readOpts.codepage = opts.codepage;
  if (opts.workers !== undefined) readOpts.workers = opts.workers;

  const stream = reader.read(input, readOpts);
  let stats: SourceStats;
  let maxOffset = 0;
  for (;;) {
    const step = await stream.next();
    if (step.done) {
      stats = step.value;
      break;
    }
    const events: NormalizedEvent[] = [];
    const context: ContextRecord[] = [];
    for (const item of step.value) {
      if (item.kind === 'event') {
        const e = item.event;
        const c = channels.slot(e.channel);
        c.read++;
        if (hosts.size < HOST_LIMIT) hosts.add(e.computer);
        if (e.source.offset !== undefined && e.source.offset > maxOffset) maxOffset = e.source.offset;
        // Readers may ignore the push-down filter; the store keeps the same selection either way.
        if (filter.wants(e.channel, e.provider, e.eventId)) {
          c.stored++;
          events.push(e);
        } else {
          c.filtered++;
          dropped++;
        }
      } else if (item.kind === 'context') {
        context.push(item.context);
      } else {
        errorCount++;
        if (errors.length < maxErrors) errors.push(formatIssue(item.issue));
      }
    }
    if (events.length) cf.insertEvents(sourceId, events);
    if (context.length) cf.insertContext(sourceId, context);
    stored += events.length;
    onBatch(maxOffset, events.length);
  }
  return {
    file: input.name,
    format: reader.format,
    size: input.size,
    hosts: [...hosts].sort(),
    status: 'ingested',
    counts: { read: stats.read, recovered: stats.recovered, skipped: stats.skipped, filtered: pushedDown + dropped, stored },
    errors,
    errorCount,
  };
}
