// The case file's public surface: open it, write sources and analyses, query events.
export { CaseFile, openCase } from './caseFile.js';
export type { CaseStats, NewSource, OpenOptions, SourceRecord, SourceTotals } from './caseFile.js';
export type { AnalysisResult } from './analysis.js';
export { compileQuery, normalizeTime } from './query.js';
export type { EventQuery } from './query.js';
export { SCHEMA_VERSION } from './schema.js';
export { withCase, withTemporaryCase } from './temporary.js';
