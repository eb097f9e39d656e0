// Types for the seeded PRNG (shared by the fuzzer and the crash test).
export function hash32(text: string): number;
export class Rng {
  constructor(seed: number | string);
  static forInput(seed: string, index: number): Rng;
  next(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  size(max: number): number;
}
