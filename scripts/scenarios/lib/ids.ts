// Deterministic identifiers: ActivityIDs per host and connection, record-id bases per channel file.
// Derived from names by hashing so a regenerated sample has the same bytes.
import { createHash } from 'node:crypto';

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\n')).digest();
}

/**
 * An ActivityID as Windows shows them for these providers: random-looking with the last four hex
 * digits 0000 (e.g. {780CF827-0ED1-4F4B-924C-3B14E7660000}). Client and server never share one.
 */
export function activityId(scenario: string, host: string, label: string): string {
  const h = digest('activity', scenario, host, label).toString('hex').toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 28)}0000}`;
}

/** A stable number in [min, max] from names (record-id bases, ports, thread ids). */
export function pick(min: number, max: number, ...parts: string[]): number {
  return min + (digest('pick', ...parts).readUInt32LE(0) % (max - min + 1));
}
