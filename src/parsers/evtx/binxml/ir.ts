// The parsed form of a BinXML fragment. Templates are parsed once per chunk into this tree;
// a record is a template plus its substitution values, which stay undecoded until asked for.
import type { Kind } from './tokens.js';

export interface XAttr {
  name: string;
  value: XNode[];
}

export interface XElement {
  k: typeof Kind.Element;
  name: string;
  attrs: XAttr[];
  children: XNode[];
  /**
   * Cache for the JSON view (event.ts): the Name attribute when it is constant text (string),
   * null when it is absent or not constant; undefined until first asked.
   */
  constName?: string | null;
}

export interface XText {
  k: typeof Kind.Text;
  text: string;
}

export interface XSubst {
  k: typeof Kind.Subst;
  index: number;
  type: number;
  optional: boolean;
}

export interface XCharRef {
  k: typeof Kind.CharRef;
  code: number;
}

export interface XEntityRef {
  k: typeof Kind.EntityRef;
  name: string;
}

export interface XCData {
  k: typeof Kind.CData;
  text: string;
}

export interface XPI {
  k: typeof Kind.PI;
  target: string;
  data: string;
}

/** A template instance: the template's tree plus this occurrence's values. */
export interface XInstance {
  k: typeof Kind.Instance;
  template: Template;
  values: Values;
}

export type XNode = XElement | XText | XSubst | XCharRef | XEntityRef | XCData | XPI | XInstance;

export interface Template {
  /** Chunk-relative offset of the template definition. */
  offset: number;
  guid: string;
  nodes: XNode[];
}

/**
 * Substitution values of one instance, as descriptors into the chunk buffer:
 * value i has type `types[i]`, starts at `offs[i]` and is `sizes[i]` bytes long. Plain arrays:
 * typed arrays cost more to allocate than they save for ~20 entries per record.
 */
export interface Values {
  buf: Buffer;
  types: number[];
  offs: number[];
  sizes: number[];
}
