// Importing this module registers every reader with the registry (one line per format).
// Binary formats first, then structured text, then loose text; see registry.ts.
import { registerReader } from './registry.js';
import { evtxReader } from './evtx/reader.js';

registerReader(evtxReader);
