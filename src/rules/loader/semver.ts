/** A version as libsinsp's sinsp_version parses it: `sscanf("%u.%u.%u") == 3`, so a prefix counts. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const SCANF_SEMVER = /^\s*([+-]?\d+)\.\s*([+-]?\d+)\.\s*([+-]?\d+)/;

/** %u wraps negative and oversized numbers modulo 2^32. */
const u32 = (s: string): number => Number(BigInt.asUintN(32, BigInt(s)));

export function parseSemver(s: string): Version | undefined {
  const m = SCANF_SEMVER.exec(s);
  if (!m) return undefined;
  return { major: u32(m[1] ?? '0'), minor: u32(m[2] ?? '0'), patch: u32(m[3] ?? '0') };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export const versionString = (v: Version): string => `${v.major}.${v.minor}.${v.patch}`;

/** Same major and at least the requested version (sinsp_version::compatible_with). */
export function compatibleWith(have: Version, requested: Version): boolean {
  return have.major === requested.major && compareVersions(have, requested) >= 0;
}
