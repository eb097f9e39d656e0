// RDPDOCTOR_* numeric settings: one reading for all of them (envNumber in src/cli/options.ts).
import { describe, expect, it } from 'vitest';
import { envNumber } from '../../src/cli/options.js';

describe('envNumber', () => {
  const N = 'RDPDOCTOR_ANALYSIS_WORKER_MIN_EVENTS';
  it('takes a number ≥ 0, 0 included', () => {
    expect(envNumber(N, 200_000, { [N]: '0' })).toBe(0);
    expect(envNumber(N, 200_000, { [N]: ' 1500 ' })).toBe(1500);
    expect(envNumber(N, 200_000, { [N]: '2.5' })).toBe(2.5);
  });
  it('keeps the default when the value is unset, empty, negative or not a number (a typo never means 0)', () => {
    expect(envNumber(N, 200_000, {})).toBe(200_000);
    expect(envNumber(N, 200_000, { [N]: '' })).toBe(200_000);
    expect(envNumber(N, 200_000, { [N]: '  ' })).toBe(200_000);
    expect(envNumber(N, 200_000, { [N]: '-1' })).toBe(200_000);
    expect(envNumber(N, 200_000, { [N]: 'lots' })).toBe(200_000);
    expect(envNumber(N, 200_000, { [N]: 'Infinity' })).toBe(200_000);
  });
});
