// Case lifetimes for commands that may or may not keep their case: `analyze` without --db works in
// a temporary case removed at the end; with --db it keeps (and reuses) the named file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaseFile, type OpenOptions, openCase } from './caseFile.js';

/** Runs fn with a fresh case in a private temporary folder, removed afterwards whatever happens. */
export async function withTemporaryCase<T>(fn: (cf: CaseFile) => Promise<T> | T): Promise<T> {
  // The folder name is ours alone: never built from input data.
  const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-case-'));
  try {
    const cf = openCase(join(dir, 'case.db'), { create: true, scratch: true });
    // Built once filled: the caller restores them before it reads (analyze does, after ingest).
    cf.deferIndexes();
    try {
      return await fn(cf);
    } finally {
      cf.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** With a path: opens (creating or upgrading) that case and keeps it. Without: a temporary case. */
export async function withCase<T>(path: string | undefined, fn: (cf: CaseFile) => Promise<T> | T, opts: OpenOptions = {}): Promise<T> {
  if (path === undefined) return withTemporaryCase(fn);
  const cf = openCase(path, opts);
  try {
    return await fn(cf);
  } finally {
    cf.close();
  }
}
