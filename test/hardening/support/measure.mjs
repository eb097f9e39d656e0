// Runs the rdpdoctor CLI in this process and, on exit, writes what it cost: peak RSS (worker
// threads included), wall time and CPU. Usage: node measure.mjs <report.json> <rdpdoctor args...>
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [report, ...args] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
process.on('exit', (code) => {
  const ru = process.resourceUsage();
  writeFileSync(report, JSON.stringify({ exitCode: code, maxRssMb: Math.round(ru.maxRSS / 1024), elapsedMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6), cpuMs: Math.round((ru.userCPUTime + ru.systemCPUTime) / 1000) }));
});
const main = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const mod = await import(pathToFileURL(main).href);
await mod.main(['node', 'rdpdoctor', ...args]);
