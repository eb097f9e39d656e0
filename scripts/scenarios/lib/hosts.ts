// The fictional network every scenario uses: corp.example, documentation IP ranges only
// (192.0.2.0/24 office LAN, 198.51.100.0/24 VPN pool, 203.0.113.0/24 public/DMZ).

export interface Host {
  /** FQDN as System/Computer shows it. */
  name: string;
  /** Short name (NetBIOS), e.g. for 4624 WorkstationName. */
  short: string;
  ip: string;
}

export interface User {
  name: string;
  domain: string;
  sid: string;
}

const host = (short: string, ip: string): Host => ({ name: `${short}.corp.example`, short, ip });

export const HOSTS = {
  alice: host('WS-ALICE', '192.0.2.10'),
  bob: host('WS-BOB', '192.0.2.11'),
  carol: host('WS-CAROL', '192.0.2.12'),
  dave: host('LT-DAVE', '198.51.100.23'),
  aliceLaptop: host('LT-ALICE', '198.51.100.41'),
  // Only the clock-skew scenario uses these two: a host's clock offset is its own, so it must not
  // leak into the other scenarios when all samples are analysed together.
  erin: host('WS-ERIN', '192.0.2.13'),
  rds03: host('RDS03', '192.0.2.52'),
  rds01: host('RDS01', '192.0.2.50'),
  rds02: host('RDS02', '192.0.2.51'),
  gateway: host('RDGW01', '203.0.113.5'),
} as const;

const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';
const user = (name: string, rid: number): User => ({ name, domain: 'CORP', sid: `${DOMAIN_SID}-${rid}` });

export const USERS = {
  alice: user('alice', 1104),
  bob: user('bob', 1105),
  carol: user('carol', 1106),
  dave: user('dave', 1107),
  erin: user('erin', 1108),
} as const;

/** Well-known SIDs used in System/Security/@UserID. */
export const SID = {
  system: 'S-1-5-18',
  localService: 'S-1-5-19',
  networkService: 'S-1-5-20',
  nullSid: 'S-1-0-0',
} as const;
