// What the caller (analyze on a terminal, or `rdpdoctor tui`) hands the UI besides the document.
import type { StoredEvent } from '../model/stages.js';

/** A stored event as the event-detail pane shows it; `raw` is the record's XML or the source line. */
export interface TuiEvent extends StoredEvent {
  raw?: string;
  /** Where `raw` was read from, or why there is none. */
  rawNote?: string;
}

export interface TuiOptions {
  /**
   * Looks an event up in the case file by row id (EventRef.eventId). Without it the pane shows the
   * reference only. When the result has no `raw`, the UI reads the record again from its source file.
   */
  getEvent?: (rowId: number) => TuiEvent | undefined;
  /**
   * Plain-words meanings of an event's codes (e.g. 1026 Value=2308 → "0x904 socket closed"), from the
   * rules' decode table. Optional: without it the pane shows the attempt's decoded codes.
   */
  describeEvent?: (ev: { channel: string; provider: string; id: number; values: Record<string, string> }) => string[];
  /** Folder for `e` exports (default: the current directory). */
  exportDir?: string;
  /** IANA zone or ±hh:mm for displayed times (default UTC). */
  tz?: string;
  /** Forces monochrome regardless of NO_COLOR. */
  noColor?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Switch to the terminal's alternate screen while running (default: when stdout is a TTY). */
  alternateScreen?: boolean;
}
