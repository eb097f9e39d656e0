// Build step: parses and checks the bundled rule catalogue once and writes dist/rules/catalog.json,
// so a run reads its rules without the YAML parser and the schema compiler (src/rules/loader.ts).
// A rule file that does not load fails the build, naming the file.
import { writeFileSync } from 'node:fs';

const loader = await import(new URL('../dist/rules/loader.js', import.meta.url).href);
const dir = loader.builtinCatalogDir();
// Every check a run makes (schema and meaning): a bad rule fails here, not in the users' hands.
loader.loadDirs([dir], undefined);
const problems = [];
const snap = loader.catalogSnapshot(dir, problems);
if (problems.length) {
  console.error(`catalog snapshot: ${problems.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(new URL('../dist/rules/catalog.json', import.meta.url), `${JSON.stringify(snap)}\n`);
console.error(`catalog snapshot: ${Object.keys(snap.docs).length} rule documents`);
