// Server-side shapes of failures that happen after TCP but before a session exists.
import * as Sec from './securityEvents.js';
import * as S from './serverEvents.js';
import { pids, type Recorder } from './recorder.js';
import type { ServerSide } from './flows.js';

/** NLA rejected the credentials: 261, 131, 4625 type 3, RdpCoreTS 140, 102/103. */
export function nlaFailure(r: Recorder, s: ServerSide, status: number, subStatus: number): void {
  const p = pids(r, s.server);
  const core = r.clock(s.server, s.start, { activityId: r.act(s.server, `${s.label}/tcp`), processId: p.termService, label: s.label });
  const rcm = r.clock(s.server, s.start, { processId: p.termService, label: s.label });
  const sec = r.clock(s.server, s.start, { processId: p.lsass, label: s.label });
  const port = r.pick(49700, 64000, s.client.name, s.label, 'port');
  r.add(
    'server',
    S.listenerReceived(rcm(0)),
    S.tcpAccepted(core(7), s.client.ip, port),
    Sec.logonFailed(sec(2_050), s.server, { user: s.user, logonType: 3, client: s.client, port, status, subStatus, failureReason: '%%2313' }),
    S.badCredentials(core(2_070), s.client.ip),
    S.serverTerminated(core(2_190)),
    S.disconnectReason(core(2_191), 14),
  );
}
