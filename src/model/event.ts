// The normalized event: every input format (evtx, XML, CSV, PowerShell, RDCMan log) lands here,
// so correlation and rules never care where an event came from. Provenance says how far to trust it.

export type Format =
  | 'evtx'
  | 'event-xml' // wevtutil /f:xml, Event Viewer "Save as XML"
  | 'evt-csv' // Event Viewer CSV export
  | 'evt-text' // Event Viewer tab-separated text export
  | 'ps-json' // Get-WinEvent | ConvertTo-Json (5.1 and 7)
  | 'ps-csv' // Get-WinEvent | Export-Csv
  | 'rdp' // mstsc .rdp file (context only)
  | 'rdg' // RDCMan .rdg file (context only)
  | 'rdcman-log'; // RDCMan-*.log

/**
 * full: every System field and typed data (evtx, Event XML).
 * positional: data came from positional Properties and was mapped by a table (PowerShell).
 * message-only: values were extracted from rendered message text (Event Viewer CSV/text).
 * context: configuration, not an event (.rdp, .rdg).
 */
export type Fidelity = 'full' | 'positional' | 'message-only' | 'context';

export interface Provenance {
  /** Display path; a zip member is written `archive.zip!/inner/path.evtx`. */
  file: string;
  format: Format;
  /** Human-readable position: `chunk 3 record 1234 @0x1a2b0`, `line 17`, `element 42`. */
  position: string;
  /** Byte offset of the record or line start, where known. */
  offset?: number;
  /** evtx: chunk index (0-based). */
  chunk?: number;
  /** evtx: true for a record carved from chunk slack rather than read from the live chain. */
  recovered?: boolean;
  fidelity: Fidelity;
}

export interface NormalizedEvent {
  /** ISO 8601 UTC with 7 fractional digits and a trailing Z (100 ns precision kept). */
  time: string;
  provider: string;
  providerGuid?: string;
  /** EventSourceName attribute of Provider, when present (classic event sources). */
  eventSourceName?: string;
  eventId: number;
  qualifiers?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  /** Hex, as Windows writes it: `0x8000000000000000`. */
  keywords?: string;
  recordId?: number;
  /** Upper-case braced GUID `{XXXXXXXX-...}` as Windows renders it. */
  activityId?: string;
  relatedActivityId?: string;
  processId?: number;
  threadId?: number;
  channel: string;
  /** The host that logged the event (System/Computer). Hosts are identified by this, not by the file. */
  computer: string;
  /** Security/@UserID (a SID string). */
  userId?: string;
  /**
   * EventData/UserData flattened by the corpus reference convention: a named Data gives its name,
   * unnamed ones `Data[0]`, `Data[1]`…, `Binary` for Binary, a UserData leaf its element name
   * (nested `X/Y`), repeated keys `#2`, `#3`.
   */
  data: Record<string, string>;
  /** Rendered message, from exports that carry it (RenderingInfo, CSV, PowerShell). */
  message?: string;
  source: Provenance;
}

/**
 * Client-side configuration that is not an event: the settings of an .rdp file or of an RDCMan
 * server entry. Diagnosis uses it as context for a target (gateway in use, authentication level…).
 */
export interface ContextRecord {
  kind: 'rdp-file' | 'rdg-server';
  /** The target as written in the file (full address / server name). */
  target?: string;
  /** Setting name → value, names as in the file (`full address`, `gatewayusagemethod`, …). */
  settings: Record<string, string>;
  source: Provenance;
}
