import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceSpeed, HashedFile } from '../../src/io/file-hash.js';
import { tempDir } from '../temp.js';

/** Chunks of these sizes, each of bytes that tell where in the file they are. */
function chunksOf(sizes: readonly number[]): Buffer[] {
  let at = 0;
  return sizes.map((n) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++, at++) b[i] = (at * 31 + (at >> 12)) & 0xff;
    return b;
  });
}

/** Writes the chunks through a HashedFile made with `options`; checks the file, its size and hash. */
function writeAndCheck(sizes: readonly number[], options: ConstructorParameters<typeof HashedFile>[1]): void {
  const path = join(tempDir('hashed'), 'sub', 'f.csv');
  const chunks = chunksOf(sizes);
  const file = new HashedFile(path, options);
  for (const c of chunks) file.write(c);
  const closed = file.close();
  const expected = Buffer.concat(chunks);
  const got = readFileSync(path);
  expect(got.length).toBe(expected.length);
  expect(got.equals(expected)).toBe(true);
  expect(closed).toEqual({ bytes: expected.length, sha256: createHash('sha256').update(expected).digest('hex') });
}

// Sizes around the 4 KiB block and the 1 MiB (17 × 64 KiB) staging buffer, where carried bytes and padding change.
const size = fc.oneof(fc.integer({ min: 0, max: 9000 }), fc.constantFrom(4095, 4096, 4097, 8192, 1_114_111, 1_114_112, 1_114_113, 1_500_000));
const sizes = fc.array(size, { maxLength: 8 });

describe('HashedFile', () => {
  it('writes and hashes every byte given, in order, directly or not, whatever the chunks', () => {
    fc.assert(
      fc.property(sizes, fc.boolean(), (s, direct) => writeAndCheck(s, { direct })),
      { numRuns: 60 },
    );
  });

  it('writes the file the ordinary way when the file system refuses a direct write (here: a buffer not aligned)', () => {
    // One byte into a buffer: not on a 512-byte boundary, which O_DIRECT needs (EINVAL on ext4, xfs and btrfs).
    const misaligned = () => Buffer.alloc(3 * 4096 + 1).subarray(1);
    fc.assert(
      fc.property(sizes, (s) => writeAndCheck(s, { direct: true, staging: misaligned() })),
      { numRuns: 30 },
    );
  });

  it('stops writing directly once the device is found slow, the file still whole', () => {
    // Any device is slower than a petabyte per second: after 16 MB written directly, the rest goes the ordinary way.
    const device = new DeviceSpeed(1e12);
    writeAndCheck([5_000_000, 7_000_001, 6_000_000, 3_333], { direct: true, device });
    expect(device.slow).toBe(true);
    writeAndCheck([10_000, 1_000_000], { direct: true, device });
    const fast = new DeviceSpeed(0);
    writeAndCheck([9_000_000, 9_000_000, 1], { direct: true, device: fast });
    expect(fast.slow).toBe(false);
  });

  it('writes a file opened before the device was found slow the ordinary way from then on, the file still whole', () => {
    const device = new DeviceSpeed(1e12);
    const dir = tempDir('hashed');
    const [small, big] = chunksOf([6_000, 20_000_000]);
    const early = new HashedFile(join(dir, 'early.csv'), { direct: true, device });
    early.write(small!.subarray(0, 5_000)); // one block written directly, the rest carried
    const file = new HashedFile(join(dir, 'big.csv'), { direct: true, device });
    file.write(big!);
    file.close();
    expect(device.slow).toBe(true);
    early.write(small!.subarray(5_000));
    expect(early.close().bytes).toBe(6_000);
    expect(readFileSync(join(dir, 'early.csv')).equals(small!)).toBe(true);
    expect(readFileSync(join(dir, 'big.csv')).equals(big!)).toBe(true);
  });

  it('makes an empty file for no bytes', () => {
    for (const direct of [true, false]) writeAndCheck([], { direct });
    writeAndCheck([0, 0], { direct: true });
  });
});
