// Client-side exports next to the logs: an mstsc .rdp file, an RDCMan .rdg file and an RDCMan
// text log (the only client-side text that carries the extended code; kb §5d/§5e).
import { between, plus } from './time.js';

export interface RdpFileOptions {
  fullAddress: string;
  username?: string;
  authenticationLevel?: number;
  enableCredSsp?: boolean;
  gateway?: { host: string; usage: number; credentialsSource?: number };
}

/** An .rdp file as mstsc saves it: UTF-16LE with BOM, CRLF, `name:type:value` lines. */
export function rdpFile(o: RdpFileOptions): Buffer {
  const lines = [
    'screen mode id:i:2',
    'use multimon:i:0',
    'desktopwidth:i:1920',
    'desktopheight:i:1080',
    'session bpp:i:32',
    'winposstr:s:0,1,0,0,800,600',
    'compression:i:1',
    'keyboardhook:i:2',
    'audiocapturemode:i:0',
    'videoplaybackmode:i:1',
    'connection type:i:7',
    'networkautodetect:i:1',
    'bandwidthautodetect:i:1',
    'displayconnectionbar:i:1',
    'enableworkspacereconnect:i:0',
    'disable wallpaper:i:0',
    'allow font smoothing:i:0',
    'allow desktop composition:i:0',
    'disable full window drag:i:1',
    'disable menu anims:i:1',
    'disable themes:i:0',
    'disable cursor setting:i:0',
    'bitmapcachepersistenable:i:1',
    `full address:s:${o.fullAddress}`,
    'audiomode:i:0',
    'redirectprinters:i:1',
    'redirectcomports:i:0',
    'redirectsmartcards:i:1',
    'redirectclipboard:i:1',
    'redirectposdevices:i:0',
    'autoreconnection enabled:i:1',
    `authentication level:i:${o.authenticationLevel ?? 2}`,
    'prompt for credentials:i:0',
    'negotiate security layer:i:1',
    'remoteapplicationmode:i:0',
    'alternate shell:s:',
    'shell working directory:s:',
    `gatewayhostname:s:${o.gateway?.host ?? ''}`,
    `gatewayusagemethod:i:${o.gateway?.usage ?? 4}`,
    `gatewaycredentialssource:i:${o.gateway?.credentialsSource ?? 4}`,
    `gatewayprofileusagemethod:i:${o.gateway ? 1 : 0}`,
    'promptcredentialonce:i:0',
    'gatewaybrokeringtype:i:0',
    'use redirection server name:i:0',
    'rdgiskdcproxy:i:0',
    'kdcproxyname:s:',
    `enablecredsspsupport:i:${o.enableCredSsp === false ? 0 : 1}`,
    ...(o.username ? [`username:s:${o.username}`] : []),
  ];
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf16le')]);
}

export interface RdgServer {
  displayName: string;
  name: string;
  comment?: string;
  gateway?: { host: string };
  authentication?: 'None' | 'Required' | 'Warn';
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** An RDCMan 2.93 .rdg file (schemaVersion 3) with one group of servers. */
export function rdgFile(group: string, servers: RdgServer[], user: { name: string; domain: string }): string {
  const srv = servers
    .map((s) => {
      const gw = s.gateway
        ? `
        <gatewaySettings inherit="None">
          <enabled>True</enabled>
          <hostName>${esc(s.gateway.host)}</hostName>
          <logonMethod>NTLM</logonMethod>
          <localBypass>False</localBypass>
          <credSharing>True</credSharing>
        </gatewaySettings>`
        : '';
      const sec = s.authentication
        ? `
        <securitySettings inherit="None">
          <authentication>${s.authentication}</authentication>
        </securitySettings>`
        : '';
      return `
      <server>
        <properties>
          <displayName>${esc(s.displayName)}</displayName>
          <name>${esc(s.name)}</name>
          <comment>${esc(s.comment ?? '')}</comment>
        </properties>${gw}${sec}
      </server>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<RDCMan programVersion="2.93" schemaVersion="3">
  <file>
    <credentialsProfiles />
    <properties>
      <expanded>True</expanded>
      <name>corp</name>
    </properties>
    <logonCredentials inherit="None">
      <profileName scope="Local">Custom</profileName>
      <userName>${esc(user.name)}</userName>
      <password />
      <domain>${esc(user.domain)}</domain>
    </logonCredentials>
    <group>
      <properties>
        <expanded>True</expanded>
        <name>${esc(group)}</name>
      </properties>${srv}
    </group>
  </file>
  <connected />
  <favorites />
  <recentlyUsed />
</RDCMan>
`;
}

export interface RdcmanLine {
  /** UTC time of the line. */
  time: string;
  text: string;
  indent?: number;
}

/** Local wall-clock `yyyy-MM-ddTHH:mm:ss` for a UTC ISO time and a fixed offset in minutes. */
function local(iso: string, offsetMinutes: number): string {
  return plus(iso, offsetMinutes * 60000).slice(0, 19);
}

/** The clients' local zone (W. Europe Standard Time in March): RDCMan logs are written in it. */
export const CLIENT_TZ = '+01:00';
const CLIENT_OFFSET_MINUTES = 60;

/**
 * An RDCMan log (`RDCMan-yyyyMMddHHmm.log`): `<local time> <2×indent spaces> <message>`, local time
 * (CLIENT_TZ) without a zone. Returns [file name, content].
 */
export function rdcmanLog(start: string, lines: RdcmanLine[], offsetMinutes = CLIENT_OFFSET_MINUTES): [string, string] {
  const first = local(start, offsetMinutes);
  const name = `RDCMan-${first.slice(0, 4)}${first.slice(5, 7)}${first.slice(8, 10)}${first.slice(11, 13)}${first.slice(14, 16)}.log`;
  const header: RdcmanLine[] = [
    { time: start, text: 'RDCMan v2.93 build 1430' },
    { time: start, text: 'Microsoft Windows NT 10.0.22631.0' },
    { time: start, text: '.NET v4.0.30319.42000' },
    { time: start, text: 'mstscax.dll v10.0.22621.3085' },
  ];
  const all = [...header, ...lines].sort((a, b) => between(b.time, a.time));
  const body = all.map((l) => `${local(l.time, offsetMinutes)} ${'  '.repeat(l.indent ?? 0)} ${l.text}`).join('\r\n');
  return [name, `${body}\r\n`];
}
