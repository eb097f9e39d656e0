// The tool probe behind the evtxexport/python-evtx tests: a missing tool skips with a visible
// message outside CI and fails in CI; the XML splitter reads the shapes evtxexport prints.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseEvtxexportXml, requireTool, toolAvailable } from './tools.js';

describe('requireTool', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  it('reports a missing tool with a warning outside CI and throws in CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    delete process.env.CI;
    expect(toolAvailable('rdpdoctor-no-such-tool')).toBe(false);
    expect(requireTool('rdpdoctor-no-such-tool', 'probe')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/probe: rdpdoctor-no-such-tool not found, skipping/));
    process.env.CI = 'true';
    expect(() => requireTool('rdpdoctor-no-such-tool', 'probe')).toThrow(/required in CI/);
  });

  it('treats a tool that exits non-zero on its probe as unusable', () => {
    expect(toolAvailable(process.execPath, ['-e', 'process.exit(3)'])).toBe(false);
    expect(toolAvailable(process.execPath, ['-e', ''])).toBe(true);
  });
});

describe('parseEvtxexportXml', () => {
  it('reads System fields, named/unnamed/empty Data, Binary and UserData leaves, and 9-digit times', () => {
    const out = `evtxexport 20181227

<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="LsaSrv" Guid="{199fe037-2b82-40a9-82ac-e1d46c792b99}" EventSourceName="LsaSrv"/>
    <EventID Qualifiers="0">6041</EventID>
    <Version>0</Version>
    <Level>2</Level>
    <Task>0</Task>
    <Opcode>0</Opcode>
    <Keywords>0x0080000000000000</Keywords>
    <TimeCreated SystemTime="2026-03-02T09:00:01.123456700Z"/>
    <EventRecordID>42</EventRecordID>
    <Correlation/>
    <Execution ProcessID="0" ThreadID="0"/>
    <Channel>System</Channel>
    <Computer>RDS01.corp.example</Computer>
    <Security/>
  </System>
  <EventData>
    <Data>a &amp; b</Data>
    <Data Name="Empty"/>
    <Binary>DEADBEEF</Binary>
  </EventData>
</Event>

<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="P" Guid="{C76BAA63-AE81-421C-B425-340B4B24157F}"/>
    <EventID>1149</EventID>
    <Version>0</Version>
    <Level>4</Level>
    <Task>0</Task>
    <Opcode>0</Opcode>
    <Keywords>0x1000000000000000</Keywords>
    <TimeCreated SystemTime="2026-03-02T09:00:02.500000000Z"/>
    <EventRecordID>43</EventRecordID>
    <Correlation ActivityID="{F4205BAC-1B01-40FC-AEEF-3C971C730000}"/>
    <Execution ProcessID="948" ThreadID="1332"/>
    <Channel>C/Operational</Channel>
    <Computer>RDS01.corp.example</Computer>
    <Security UserID="S-1-5-20"/>
  </System>
  <UserData>
    <EventXML xmlns="Event_NS">
      <Param1>alice</Param1>
      <Param2></Param2>
    </EventXML>
  </UserData>
</Event>
`;
    const [a, b] = parseEvtxexportXml(out);
    expect(a).toMatchObject({ provider: 'LsaSrv', eventSourceName: 'LsaSrv', eventId: 6041, qualifiers: 0, version: 0, level: 2, time: '2026-03-02T09:00:01.1234567Z', recordId: 42, payload: 'EventData', userId: undefined, activityId: undefined });
    expect(a!.data).toEqual([['', 'a & b'], ['Empty', ''], ['Binary', 'DEADBEEF']]);
    expect(b).toMatchObject({ providerGuid: '{C76BAA63-AE81-421C-B425-340B4B24157F}', qualifiers: undefined, activityId: '{F4205BAC-1B01-40FC-AEEF-3C971C730000}', processId: 948, userId: 'S-1-5-20', payload: 'UserData', channel: 'C/Operational' });
    expect(b!.data).toEqual([['Param1', 'alice'], ['Param2', '']]);
  });
});
