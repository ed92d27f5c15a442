import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** SHA-256 of a file, read a block at a time without holding up the event loop (other work goes on meanwhile). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let at = 0; ; ) {
      const { bytesRead } = await file.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
