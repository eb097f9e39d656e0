// Small, well-formed examples of every text format the tool reads, written here so the fuzzer
// has text targets even before fixture files exist. Shapes follow rdp-kb §5.
const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

const eventXml = (id, channel, data, extra = '') => `<Event xmlns="${NS}"><System><Provider Name="Microsoft-Windows-TerminalServices-ClientActiveXCore" Guid="{28aa95bb-d444-4719-a36f-40462168127e}"/><EventID>${id}</EventID><Version>0</Version><Level>4</Level><Task>101</Task><Opcode>11</Opcode><Keywords>0x4000000000000000</Keywords><TimeCreated SystemTime="2023-07-14T14:06:33.6543161Z"/><EventRecordID>1643</EventRecordID><Correlation ActivityID="{780cf827-0ed1-4f4b-924c-3b14e7660000}"/><Execution ProcessID="11136" ThreadID="3624"/><Channel>${channel}</Channel><Computer>HLPC01</Computer><Security UserID="S-1-5-21-1-2-3-1001"/></System>${data}${extra}</Event>`;

const RDPCLIENT = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';

export const TEXT_SEEDS = [
  {
    name: 'builtin/wevtutil.xml',
    text: [
      eventXml(1024, RDPCLIENT, '<EventData><Data Name="Name">Server</Data><Data Name="Value">srv01.corp.example</Data><Data Name="CustomLevel">Info</Data></EventData>'),
      eventXml(1026, RDPCLIENT, '<EventData><Data Name="Name">Disconnect Reason</Data><Data Name="Value">2308</Data><Data Name="CustomLevel">Info</Data></EventData>'),
    ].join('\r\n'),
  },
  {
    name: 'builtin/eventviewer.xml',
    text: `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<Events>${eventXml(
      1149,
      'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
      '<UserData><EventXML xmlns="Event_NS"><Param1>alice</Param1><Param2>CORP</Param2><Param3>10.0.0.5</Param3></EventXML></UserData>',
      '<RenderingInfo Culture="en-US"><Message>Remote Desktop Services: User authentication succeeded</Message><Level>Information</Level></RenderingInfo>',
    )}${eventXml(56, 'System', '<EventData><Data>\\Device\\Termdd</Data><Data>10.0.0.9</Data><Binary>0000040002002C00</Binary></EventData>')}</Events>\r\n`,
  },
  {
    name: 'builtin/eventviewer.csv',
    text: 'Level,Date and Time,Source,Event ID,Task Category\r\nError,7/14/2023 4:06:33 PM,Microsoft-Windows-TerminalServices-ClientActiveXCore,1026,Connection Sequence,"RDP ClientActiveX has been disconnected (Reason= 2308)"\r\nInformation,7/14/2023 4:06:30 PM,Microsoft-Windows-TerminalServices-ClientActiveXCore,1024,Connection Sequence,"RDP ClientActiveX is trying to connect to the server (srv01)\r\nsecond line"\r\n',
  },
  {
    name: 'builtin/eventviewer.txt',
    text: 'Level\tDate and Time\tSource\tEvent ID\tTask Category\r\nError\t14.07.2023 16:06:33\tMicrosoft-Windows-TerminalServices-ClientActiveXCore\t1026\tConnection Sequence\tRDP ClientActiveX has been disconnected (Reason= 2308)\r\n',
  },
  {
    name: 'builtin/getwinevent-ps51.json',
    text: JSON.stringify([
      { Id: 1026, Version: 0, Level: 4, Task: 101, Opcode: 11, Keywords: 4611686018427387904, RecordId: 1643, ProviderName: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', LogName: RDPCLIENT, ProcessId: 11136, ThreadId: 3624, MachineName: 'HLPC01', TimeCreated: '/Date(1689343593654)/', ActivityId: '780cf827-0ed1-4f4b-924c-3b14e7660000', Properties: [{ Value: 'Disconnect Reason' }, { Value: 2308 }, { Value: 'Info' }], Message: 'RDP ClientActiveX has been disconnected (Reason= 2308)' },
    ], null, 2),
  },
  {
    name: 'builtin/getwinevent-ps7.json',
    text: JSON.stringify({ Id: 1024, ProviderName: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', LogName: RDPCLIENT, MachineName: 'HLPC01', TimeCreated: '2023-07-14T16:06:30.1234567+02:00', RecordId: 1640, Properties: [{ Value: 'Server' }, { Value: 'srv01' }] }),
  },
  {
    name: 'builtin/export.csv',
    text: '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"Id","Version","Qualifiers","Level","Task","Opcode","Keywords","RecordId","ProviderName","ProviderId","LogName","ProcessId","ThreadId","MachineName","UserId","TimeCreated","ActivityId","RelatedActivityId","Message"\r\n"1026","0","","4","101","11","4611686018427387904","1643","Microsoft-Windows-TerminalServices-ClientActiveXCore","28aa95bb-d444-4719-a36f-40462168127e","Microsoft-Windows-TerminalServices-RDPClient/Operational","11136","3624","HLPC01","S-1-5-21-1-2-3-1001","7/14/2023 4:06:33 PM","780cf827-0ed1-4f4b-924c-3b14e7660000","","RDP ClientActiveX has been disconnected (Reason= 2308)"\r\n',
  },
  {
    name: 'builtin/target.rdp',
    text: 'screen mode id:i:2\r\nfull address:s:srv01.corp.example:3389\r\nusername:s:CORP\\alice\r\nauthentication level:i:2\r\nenablecredsspsupport:i:1\r\ngatewayhostname:s:gw.corp.example\r\ngatewayusagemethod:i:1\r\nprompt for credentials:i:0\r\n',
    utf16: true,
  },
  {
    name: 'builtin/servers.rdg',
    text: '<?xml version="1.0" encoding="utf-8"?>\r\n<RDCMan programVersion="2.93" schemaVersion="3"><file><credentialsProfiles /><properties><expanded>True</expanded><name>corp</name></properties><group><properties><expanded>True</expanded><name>servers</name></properties><server><properties><displayName>srv01</displayName><name>srv01.corp.example:3390</name></properties><gatewaySettings inherit="None"><enabled>True</enabled><hostName>gw.corp.example</hostName><logonMethod>Any</logonMethod><localBypass>False</localBypass></gatewaySettings><securitySettings inherit="None"><authentication>Warn</authentication></securitySettings></server></group></file><connected /><favorites /><recentlyUsed /></RDCMan>\r\n',
  },
  {
    name: 'builtin/RDCMan-202307141606.log',
    text: '2023-07-14T16:06:00  RDCMan v2.93 build 1430\r\n2023-07-14T16:06:00  Microsoft Windows NT 10.0.19045.0\r\n2023-07-14T16:06:00  .NET v4.0.30319.42000\r\n2023-07-14T16:06:00  mstscax.dll v10.0.19041.3155\r\n2023-07-14T16:06:30  OnConnecting srv01\r\n2023-07-14T16:06:33  OnDisconnected srv01: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection\r\n2023-07-14T16:07:00  Exiting\r\n',
  },
];

/** The seed bytes as a user's machine would write them (.rdp files are UTF-16LE with BOM). */
export function textSeedBytes(seed) {
  if (seed.utf16) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed.text, 'utf16le')]);
  return Buffer.from(seed.text, 'utf8');
}
