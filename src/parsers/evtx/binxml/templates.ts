// The chunk's template table: template definitions are stored once per chunk and referenced by
// chunk offset from template instances. Each definition is parsed once into an element tree.
import { EvtxFormatError } from '../cursor.js';
import type { Template } from './ir.js';
import { renderGuid } from './values.js';

const TEMPLATE_TABLE_OFFSET = 0x180;
const TEMPLATE_BUCKETS = 32;
/** Header of a template definition: next offset, GUID, data size. */
export const TEMPLATE_HEADER_SIZE = 24;

export interface TemplateDef {
  offset: number;
  guid: string;
  /** Chunk-relative start and end of the definition's BinXML. */
  start: number;
  end: number;
}

/** Reads the definition header at `off`, bounds-checked against the chunk. */
export function readTemplateDef(buf: Buffer, off: number, chunkEnd: number, fileBase: number): TemplateDef {
  if (off < 0x200 || off + TEMPLATE_HEADER_SIZE > chunkEnd) {
    throw new EvtxFormatError(`template offset 0x${off.toString(16)} is outside the chunk`, fileBase + off, 'evtx.bad-template');
  }
  const size = buf.readUInt32LE(off + 20);
  const start = off + TEMPLATE_HEADER_SIZE;
  if (start + size > chunkEnd) {
    throw new EvtxFormatError(`template at 0x${off.toString(16)} claims ${size} bytes, past the chunk end`, fileBase + off, 'evtx.bad-template');
  }
  return { offset: off, guid: renderGuid(buf, off + 4), start, end: start + size };
}

export class TemplateCache {
  readonly byOffset = new Map<number, Template>();
  /** Offsets being parsed right now: a template that (indirectly) contains itself is refused. */
  readonly inProgress = new Set<number>();

  /** Walks the 32 bucket chains of the template table, guarded against loops. Returns problems. */
  static verify(buf: Buffer, chunkEnd: number): string[] {
    const problems: string[] = [];
    const seen = new Set<number>();
    for (let b = 0; b < TEMPLATE_BUCKETS; b++) {
      let off = buf.readUInt32LE(TEMPLATE_TABLE_OFFSET + b * 4);
      let steps = 0;
      while (off !== 0) {
        if (off < 0x200 || off + TEMPLATE_HEADER_SIZE > chunkEnd) {
          problems.push(`template table bucket ${b}: offset 0x${off.toString(16)} outside the chunk`);
          break;
        }
        if (seen.has(off) || ++steps > 4096) {
          problems.push(`template table bucket ${b}: chain loops at 0x${off.toString(16)}`);
          break;
        }
        seen.add(off);
        off = buf.readUInt32LE(off);
      }
    }
    return problems;
  }
}
