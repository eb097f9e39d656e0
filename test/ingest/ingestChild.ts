// Child process for the kill and concurrency tests: ingests paths into a case with the fake reader
// (or the registered real readers with --real) and prints the summary totals as JSON on stdout.
// Usage: node --import tsx test/ingest/ingestChild.ts <db> [--real] [--all-events] <paths...>
import { ingestPaths } from '../../src/ingest/ingest.js';
import { openCase } from '../../src/store/caseFile.js';
import { fakeReaderFor } from './fakeReader.js';

const [db, ...rest] = process.argv.slice(2);
const real = rest.includes('--real');
const allEvents = rest.includes('--all-events');
const paths = rest.filter((a) => !a.startsWith('--'));
if (!db || paths.length === 0) {
  process.stderr.write('usage: ingestChild.ts <db> [--real] [--all-events] <paths...>\n');
  process.exit(2);
}
const cf = openCase(db);
try {
  process.stderr.write('ingesting\n');
  const s = await ingestPaths(cf, paths, { allEvents, ...(real ? {} : { readerFor: fakeReaderFor }) });
  process.stdout.write(`${JSON.stringify({ totals: s.totals, statuses: s.inputs.map((r) => r.status) })}\n`);
} finally {
  cf.close();
}
