// The report layer's public surface: build the document once, then render it as JSON, NDJSON or text.
export { buildDocument, orderCauses, compareEventRefs, noAttemptsReason } from './document.js';
export type { DocumentInput, SkippedInput, CodeDescriber } from './document.js';
export { EvidenceScanner, EVIDENCE_NEEDS, sortFindings } from './findings.js';
export type { ScannedEvent } from './findings.js';
export { renderJson } from './json.js';
export { renderNdjson, ndjsonLines } from './ndjson.js';
export { renderText, summaryLines, formatEventRef, formatCode } from './text.js';
export { sanitizeInline, sanitizeBlock, hasUnsafe, wellFormed } from './sanitize.js';
export { parseZone, formatTime, formatOffset, parseInstant, UTC_ZONE } from './time.js';
export type { DisplayZone } from './time.js';
export { channelInfo, collectHint } from './channels.js';
