// Build step: parses and checks the bundled rule catalogue once and writes dist/rules/catalog.json,
// so a run reads its rules without the YAML parser and the schema compiler (src/rules/loader.ts).
// A rule file that does not load fails the build, naming the file.
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const loader = await import(new URL('../dist/rules/loader.js', import.meta.url).href);
const dir = loader.builtinCatalogDir();
const problems = [];
const docs = {};
const cat = loader.loadDirs([dir], undefined);
for (const rule of cat.rules) {
  const read = loader.readRuleDoc(rule.file, problems);
  // Only what survives JSON as it was parsed (YAML could hold values JSON cannot).
  if (read && isDeepStrictEqual(JSON.parse(JSON.stringify(read.doc)), read.doc)) docs[read.sha256] = read.doc;
}
if (problems.length) {
  console.error(`catalog snapshot: ${problems.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(new URL('../dist/rules/catalog.json', import.meta.url), `${JSON.stringify({ schema: loader.schemaHash(), docs })}\n`);
console.error(`catalog snapshot: ${Object.keys(docs).length} of ${cat.rules.length} rules`);
