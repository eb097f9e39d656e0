import { describe, expect, it } from 'vitest';
import { RowStrings } from '../../src/store/eventRows.js';

describe('RowStrings', () => {
  it('hands back the text it was given, keeping one copy of each up to its bound', () => {
    const names = new RowStrings(2);
    // Fresh strings each time, as SQLite hands them over row by row.
    const fresh = (s: string): string => [...s].join('');
    expect(names.get(fresh('Security'))).toBe('Security');
    expect(names.get(fresh('Security'))).toBe('Security');
    expect(names.size).toBe(1);
    expect(names.get(fresh('SRV01'))).toBe('SRV01');
    expect(names.get(fresh('S-1-5-18'))).toBe('S-1-5-18');
    // Bounded: the third distinct name is returned but not kept.
    expect(names.size).toBe(2);
    expect(names.get('S-1-5-18')).toBe('S-1-5-18');
    expect(names.size).toBe(2);
  });
});
