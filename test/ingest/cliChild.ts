// Runs the real CLI entry point from source (for tests that need a separate process, e.g. signals).
// Usage: node --import tsx test/ingest/cliChild.ts <command> [args...]
import { main } from '../../src/cli/main.js';

await main(['node', 'rdpdoctor', ...process.argv.slice(2)]);
