#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through `prepare`).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`rdpdoctor: internal error: ${err && err.message ? err.message : err}\n`);
  process.exitCode = 70;
});
