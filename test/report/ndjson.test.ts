import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/report/document.js';
import { ipOnly, ndjsonLines } from '../../src/report/ndjson.js';
import { fixtureInput } from './fixture.js';
import { ndjsonErrors } from './validate.js';

describe('ECS address fields', () => {
  it('keep only real IP addresses for *.ip (ports and brackets stripped)', () => {
    expect(ipOnly('10.0.0.5')).toBe('10.0.0.5');
    expect(ipOnly('10.0.0.5:51234')).toBe('10.0.0.5');
    expect(ipOnly('[fe80::1]:3389')).toBe('fe80::1');
    expect(ipOnly('fe80::1')).toBe('fe80::1');
    expect(ipOnly('srv01.contoso.local')).toBeUndefined();
    expect(ipOnly('999.1.1.1')).toBeUndefined();
    expect(ipOnly('')).toBeUndefined();
    expect(ipOnly(undefined)).toBeUndefined();
  });
});

describe('NDJSON without any event time', () => {
  it('omits @timestamp on finding and summary lines rather than inventing one', () => {
    const input = { ...fixtureInput(), attempts: [], diagnoses: [] };
    delete input.timeRange;
    const lines = ndjsonLines(buildDocument(input)).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) {
      expect(l['@timestamp']).toBeUndefined();
      expect(ndjsonErrors(l)).toEqual([]);
    }
  });
});
