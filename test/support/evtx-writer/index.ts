// Test-support EVTX writer: real .evtx files (EVTX 3.1, BinXML templates) from event specs, and the
// same events as Event XML text. Validated against Debian's evtxexport in test/samples.
export type { EvtxEventSpec, EvtxValue, EvtxField, EvtxPayload, EventDataPayload, UserDataPayload } from './types.js';
export { writeEvtx, type WriteEvtxOptions } from './file.js';
export { writeEventXml, renderEventXml, type EventXmlOptions } from './eventXml.js';
export { renderValue, canonicalTime, canonicalGuid, isoToFiletime, filetimeToIso } from './values.js';
export { crc32 } from './crc32.js';
