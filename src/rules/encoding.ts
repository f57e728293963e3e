/**
 * Bytes as Falco sees them. Falco reads rules files as bytes: yaml-cpp skips a UTF-8 byte-order
 * mark at the start and passes other bytes through, so text that is not valid UTF-8 loads fine
 * until it reaches the JSON document of `-o json_output=true`, where nlohmann::json refuses to
 * serialise it and Falco exits ("Runtime error: [json.exception.type_error.316] ...").
 *
 * To keep those bytes through the engine's string-based pipeline, each byte of an invalid sequence
 * is decoded to a lone low surrogate U+DC80..U+DCFF (as Python's surrogateescape does); valid
 * text decodes as usual.
 */
import { compareNames } from '../core/compare.ts';

const ESCAPE_BASE = 0xdc00;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The length of the valid UTF-8 sequence starting at `i`, or 0 (Unicode table 3-7). */
function validSequence(b: Uint8Array, i: number): number {
  const c = b[i] ?? 0;
  const in_ = (j: number, lo: number, hi: number): boolean => {
    const x = b[i + j];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return in_(1, 0x80, 0xbf) ? 2 : 0;
  if (c === 0xe0) return in_(1, 0xa0, 0xbf) && in_(2, 0x80, 0xbf) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return in_(1, 0x80, 0xbf) && in_(2, 0x80, 0xbf) ? 3 : 0;
  if (c === 0xed) return in_(1, 0x80, 0x9f) && in_(2, 0x80, 0xbf) ? 3 : 0;
  if (c === 0xf0) return in_(1, 0x90, 0xbf) && in_(2, 0x80, 0xbf) && in_(3, 0x80, 0xbf) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return in_(1, 0x80, 0xbf) && in_(2, 0x80, 0xbf) && in_(3, 0x80, 0xbf) ? 4 : 0;
  if (c === 0xf4) return in_(1, 0x80, 0x8f) && in_(2, 0x80, 0xbf) && in_(3, 0x80, 0xbf) ? 4 : 0;
  return 0;
}

/** Decodes a file's bytes; bytes of invalid sequences become U+DC80..U+DCFF. */
export function decodeFalcoBytes(bytes: Uint8Array): string {
  // yaml-cpp reads a stream that starts with a UTF-16 byte-order mark as UTF-16
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return strict.decode(bytes);
  } catch {
    // not valid UTF-8: the slow path below keeps every byte
  }
  let out = '';
  let run = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = validSequence(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += strict.decode(bytes.subarray(run, i)) + String.fromCharCode(ESCAPE_BASE + (bytes[i] ?? 0));
    i++;
    run = i;
  }
  return out + strict.decode(bytes.subarray(run));
}

const isEscaped = (code: number): boolean => code >= 0xdc80 && code <= 0xdcff;

/** The bytes a decoded string stands for (escaped bytes back as themselves). */
export function encodeFalcoBytes(text: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isEscaped(code)) continue;
    // an escaped byte is never the low half of a real surrogate pair: those decode as pairs
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    parts.push(Buffer.from(text.slice(run, i), 'utf8'), Buffer.from([code - ESCAPE_BASE]));
    run = i + 1;
  }
  parts.push(Buffer.from(text.slice(run), 'utf8'));
  return Buffer.concat(parts);
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');

/** nlohmann::json's complaint about one string's bytes, or undefined when they are valid UTF-8. */
function stringDumpError(text: string): string | undefined {
  if (!/[\udc80-\udcff]/.test(text)) return undefined;
  const b = encodeFalcoBytes(text);
  for (let i = 0; i < b.length; ) {
    const n = validSequence(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    // the DFA rejects at the first byte that cannot continue the sequence, or runs out of input
    const c = b[i] ?? 0;
    const need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
    for (let j = i + 1; j < i + need; j++) {
      if (j >= b.length) return `incomplete UTF-8 string; last byte: 0x${hex(b[b.length - 1] ?? 0)}`;
      if (!isPrefixOk(b, i, j)) return `invalid UTF-8 byte at index ${j}: 0x${hex(b[j] ?? 0)}`;
    }
    return `invalid UTF-8 byte at index ${i}: 0x${hex(c)}`;
  }
  return undefined;
}

/** Whether b[i..j] (inclusive) can still start a valid sequence. */
function isPrefixOk(b: Uint8Array, i: number, j: number): boolean {
  const c = b[i] ?? 0;
  const x = b[j] ?? 0;
  if (j === i + 1) {
    if (c === 0xe0) return x >= 0xa0 && x <= 0xbf;
    if (c === 0xed) return x >= 0x80 && x <= 0x9f;
    if (c === 0xf0) return x >= 0x90 && x <= 0xbf;
    if (c === 0xf4) return x >= 0x80 && x <= 0x8f;
  }
  return x >= 0x80 && x <= 0xbf;
}

/**
 * The error Falco's JSON serialisation would stop on for this value: strings are visited in
 * nlohmann's order (object keys sorted), the first one holding invalid UTF-8 decides.
 */
export function jsonDumpError(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const e = stringDumpError(value);
    return e === undefined ? undefined : `[json.exception.type_error.316] ${e}`;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      const e = jsonDumpError(v);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareNames(a, b));
    for (const [k, v] of entries) {
      const e = jsonDumpError(k) ?? jsonDumpError(v);
      if (e !== undefined) return e;
    }
  }
  return undefined;
}

/**
 * How many bytes Falco sees for decoded text: UTF-8 lengths, one byte per escaped byte (a lone
 * U+DC80..U+DCFF from decodeFalcoBytes). Falco's marks (offsets and columns) count bytes.
 */
export function falcoByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else if (c >= 0xdc80 && c <= 0xdcff) bytes += 1;
    else bytes += 3;
  }
  return bytes;
}
