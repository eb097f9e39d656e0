// Every scenario, in catalogue order: one module per folder under samples/, named after the cause.
import type { Scenario } from './lib/model.js';
import * as certExpiredRenewal from './cert-expired-renewal.js';
import * as clientCertTrust from './client-cert-trust.js';
import * as clientInstallCorrupt from './client-install-corrupt.js';
import * as clockSkew from './clock-skew.js';
import * as credsspOracle from './credssp-oracle.js';
import * as customCertInvalid from './custom-cert-invalid.js';
import * as dnsResolution from './dns-resolution.js';
import * as firewallBlocked from './firewall-blocked.js';
import * as healthyBaseline from './healthy-baseline.js';
import * as insufficientRights from './insufficient-rights.js';
import * as licensing from './licensing.js';
import * as localhostConsole from './localhost-console.js';
import * as machinekeysCorrupt from './machinekeys-corrupt.js';
import * as mixedDay from './mixed-day.js';
import * as networkDrop from './network-drop.js';
import * as nlaCredentials from './nla-credentials.js';
import * as pendingReboot from './pending-reboot.js';
import * as rdGateway from './rd-gateway.js';
import * as rdpProxyRefused from './rdp-proxy-refused.js';
import * as serverDenied from './server-denied.js';
import * as sessionReplaced from './session-replaced.js';
import * as tlsMismatch from './tls-mismatch.js';

const builders: Array<{ build: () => Scenario }> = [
  serverDenied,
  rdpProxyRefused,
  certExpiredRenewal,
  machinekeysCorrupt,
  customCertInvalid,
  clientCertTrust,
  tlsMismatch,
  credsspOracle,
  nlaCredentials,
  insufficientRights,
  licensing,
  networkDrop,
  firewallBlocked,
  dnsResolution,
  localhostConsole,
  rdGateway,
  sessionReplaced,
  clientInstallCorrupt,
  pendingReboot,
  healthyBaseline,
  clockSkew,
  mixedDay,
];

/** The cause ids of rdp-kb §4 that the samples must cover, one scenario folder each. */
export const CAUSE_IDS = [
  'server-denied',
  'rdp-proxy-refused',
  'cert-expired-renewal',
  'machinekeys-corrupt',
  'custom-cert-invalid',
  'client-cert-trust',
  'tls-mismatch',
  'credssp-oracle',
  'nla-credentials',
  'insufficient-rights',
  'licensing',
  'network-drop',
  'firewall-blocked',
  'dns-resolution',
  'localhost-console',
  'rd-gateway',
  'session-replaced',
  'client-install-corrupt',
  'pending-reboot',
] as const;

export const SCENARIOS: readonly Scenario[] = builders.map((b) => b.build());
