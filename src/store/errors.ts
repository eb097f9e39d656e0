// SQLite failures that mean "this case file cannot be used" become one clear FatalError that names
// the file; anything else is a bug and is left to propagate as it is.
import { ExitCode, FatalError } from '../model/errors.js';

const REASONS: Record<string, string> = {
  SQLITE_READONLY: 'is read-only (file or folder not writable)',
  SQLITE_READONLY_DIRECTORY: 'is in a read-only folder',
  SQLITE_READONLY_DBMOVED: 'was moved or deleted while open',
  SQLITE_CANTOPEN: 'cannot be opened (missing folder, or no permission to create its journal)',
  SQLITE_FULL: 'cannot grow: the disk (or the size limit) is full',
  SQLITE_IOERR: 'hit an I/O error',
  SQLITE_NOTADB: 'is not an SQLite database',
  SQLITE_CORRUPT: 'is corrupt',
  SQLITE_BUSY: 'is locked by another process',
  SQLITE_PERM: 'cannot be accessed (permission denied)',
};

export function caseFileError(path: string, message: string): FatalError {
  return new FatalError(`case file ${path}: ${message}`, ExitCode.CASE_FILE);
}

/** The FatalError for a SQLite error about the case file, or undefined when the error is something else. */
export function asCaseFileError(path: string, err: unknown): FatalError | undefined {
  if (err instanceof FatalError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const key = Object.keys(REASONS).find((k) => code === k || code.startsWith(`${k}_`));
  if (!key) {
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC') return caseFileError(path, `${code}: ${(err as Error).message}`);
    return undefined;
  }
  const reason = REASONS[code] ?? REASONS[key]!;
  return caseFileError(path, `${reason} (${code}: ${(err as Error).message})`);
}

/** Runs fn and turns case-file SQLite errors into FatalError. */
export function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asCaseFileError(path, err) ?? err;
  }
}
