// Types for the fixture helpers used by the replay test.
export interface SavedFixture {
  reader: string;
  hash: string;
  bin: string;
  doc: { reader: string; kind: string; phase: string; status: 'open' | 'fixed'; signature: string; message: string; size: number; replay: { name: string; via: string; force: string[] } };
}
export function listFixtures(dir: string): SavedFixture[];
export function signatureHash(signature: string): string;
export function normalizeMessage(msg: string): string;
export function errorSignature(name: string, message: string, stack: string, code?: string): string;
