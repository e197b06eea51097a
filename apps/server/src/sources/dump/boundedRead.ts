// Reading one capture file without trusting it: a capture folder is whatever a user (or an attacker who
// can write to it) put there, and `/dev/zero`, a FIFO or a 2 GB sparse file must end in a clear error,
// not in an endless read or a gigabyte heap.
import { constants as bufferConstants } from "node:buffer";
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, realpath, stat } from "node:fs/promises";
import { CaptureError } from "./captureError.ts";

/** V8 holds no string longer than this (2^29 - 24 units on 64-bit), so no larger JSON text can be parsed. */
export const LARGEST_FILE_BYTES = bufferConstants.MAX_STRING_LENGTH;
/**
 * The default cap per file: 500 MiB fits a 10,000-node capture as kubectl and the AWS CLI write it
 * (nodes.json ~5.8 KB a node: 58 MB; instances.json ~11 KB an instance: 110 MB; pods.json ~4.7 KB a pod:
 * ~110,000 pods), and stays under what V8 can parse.
 */
export const DEFAULT_MAX_FILE_BYTES = 500 * 1024 * 1024;
/** A read that returns nothing for this long (a hung NFS mount, a FUSE file) is given up on. */
export const DEFAULT_STALL_MS = 30_000;

export interface ReadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes?: number;
  /** Longest wait for one read to return, in milliseconds. */
  stallMs?: number;
}

const chunkBytes = 4 * 1024 * 1024;

/** What a path is when it is not a regular file, as a catalogue word (captureKind.*) and in English. */
function kindOf(s: Stats): { kind: string; words: string } {
  if (s.isDirectory()) return { kind: "folder", words: "a folder" };
  if (s.isFIFO()) return { kind: "fifo", words: "a FIFO (named pipe)" };
  if (s.isCharacterDevice()) return { kind: "character-device", words: "a character device" };
  if (s.isBlockDevice()) return { kind: "block-device", words: "a block device" };
  if (s.isSocket()) return { kind: "socket", words: "a socket" };
  return { kind: "other", words: "not a regular file" };
}

function notAFile(name: string, s: Stats): CaptureError {
  const { kind, words } = kindOf(s);
  return new CaptureError("not-a-file", name, `${name} is ${words}: only regular files are read`, {
    file: name,
    kind,
  });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function tooLarge(name: string, size: string, max: number): CaptureError {
  return new CaptureError(
    "too-large",
    name,
    `${name} is ${size}, more than the ${formatBytes(max)} a capture file may be (--max-file-size raises it)`,
    { file: name, size, max: formatBytes(max) },
  );
}

/** Rejects after `ms` unless `work` settles first; the timer never keeps the process alive. */
export function withStall<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CaptureError(
            "stalled",
            name,
            `${name}: reading it returned nothing for ${ms / 1000} s; gave up`,
            { file: name, seconds: String(ms / 1000) },
          ),
        ),
      ms,
    );
    timer.unref();
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}

/**
 * The bytes of `path` (shown as `name`), or undefined when it does not exist. Only a regular file is read;
 * a symlink is followed only to a regular file, and the error names where it points.
 */
export async function readBoundedFile(
  path: string,
  name: string,
  limits: ReadLimits = {},
): Promise<Buffer | undefined> {
  const max = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stallMs = limits.stallMs ?? DEFAULT_STALL_MS;
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CaptureError("unreadable", name, `${name} cannot be read: ${(err as Error).message}`, {
      file: name,
      error: (err as Error).message,
    });
  }
  if (link.isSymbolicLink()) {
    let target: Stats;
    let where: string;
    try {
      where = await realpath(path);
      target = await stat(path);
    } catch {
      throw new CaptureError("not-a-file", name, `${name} is a symlink to nothing that exists`, {
        file: name,
        form: "dangling",
      });
    }
    if (!target.isFile()) {
      const { kind, words } = kindOf(target);
      throw new CaptureError(
        "not-a-file",
        name,
        `${name} is a symlink to ${where}, which is ${words}: only regular files are read`,
        { file: name, form: "symlink", target: where, kind },
      );
    }
  } else if (!link.isFile()) {
    throw notAFile(name, link);
  }
  // O_NONBLOCK: if the name is swapped for a FIFO between the check above and here, open does not hang
  // waiting for a writer; fstat on the open descriptor then sees what was really opened.
  let handle: FileHandle;
  try {
    handle = await withStall(open(path, constants.O_RDONLY | constants.O_NONBLOCK), stallMs, name);
  } catch (err) {
    if (err instanceof CaptureError) throw err;
    throw new CaptureError("unreadable", name, `${name} cannot be read: ${(err as Error).message}`, {
      file: name,
      error: (err as Error).message,
    });
  }
  try {
    const opened = await withStall(handle.stat(), stallMs, name);
    if (!opened.isFile()) {
      throw notAFile(name, opened);
    }
    // The size is checked before a byte is read: a 2 GB sparse file is refused at once.
    if (opened.size > max) throw tooLarge(name, formatBytes(opened.size), max);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, max + 1 - total));
      const { bytesRead } = await withStall(handle.read(buffer, 0, buffer.length, null), stallMs, name);
      if (bytesRead === 0) break;
      total += bytesRead;
      // A file that grows while it is read is still held to the cap.
      if (total > max) throw tooLarge(name, `more than ${formatBytes(max)}`, max);
      chunks.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    // A stalled read may still hold the descriptor; closing it is left to settle on its own.
    handle.close().catch(() => {});
  }
}
