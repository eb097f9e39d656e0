import { describe, expect, it } from 'vitest';
import { isRdpRelated, selectionWants } from '../../src/model/eventSelection.js';

describe('selectionWants', () => {
  const wants = selectionWants({
    needs: [
      { channel: 'Security', ids: [4624, 4625] },
      { provider: 'Schannel' },
      { channel: 'Microsoft-Windows-DNS-Client/*', ids: [1014] },
    ],
  });

  it('keeps RDP-related channels and providers, and what the needs name', () => {
    expect(wants('Microsoft-Windows-TerminalServices-RDPClient/Operational', 'x', 1)).toBe(true);
    expect(wants('Application', 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', 9)).toBe(true);
    expect(wants('Security', 'Microsoft-Windows-Security-Auditing', 4624)).toBe(true);
    expect(wants('SECURITY', 'Microsoft-Windows-Security-Auditing', 4625)).toBe(true);
    expect(wants('Security', 'Microsoft-Windows-Security-Auditing', 4688)).toBe(false);
    expect(wants('System', 'schannel', 36888)).toBe(true);
    expect(wants('Microsoft-Windows-DNS-Client/Operational', 'p', 1014)).toBe(true);
    expect(wants('Microsoft-Windows-DNS-Client/Operational', 'p', 1015)).toBe(false);
    expect(wants('Application', 'Application Error', 1000)).toBe(false);
    expect(isRdpRelated('RDCMan', '')).toBe(true);
  });

  it('asked again, and past its cache bound (50,000 keys), gives the same answers', () => {
    for (let round = 0; round < 2; round++) {
      for (let id = 4600; id < 4600 + 60_000; id++) {
        if (wants('Security', 'Microsoft-Windows-Security-Auditing', id) !== (id === 4624 || id === 4625)) throw new Error(`Security ${id}, round ${round}`);
      }
    }
    expect(wants('Security', 'Microsoft-Windows-Security-Auditing', 4625)).toBe(true);
    expect(wants('Security', 'Microsoft-Windows-Security-Auditing', 4626)).toBe(false);
  });

  it('keeps everything for a selection of all', () => {
    expect(selectionWants({ all: true })('Application', 'x', 1)).toBe(true);
  });
});
