// Shared bits of every event factory: where and when an event is logged, and small value helpers.
import type { EvtxEventSpec, EvtxField, EvtxValue } from '../../../test/support/evtx-writer/index.js';
import type { Host } from './hosts.js';

/** Where and when: the logging host, its local clock time (UTC as it logs it), correlation ids. */
export interface At {
  host: Host;
  time: string;
  activityId?: string;
  processId?: number;
  threadId?: number;
}

export type System = Omit<EvtxEventSpec, 'time' | 'computer' | 'payload' | 'eventId'>;

export function event(at: At, eventId: number, sys: System, payload?: EvtxEventSpec['payload']): EvtxEventSpec {
  return {
    ...sys,
    eventId,
    time: at.time,
    computer: at.host.name,
    ...(at.activityId ? { activityId: at.activityId } : {}),
    processId: at.processId ?? sys.processId,
    threadId: at.threadId ?? sys.threadId,
    ...(payload ? { payload } : {}),
  };
}

/** Named EventData from an ordered list of [name, value]. */
export function named(...pairs: Array<[string, EvtxValue]>): EvtxEventSpec['payload'] {
  return { kind: 'EventData', fields: pairs.map(([name, value]): EvtxField => ({ name, value })) };
}

/** Classic unnamed EventData (`Data[0]`, `Data[1]`, … and optional Binary). */
export function unnamed(values: EvtxValue[], binary?: string): EvtxEventSpec['payload'] {
  return { kind: 'EventData', fields: values.map((value) => ({ value })), ...(binary !== undefined ? { binary } : {}) };
}

/** RCM/LSM style `<UserData><EventXML xmlns="Event_NS">…`. */
export function eventXml(...pairs: Array<[string, EvtxValue]>): EvtxEventSpec['payload'] {
  return { kind: 'UserData', element: 'EventXML', xmlns: 'Event_NS', fields: pairs.map(([name, value]) => ({ name, value })) };
}

export const u32 = (value: number): EvtxValue => ({ type: 'uint32', value });
export const u16 = (value: number): EvtxValue => ({ type: 'uint16', value });
export const u64 = (value: number): EvtxValue => ({ type: 'uint64', value });
export const hex32 = (value: number): EvtxValue => ({ type: 'hex32', value });
export const hex64 = (value: number): EvtxValue => ({ type: 'hex64', value });
export const sid = (value: string): EvtxValue => ({ type: 'sid', value });
export const guid = (value: string): EvtxValue => ({ type: 'guid', value });
export const bin = (value: string): EvtxValue => ({ type: 'binary', value });
