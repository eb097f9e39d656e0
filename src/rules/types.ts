// The shape of a rule file (src/rules/catalog/<id>.yaml), after loading. schema.ts validates the
// raw YAML against the same shape; loader.ts adds the semantic checks JSON Schema cannot express.
import type { Outcome, Side } from '../model/analysis.js';
import type { EventNeed } from '../model/stages.js';

/** A number test: exact, one of a list, or a range. */
export type NumMatch = number | number[] | { gte?: number; gt?: number; lte?: number; lt?: number; in?: number[]; not?: number[] };

/** A string test for facts, settings and targets (the `where` map uses Sigma-style `Field|modifier` keys instead). */
export type StrMatch = string | string[] | { equals?: string | string[]; contains?: string; startswith?: string; endswith?: string; re?: string; exists?: boolean };

export interface Selector {
  side?: Side | 'any';
  /** Look in the attempt's own events, its host context, or both (default both). */
  in?: 'events' | 'context' | 'any';
  channel?: string;
  provider?: string;
  id?: number | number[];
  /** Sigma-like field conditions: `Field`, `Field|contains`, `Field|re`, `Field|gte`, `Field|contains|all`… */
  where?: Record<string, unknown>;
  /** Only events within this distance of the attempt (e.g. `30s`, `10m`). */
  within?: string;
  /** Only events logged before the attempt's first event, during it, or after its last. */
  at?: ('before' | 'during' | 'after')[];
}

export interface CodesCond {
  disconnectReason?: NumMatch;
  extendedReason?: NumMatch;
  /** Where the codes came from (log, rdcman, user, server). */
  source?: string[];
  /** Names of codes that must be unknown (e.g. extendedReason when nothing reported it). */
  missing?: ('disconnectReason' | 'extendedReason')[];
}

export type Cond =
  | { codes: CodesCond }
  | { event: Selector }
  | { absent: Selector }
  | { sequence: Selector[]; maxGap?: string }
  | { outcome: Outcome | Outcome[] }
  | { coverage: { client?: boolean; server?: boolean } }
  | { fact: Record<string, StrMatch> }
  | { setting: Record<string, StrMatch> }
  | { target: StrMatch }
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond };

export interface Item {
  when: Cond;
  weight: number;
  /** Explanation template: `${Field}` from the matched event's data, `${event.id}`, `${codes.extendedReason}`… */
  says: string;
  /** The statement rests on a fact rdp-kb marks UNCONFIRMED. */
  unconfirmed?: boolean;
  /** A matched refute rules the cause out whatever supports it. */
  decisive?: boolean;
}

export interface CollectHint {
  log: string;
  host: 'client' | 'server' | 'gateway' | 'dc';
  /** How to turn the log on when it is off by default. */
  enable?: string;
}

export interface Rule {
  id: string;
  title: string;
  summary?: string;
  /** The cause as a whole rests on UNCONFIRMED facts: confidence never goes above low. */
  unconfirmed?: boolean;
  appliesTo: Outcome[];
  needs: EventNeed[];
  thresholds: { likely: number; ruledOut: number };
  supports: Item[];
  refutes: Item[];
  remediation: string[];
  references: string[];
  collectNext: CollectHint[];
  /** Absolute path of the file the rule came from. */
  file: string;
}

export interface Catalog {
  rules: Rule[];
  /** Folders the rules were loaded from (fixtures live under <dir>/fixtures/<id>/). */
  dirs: string[];
}
