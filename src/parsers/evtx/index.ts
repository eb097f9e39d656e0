// Public surface of the evtx parser: the Reader, plus record-level access for Event XML output.
export { evtxReader } from './reader.js';
export { walkChunk, type ChunkRecord } from './chunk.js';
export { parseFileHeader, isEvtxMagic, FILE_HEADER_SIZE } from './fileHeader.js';
export { blocks } from './blocks.js';
export { decodeChunk } from './decode.js';
export { recordXml, chunkXml, xmlRecords } from './xml.js';
export { evtxXml } from './xmlStream.js';
export { evtxJsonl } from './jsonlStream.js';
export { eventJson, chunkJsonl } from './jsonl.js';
