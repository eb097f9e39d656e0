// The event-spec shape shared by the EVTX writer and the Event XML writer, so tests can render the
// very same events in several formats and compare what each parser makes of them.

/**
 * A substitution value. A plain string is a UTF-16 string; the object forms pick the BinXML value
 * type Windows uses for that field (e.g. Security LogonType is uint32, SubjectLogonId hex64).
 */
export type EvtxValue =
  | string
  | { type: 'string'; value: string }
  | { type: 'uint8' | 'uint16' | 'uint32' | 'int32' | 'hex32'; value: number }
  | { type: 'uint64' | 'int64' | 'hex64'; value: bigint | number }
  | { type: 'guid'; value: string }
  /** ISO 8601 UTC with up to 7 fractional digits. */
  | { type: 'filetime'; value: string }
  | { type: 'sid'; value: string }
  /** Hex string (any case) or bytes. */
  | { type: 'binary'; value: string | Uint8Array }
  | { type: 'bool'; value: boolean }
  | { type: 'null' };

export interface EvtxField {
  /** Data/@Name for EventData; element name for UserData; omitted for classic unnamed Data. */
  name?: string;
  value: EvtxValue;
}

/** `<EventData><Data Name="…">…</Data>…[<Binary>…</Binary>]</EventData>`; no fields gives `<EventData/>`. */
export interface EventDataPayload {
  kind: 'EventData';
  fields: EvtxField[];
  /** Classic sources append raw bytes as `<Binary>` (hex or bytes). */
  binary?: string | Uint8Array;
}

/** `<UserData><Wrapper xmlns="…"><Child>…</Child>…</Wrapper></UserData>` (RCM, LSM: `EventXML`, `Event_NS`). */
export interface UserDataPayload {
  kind: 'UserData';
  element: string;
  xmlns: string;
  fields: Array<{ name: string; value: EvtxValue }>;
}

export type EvtxPayload = EventDataPayload | UserDataPayload;

export interface EvtxEventSpec {
  provider: {
    name: string;
    /** Braced GUID; rendered upper-case for manifest providers, as given for classic ones. */
    guid?: string;
    /** Present for classic event sources (System log: Schannel, LsaSrv, RCM's TermService source…). */
    eventSourceName?: string;
    /**
     * Legacy ReportEvent source without a manifest (EventLog 6005/6006, Windows 7 Application Error):
     * Windows writes a shorter System element with no Version, Opcode, Correlation or Execution.
     */
    legacy?: boolean;
  };
  eventId: number;
  qualifiers?: number;
  version?: number;
  level?: number;
  task?: number;
  opcode?: number;
  /** 64-bit keyword mask as hex (`0x8020000000000000`) or bigint. */
  keywords?: string | bigint;
  /** ISO 8601 UTC (`2026-03-02T09:14:05.1234567Z`), up to 7 fractional digits. */
  time: string;
  /** Assigned by the writer (first id, then +1) when omitted; must increase within a file. */
  recordId?: number;
  activityId?: string;
  relatedActivityId?: string;
  processId?: number;
  threadId?: number;
  channel: string;
  computer: string;
  /** Security/@UserID SID string; absent renders `<Security/>`. */
  userId?: string;
  payload?: EvtxPayload;
}
