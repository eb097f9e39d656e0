// Types for the mutators, so tests can damage inputs the way the fuzzer does.
import type { Rng } from './rng.mjs';
export function mutate(seedBuf: Buffer, kind: 'evtx' | 'text' | 'zip', rng: Rng, ctx: { maxSize: number; partner?: Buffer; partnerName?: string }): { buf: Buffer; steps: string[] };
