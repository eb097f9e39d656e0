// Importing this module registers every reader with the registry (one line per format).
// Binary formats first, then structured text, then loose text; see registry.ts.
import { registerReader } from './registry.js';
import { evtxReader } from './evtx/reader.js';
import { eventXmlReader } from './xml.js';
import { rdcmanReader } from './rdcman.js';
import { psJsonReader, psCsvReader } from './powershell.js';
import { eventViewerCsvReader, eventViewerTextReader } from './eventViewerText.js';
import { rdcmanLogReader } from './rdcmanLog.js';
import { rdpFileReader } from './rdpFile.js';

registerReader(evtxReader);
registerReader(rdcmanReader);
registerReader(eventXmlReader);
registerReader(psJsonReader);
registerReader(psCsvReader);
registerReader(eventViewerCsvReader);
registerReader(eventViewerTextReader);
registerReader(rdcmanLogReader);
registerReader(rdpFileReader);
