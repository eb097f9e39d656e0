import { describe, expect, it } from 'vitest';
import { decideDateOrder, isoFromEpochMs, parseExactTime, parseLocalTime, parseMsDate, resolveZone } from '../../src/parsers/time.js';

describe('time parsing', () => {
  it('keeps 100 ns precision and normalises every exact form to 7 digits + Z', () => {
    expect(parseExactTime('2023-07-14T14:06:33.6543161Z')).toBe('2023-07-14T14:06:33.6543161Z');
    expect(parseExactTime('2018-08-05T10:34:37.552277500Z')).toBe('2018-08-05T10:34:37.5522775Z');
    expect(parseExactTime('2020-11-13 11:09:07.084053')).toBe('2020-11-13T11:09:07.0840530Z');
    expect(parseExactTime('2020-11-13T12:09:07.0840534+01:00')).toBe('2020-11-13T11:09:07.0840534Z');
    expect(parseExactTime('2020-11-13T00:30:00-05:30')).toBe('2020-11-13T06:00:00.0000000Z');
    expect(parseExactTime('2020-13-13T00:00:00Z')).toBeUndefined();
    expect(parseExactTime('yesterday')).toBeUndefined();
  });

  it('reads /Date(ms)/ and epoch milliseconds', () => {
    expect(parseMsDate('/Date(1605265747084)/')).toBe('2020-11-13T11:09:07.0840000Z');
    expect(parseMsDate('/Date(1605265747084+0100)/')).toBe('2020-11-13T11:09:07.0840000Z');
    expect(isoFromEpochMs(Number.NaN)).toBeUndefined();
  });

  it('resolves IANA names and ±hh:mm offsets', () => {
    expect(resolveZone('Europe/Berlin')?.name).toBe('Europe/Berlin');
    expect(resolveZone('+05:30')?.offset(0)).toBe(330);
    expect(resolveZone('-0800')?.offset(0)).toBe(-480);
    expect(resolveZone('Nowhere/City')).toBeUndefined();
  });

  it('parses local times across DST in the given zone', () => {
    const ny = resolveZone('America/New_York')!;
    expect(parseLocalTime('3/9/2024 9:00:00 AM', 'en-US', ny)).toBe('2024-03-09T14:00:00.0000000Z');
    expect(parseLocalTime('3/11/2024 9:00:00 AM', 'en-US', ny)).toBe('2024-03-11T13:00:00.0000000Z');
  });

  it('decides the date order from all samples', () => {
    expect(decideDateOrder(['1/2/2024 10:00:00', '13/2/2024 10:00:00'])).toEqual({ order: 'day-first-slash', ambiguous: false });
    expect(decideDateOrder(['1/2/2024 10:00:00 AM', '1/13/2024 10:00:00 AM'])).toEqual({ order: 'en-US', ambiguous: false });
    expect(decideDateOrder(['1/2/2024 10:00:00 AM'])).toEqual({ order: 'en-US', ambiguous: true });
    expect(decideDateOrder(['2024-01-02 10:00:00'])).toEqual({ order: 'iso', ambiguous: false });
    expect(decideDateOrder(['nonsense'])).toBeUndefined();
  });
});
