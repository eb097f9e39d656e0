// Fixed timestamps: scenarios are built from a base time plus offsets, never from the clock.
import { filetimeToIso, isoToFiletime } from '../../../test/support/evtx-writer/index.js';

/** `iso` plus `ms` milliseconds (fractions kept to 100 ns), in Windows' 7-digit form. */
export function plus(iso: string, ms: number): string {
  return filetimeToIso(isoToFiletime(iso) + BigInt(Math.round(ms * 10000)));
}

/** Milliseconds from `a` to `b`. */
export function between(a: string, b: string): number {
  return Number(isoToFiletime(b) - isoToFiletime(a)) / 10000;
}
