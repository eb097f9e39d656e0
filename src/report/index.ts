// The report layer's public surface: build the document once, then render it as JSON, NDJSON or text.
export { buildDocument, orderCauses, compareEventRefs, noAttemptsReason, time7 } from './document.js';
export type { DocumentInput, SkippedInput, CodeDescriber } from './document.js';
export { EvidenceScanner, EVIDENCE_NEEDS, sortFindings } from './findings.js';
export type { ScannedEvent } from './findings.js';
export { renderJson, toJson } from './json.js';
export { renderNdjson, ndjsonLines, ipOnly } from './ndjson.js';
export { renderText, renderAttemptText, attemptLine, summaryLines, formatEventRef, formatCode } from './text.js';
export { sanitizeInline, sanitizeBlock, hasUnsafe, wellFormed } from './sanitize.js';
export { parseZone, formatTime, formatOffset, parseInstant, UTC_ZONE } from './time.js';
export type { DisplayZone } from './time.js';
export { channelInfo, collectHint, needChannel } from './channels.js';
export { documentFromCase, sourceToInput } from './caseDocument.js';
export { loadCaseDocument, findAttempt } from './caseView.js';
export { describeCodes } from './codes.js';
