// Child-process runner for zip cases: discovery (zip expansion in place) plus a full read of every
// input by its reader, printing one JSON summary and what it cost. Runs apart from vitest so its
// peak RSS is its own. Usage: node discover.mjs <path...>
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));
const { discoverInputs } = await import(pathToFileURL(`${dist}ingest/discover.js`).href);
const { formatIssue } = await import(pathToFileURL(`${dist}model/issue.js`).href);
const t0 = process.hrtime.bigint();
const found = await discoverInputs(process.argv.slice(2));
const inputs = [];
for (const { source, reader } of found.inputs) {
  const rep = { name: source.name, format: reader.format, events: 0, issues: [] };
  const gen = reader.read(source, {});
  let r;
  while (!(r = await gen.next()).done) {
    for (const it of r.value) {
      if (it.kind === 'event') rep.events++;
      else if (it.kind === 'issue' && rep.issues.length < 20) rep.issues.push(formatIssue(it.issue));
    }
  }
  inputs.push(rep);
}
const ru = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    inputs,
    skipped: found.skipped,
    usage: { maxRssMb: Math.round(ru.maxRSS / 1024), elapsedMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6), cpuMs: Math.round((ru.userCPUTime + ru.systemCPUTime) / 1000) },
  }),
);
