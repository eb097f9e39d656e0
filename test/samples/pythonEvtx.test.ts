// A second independent parser over every sample: python-evtx (Debian python3-evtx) renders every
// record of every .evtx under samples/ without error, with the record ids, event ids and
// computers we wrote. One interpreter for all files keeps it to a few seconds.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFiles } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { requireTool, run } from './tools.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');
const havePyEvtx = requireTool('/usr/bin/python3', 'samples/python-evtx', ['-c', 'import Evtx.Evtx']);

const SCRIPT = `
import json, re, sys
from Evtx.Evtx import Evtx
out = {}
for f in sys.argv[1:]:
    recs = []
    with Evtx(f) as ev:
        for r in ev.records():
            x = r.xml()
            recs.append([r.record_num(), int(re.search(r'<EventID[^>]*>(\\d+)<', x).group(1)), re.search(r'<Computer>([^<]*)<', x).group(1)])
    out[f] = recs
print(json.dumps(out))
`;

describe.skipIf(!havePyEvtx)('samples read by python-evtx', () => {
  it('renders every record of every file, with our record ids, event ids and computers', () => {
    const plan = SCENARIOS.flatMap((s) => planFiles(s).map((f) => ({ file: join(samplesDir, s.id, f.path), f })));
    const r = run('/usr/bin/python3', ['-c', SCRIPT, ...plan.map((p) => p.file)]);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, Array<[number, number, string]>>;
    for (const { file, f } of plan) {
      expect(got[file], file).toEqual(f.events.map((e, i) => [f.firstRecordId + i, e.eventId, e.computer]));
    }
  });
});
