// Types for the fuzz campaign module, so the TypeScript tests can drive it.
export interface FuzzSeed {
  name: string;
  kind: 'evtx' | 'text';
  buf: Buffer;
}

export interface FuzzOptions {
  seed?: string;
  count?: number;
  start?: number;
  seconds?: number;
  jobs?: number;
  corpusDir?: string | null;
  distDir?: string;
  readersModule?: string;
  evtxMode?: 'chunk' | 'file';
  chunksPerFile?: number;
  textShare?: number;
  zipShare?: number;
  twiceShare?: number;
  maxSeedSize?: number;
  maxSize?: number;
  timeoutMs?: number;
  perMbMs?: number;
  heapMb?: number;
  save?: boolean;
  outDir?: string;
  minimize?: boolean;
  includeSeeds?: boolean;
  ignoreKnown?: boolean;
  builtin?: boolean;
  repoSeeds?: boolean;
  extraSeeds?: FuzzSeed[];
  log?: (line: string) => void;
}

export interface Finding {
  kind: 'throw' | 'uncaught' | 'hang' | 'oom' | 'contract' | 'harness';
  phase?: 'sniff' | 'read';
  format: string;
  forced?: boolean;
  message: string;
  stack?: string;
  signature: string;
  count: number;
  seed: string;
  index: number;
  steps: string[];
  size: number;
  fixture?: string;
  minimizedSize?: number;
}

export interface FuzzSummary {
  seed: string;
  inputs: number;
  runs: Record<string, number>;
  formats: string[];
  seeds: { evtx: number; text: number };
  notes: string[];
  findings: Finding[];
  knownHits: number;
  restarts: number;
  elapsedMs: number;
}

export interface ReplayResult {
  fixture: string;
  status: 'open' | 'fixed';
  kind: string;
  signature: string;
  findings: (Omit<Finding, 'count' | 'seed' | 'index' | 'steps' | 'size'> & { via: 'stream' | 'file' })[];
}

export const REPO_ROOT: string;
export const DEFAULTS: Required<Omit<FuzzOptions, 'readersModule' | 'extraSeeds' | 'builtin' | 'repoSeeds' | 'start'>>;
export function runFuzz(options?: FuzzOptions): Promise<FuzzSummary>;
export function replayFixtures(options?: FuzzOptions): Promise<ReplayResult[]>;
export function buildInput(seeds: { evtx: FuzzSeed[]; text: FuzzSeed[] }, o: FuzzOptions & { seed: string; textShare: number; maxSize: number }, index: number): { bytes: Buffer; seed: FuzzSeed; steps: string[]; via: 'stream' | 'file'; splitSeed: number; name: string };
