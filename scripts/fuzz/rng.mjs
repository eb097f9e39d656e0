// Seeded PRNG for the fuzzer. Every input is derived from (seed, index) alone, so any input of a
// run can be rebuilt without replaying the ones before it.

/** 32-bit FNV-1a over a string: turns `seed:index` into PRNG state. */
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough to pick mutations. */
export class Rng {
  constructor(seed) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hash32(String(seed));
  }

  static forInput(seed, index) {
    return new Rng(hash32(`${seed}:${index}`));
  }

  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n) {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  pick(list) {
    return list[this.int(list.length)];
  }

  chance(p) {
    return this.next() < p;
  }

  /** Small sizes are likelier than large ones (log-uniform in [1, max]). */
  size(max) {
    return Math.max(1, Math.min(max, Math.floor(Math.exp(this.next() * Math.log(max + 1)))));
  }
}
