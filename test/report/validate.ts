// Validates outputs against schema/*.schema.json with ajv (draft 2020-12), for report and CLI tests.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
// ajv-formats is not a dependency; the two formats the schemas use are checked with node:net.
ajv.addFormat('ipv4', (v: string) => isIP(v) === 4);
ajv.addFormat('ipv6', (v: string) => isIP(v) === 6);
const analyzeSchema = ajv.compile(JSON.parse(readFileSync(path.join(repoRoot, 'schema/analyze.schema.json'), 'utf8')) as object);
const ndjsonSchema = ajv.compile(JSON.parse(readFileSync(path.join(repoRoot, 'schema/ndjson.schema.json'), 'utf8')) as object);

/** Returns the list of schema errors (empty when valid), formatted for an assertion message. */
export function analyzeErrors(doc: unknown): string[] {
  return analyzeSchema(doc) ? [] : (analyzeSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export function ndjsonErrors(line: unknown): string[] {
  return ndjsonSchema(line) ? [] : (ndjsonSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const attemptSchema = ajv.compile({ $ref: 'https://rdpdoctor.dev/schema/analyze/1.0.0#/$defs/attempt' });

/** Schema errors of one AttemptReport (what `attempts --json` and `show --json` carry). */
export function attemptErrors(a: unknown): string[] {
  return attemptSchema(a) ? [] : (attemptSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
