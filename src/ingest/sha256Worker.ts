// Worker thread entry: the SHA-256 of one file, read whole (sha256.ts starts it for big inputs).
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { path } = workerData as { path: string };
try {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  parentPort!.postMessage({ hex: h.digest('hex') });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  parentPort!.postMessage({ error: { code: err.code, message: String(err.message ?? err) } });
}
