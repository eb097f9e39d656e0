// Helpers for the crash and concurrency tests: run the ingest child process, compare cases, check
// that a case left by a killed process is intact and holds only whole sources.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { openCase } from '../../src/store/caseFile.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const child = join(here, 'ingestChild.ts');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms from the child's "ingesting" line to its exit. */
  ingestMs: number;
}

export function start(db: string, paths: string[], flags: string[] = []): { proc: ChildProcess; ready: Promise<number>; done: Promise<Run> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, db, ...flags, ...paths], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let readyAt = 0;
  let onReady: (t: number) => void = () => {};
  const ready = new Promise<number>((r) => (onReady = r));
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!readyAt && stderr.includes('ingesting')) onReady((readyAt = Date.now()));
  });
  const done = new Promise<Run>((r) =>
    proc.on('exit', (code, signal) => {
      onReady(Date.now());
      r({ code, signal, stdout, stderr, ingestMs: readyAt ? Date.now() - readyAt : 0 });
    }),
  );
  return { proc, ready, done };
}

/** Everything that must be identical between two cases holding the same inputs. */
export function snapshot(db: string): unknown {
  const cf = openCase(db);
  try {
    return {
      stats: cf.stats(),
      channels: cf.channelCounts(),
      sources: cf
        .sources()
        .map((s) => ({ path: s.path, sha256: s.sha256, counts: s.counts, status: s.status }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    };
  } finally {
    cf.close();
  }
}

/** A case after a crash: opens, is intact, and every source in it is whole. */
export function checkConsistent(db: string, label: string): number {
  const cf = openCase(db);
  try {
    expect(cf.db.pragma('integrity_check', { simple: true }), label).toBe('ok');
    const perSource = cf.db.prepare('SELECT source_id AS id, count(*) AS n FROM events GROUP BY source_id').all() as { id: number; n: number }[];
    const stored = new Map(cf.sources().map((s) => [s.id, s]));
    for (const { id, n } of perSource) {
      expect(stored.has(id), `${label}: events of unknown source ${id}`).toBe(true);
      expect(n, `${label}: source ${stored.get(id)?.path} is partial`).toBe(stored.get(id)!.counts.stored);
    }
    for (const s of stored.values()) expect(s.status, label).toBe('ingested');
    return stored.size;
  } finally {
    cf.close();
  }
}

// Seeded, so a failure can be replayed: the delays are printed in the assertion labels.
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

