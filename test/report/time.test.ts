import { describe, expect, it } from 'vitest';
import { formatTime, parseInstant, parseZone, toStoredTime, utcMillis } from '../../src/report/time.js';
import { instantArg, parseCodeText, timeBound, zoneArg } from '../../src/cli/options.js';

describe('zones', () => {
  it('accepts IANA names, fixed offsets and UTC; refuses the rest', () => {
    expect(parseZone('Europe/Paris')?.label).toBe('Europe/Paris');
    expect(parseZone('+05:30')?.label).toBe('+05:30');
    expect(parseZone('-0800')?.label).toBe('-08:00');
    expect(parseZone('UTC+3')?.label).toBe('+03:00');
    expect(parseZone('Z')?.label).toBe('UTC');
    // `local` is this machine's zone by name (the test runs with TZ=UTC or a named zone).
    expect(parseZone('local')).toBeDefined();
    for (const bad of ['Mars/Olympus', '+25:00', '+05:75', 'IST?', '']) expect(parseZone(bad)).toBeUndefined();
    expect(() => zoneArg('Mars/Olympus')).toThrow(/not an IANA time zone/);
  });

  it('prints times with the offset in force at that instant (DST), milliseconds truncated', () => {
    const paris = parseZone('Europe/Paris')!;
    expect(formatTime('2024-03-31T00:59:59.9999999Z', paris)).toBe('2024-03-31 01:59:59.999 +01:00');
    expect(formatTime('2024-03-31T01:00:00.0000000Z', paris)).toBe('2024-03-31 03:00:00.000 +02:00');
    expect(formatTime('2024-05-01T12:06:33.6543161Z', parseZone('Asia/Kolkata')!)).toBe('2024-05-01 17:36:33.654 +05:30');
    expect(formatTime('2024-05-01T00:10:00Z', parseZone('-08:00')!)).toBe('2024-04-30 16:10:00.000 -08:00');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('reads --since/--until without an offset in --tz, with one as given', () => {
    const kolkata = parseZone('Asia/Kolkata')!;
    expect(toStoredTime(parseInstant('2024-05-01T17:36', kolkata)!)).toBe('2024-05-01T12:06:00.0000000Z');
    expect(toStoredTime(parseInstant('2024-05-01T17:36:00+02:00', kolkata)!)).toBe('2024-05-01T15:36:00.0000000Z');
    expect(toStoredTime(parseInstant('2024-05-01 10:00:00Z')!)).toBe('2024-05-01T10:00:00.0000000Z');
    expect(parseInstant('yesterday')).toBeUndefined();
    expect(() => instantArg('2024-13-45')).toThrow(/not a date or time/);
    expect(timeBound('2024-05-01', parseZone('UTC')!, true)).toBe('2024-05-01T23:59:59.9999999Z');
    expect(timeBound('2024-05-01T10:00Z', parseZone('UTC')!, false)).toBe('2024-05-01T10:00:00.0000000Z');
    expect(utcMillis('2024-05-01T10:00:00.1234567Z')).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
  });
});

describe('dialog codes', () => {
  it('reads hex (0x904, 904h) and decimal, bounded to 32 bits', () => {
    expect(parseCodeText('0x904')).toBe(2308);
    expect(parseCodeText('904h')).toBe(2308);
    expect(parseCodeText('2308')).toBe(2308);
    expect(parseCodeText('0X7')).toBe(7);
    expect(parseCodeText('0x1ffffffff')).toBeUndefined();
    expect(parseCodeText('99999999999')).toBeUndefined();
    expect(parseCodeText('-1')).toBeUndefined();
    expect(parseCodeText('0x')).toBeUndefined();
  });
});
