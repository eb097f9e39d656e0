import { describe, expect, it } from 'vitest';
import { canonicalProvider, extractMessageFields, inferChannel, knownMessageEvents, PROVIDERS } from '../../src/parsers/messageFields.js';

const X = (p: string, id: number, msg: string): Record<string, string> => extractMessageFields(p, id, msg);

describe('message field extraction', () => {
  it('covers the events the diagnosis catalogue reads', () => {
    const known = knownMessageEvents();
    for (const k of ['ClientActiveXCore|1026', 'ClientActiveXCore|1024', 'RemoteConnectionManager|1149', 'Security-Auditing|4624', 'Security-Auditing|4625', 'LocalSessionManager|21', 'LocalSessionManager|24', 'LocalSessionManager|25', 'RdpCoreTS|131', 'RdpCoreTS|140', 'Schannel|36874', 'Schannel|36888', 'Schannel|36871', 'LsaSrv|6041', 'RemoteConnectionManager|1057', 'RemoteConnectionManager|1058']) {
      expect(known.some((x) => x.endsWith(k)), k).toBe(true);
    }
  });

  it('reads the client and server RDP events with the evtx field names', () => {
    expect(X(PROVIDERS.client, 1026, 'RDP ClientActiveX has been disconnected (Reason= 2308)')).toEqual({ Value: '2308' });
    expect(X(PROVIDERS.client, 1027, 'Connected to domain (CONTOSO) with session 3.')).toEqual({ DomainName: 'CONTOSO', SessionId: '3' });
    expect(X(PROVIDERS.client, 1102, 'The client has initiated a multi-transport connection to the server 10.0.0.20.')).toEqual({ Value: '10.0.0.20' });
    expect(X(PROVIDERS.rcm, 261, 'Listener RDP-Tcp received a connection')).toEqual({ listenerName: 'RDP-Tcp' });
    expect(X(PROVIDERS.lsm, 21, 'Remote Desktop Services: Session logon succeeded:\r\n\r\nUser: CONTOSO\\alice\r\nSession ID: 2\r\nSource Network Address: 10.0.0.15')).toEqual({ User: 'CONTOSO\\alice', SessionID: '2', Address: '10.0.0.15' });
    expect(X(PROVIDERS.lsm, 23, 'Remote Desktop Services: Session logoff succeeded:\n\nUser: CONTOSO\\alice\nSession ID: 2')).toEqual({ User: 'CONTOSO\\alice', SessionID: '2' });
    expect(X(PROVIDERS.lsm, 40, 'Session 2 has been disconnected, reason code 5')).toEqual({ Session: '2', Reason: '5' });
    expect(X(PROVIDERS.rdpcore, 140, 'A connection from the client computer with an IP address of 203.0.113.9 failed because the user name or password is not correct.')).toEqual({ IPString: '203.0.113.9' });
    expect(X(PROVIDERS.rdpcore, 131, 'The server accepted a new UDP connection from client [10.0.0.15]:50124.')).toEqual({ ConnType: 'UDP', ClientIP: '[10.0.0.15]:50124' });
    expect(X(PROVIDERS.rdpcore, 103, 'The disconnect reason is 14')).toEqual({ ReasonCode: '14' });
  });

  it('reads Security 4624 (Windows 10 layout) by section', () => {
    const msg = [
      'An account was successfully logged on.', '', 'Subject:', '\tSecurity ID:\t\tS-1-0-0', '\tAccount Name:\t\t-', '\tAccount Domain:\t\t-', '\tLogon ID:\t\t0x0', '',
      'Logon Information:', '\tLogon Type:\t\t10', '\tRestricted Admin Mode:\tNo', '', 'New Logon:', '\tSecurity ID:\t\tS-1-5-21-1-2-3-1106', '\tAccount Name:\t\talice',
      '\tAccount Domain:\t\tCONTOSO', '\tLogon ID:\t\t0x1414C8', '', 'Network Information:', '\tWorkstation Name:\tHLPC01', '\tSource Network Address:\t10.0.0.15', '\tSource Port:\t\t0',
    ].join('\r\n');
    expect(X(PROVIDERS.security, 4624, msg)).toEqual({
      SubjectUserSid: 'S-1-0-0', SubjectUserName: '-', SubjectDomainName: '-', SubjectLogonId: '0x0', TargetUserSid: 'S-1-5-21-1-2-3-1106', TargetUserName: 'alice',
      TargetDomainName: 'CONTOSO', TargetLogonId: '0x1414c8', LogonType: '10', WorkstationName: 'HLPC01', IpAddress: '10.0.0.15', IpPort: '0',
    });
  });

  it('reads Schannel, LsaSrv and RCM certificate events', () => {
    expect(X(PROVIDERS.schannel, 36874, 'An TLS 1.2 connection request was received from a remote client application, but none of the cipher suites supported by the client application are supported by the server. The TLS connection request has failed.')).toEqual({ Protocol: 'TLS 1.2' });
    expect(X(PROVIDERS.schannel, 36871, 'A fatal error occurred while creating a TLS server credential. The internal error state is 10013.')).toEqual({ Type: 'server', ErrorState: '10013' });
    expect(X(PROVIDERS.schannel, 36870, 'A fatal error occurred when attempting to access the TLS server credential private key. The error code returned from the cryptographic module is 0x8009030D. The internal error state is 10001.')).toEqual({ Type: 'server', ErrorCode: '0x8009030D', ErrorState: '10001' });
    expect(X(PROVIDERS.lsasrv, 6041, 'A CredSSP authentication to TERMSRV/srv02 failed to negotiate a common protocol version. The remote host offered version 4 which is not permitted by Encryption Oracle Remediation.')).toEqual({ 'Data[0]': 'TERMSRV/srv02', 'Data[1]': '4' });
    expect(X(PROVIDERS.rcm, 1057, 'The Terminal Server has failed to create a new self signed certificate to be used for Terminal Server authentication on SSL connections. The relevant status code was Keyset does not exist.')).toEqual({ Status: 'Keyset does not exist' });
  });

  it('yields nothing for unknown events or other languages', () => {
    expect(X(PROVIDERS.client, 1026, 'RDP ClientActiveX wurde getrennt (Grund= 2308)')).toEqual({});
    expect(X('Some-Provider', 1, 'anything')).toEqual({});
  });

  it('maps Event Viewer source names to providers and channels', () => {
    expect(canonicalProvider('TerminalServices-ClientActiveXCore')).toBe(PROVIDERS.client);
    expect(canonicalProvider('Microsoft Windows security auditing.')).toBe(PROVIDERS.security);
    expect(canonicalProvider('Custom-App')).toBe('Custom-App');
    expect(inferChannel(PROVIDERS.rcm, 1058)).toBe('System');
    expect(inferChannel(PROVIDERS.rcm, 1149)).toBe('Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational');
    expect(inferChannel('Custom-App', 1)).toBe('');
  });
});
