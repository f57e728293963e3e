import { isSscanfInteger } from '../fields/field-args.ts';

/**
 * Operator/type compatibility and constant-value parsing of libsinsp (filter_compare.cpp,
 * value_parser.cpp, 0.22.2). Errors are thrown as plain strings' messages by the caller.
 */
const NUMERIC = new Set([
  'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'PID',
  'SYSCALLID', 'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'DOUBLE',
  'MODE', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32',
]);
const IP = new Set(['IPV4ADDR', 'IPV4NET', 'IPV6ADDR', 'IPV6NET', 'IPADDR', 'IPNET']);
const STRING = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const LISTABLE = new Set(['CHARBUF', 'UINT64', 'RELTIME', 'ABSTIME', 'BOOL', 'IPADDR', 'IPNET']);

const ALLOWED: ReadonlyArray<[ReadonlySet<string>, readonly string[], string]> = [
  [NUMERIC, ['=', '!=', '<', '<=', '>', '>=', 'in', 'intersects'], 'numeric filters'],
  [new Set(['BOOL']), ['=', '!=', 'in', 'intersects'], 'numeric filters'],
  [IP, ['=', '!=', 'in', 'intersects'], 'ip address and network filters'],
  [
    STRING,
    ['=', '!=', '<', '<=', '>', '>=', 'contains', 'in', 'icontains', 'startswith', 'glob', 'pmatch',
      'endswith', 'intersects', 'iglob', 'regex'],
    'string filters',
  ],
  [
    new Set(['BYTEBUF']),
    ['=', '!=', 'contains', 'in', 'startswith', 'endswith', 'intersects', 'bcontains', 'bstartswith'],
    'buffer filters',
  ],
];

/** libs prints `==` as `=` (cmpop_to_str). */
const opName = (op: string): string => (op === '==' ? '=' : op);

/** Returns the error text (without the "filter error: " prefix) or undefined when comparable. */
export function comparabilityError(op: string, type: string, isList: boolean): string | undefined {
  if (op === 'exists') return undefined;
  const name = opName(op);
  if (isList) {
    if (!LISTABLE.has(type)) return `list filters are not supported for type '${displayType(type)}'`;
    return ['in', 'intersects'].includes(name) ? undefined : `'${name}' operator not supported list filters`;
  }
  for (const [types, ops, label] of ALLOWED) {
    if (!types.has(type)) continue;
    return ops.includes(name) ? undefined : `'${name}' operator not supported for ${label}`;
  }
  return `'${name}' operator not supported for type '${displayType(type)}'`;
}

/** param_type_to_string spells a few types differently from their enum names. */
export function displayType(type: string): string {
  return type === 'DYN' ? 'DYNAMIC' : type;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
  const ok = groups.every((g, i) => /^[0-9a-fA-F]{1,4}$/.test(g) || (i === groups.length - 1 && IPV4.test(g)));
  const count = groups.length + (groups.some((g) => g.includes('.')) ? 1 : 0);
  return ok && (parts.length === 2 ? count < 8 : count === 8);
}

/** Parses a constant for a field of `type`; returns an error message or undefined. */
export function valueError(value: string, type: string): string | undefined {
  if (NUMERIC.has(type) && type !== 'PORT' && !STRING.has(type)) {
    return isSscanfInteger(value) ? undefined : `${value} is not a valid number`;
  }
  switch (type) {
    case 'UID': case 'GID': case 'L4PROTO':
      return isSscanfInteger(value) ? undefined : `${value} is not a valid number`;
    case 'PORT':
      // Service names resolve through getservbyname on the Falco host; accept any plausible name.
      return value === '' || /^[0-9]+$/.test(value) || /^[A-Za-z][A-Za-z0-9._+-]*$/.test(value)
        ? undefined
        : `unrecognized protocol ${value}`;
    case 'BOOL':
      return value === 'true' || value === 'false' ? undefined : `filter error: unrecognized boolean value ${value}`;
    case 'IPADDR': case 'IPV4ADDR': case 'IPV6ADDR':
      return ipAddressError(value, type);
    case 'IPNET': case 'IPV4NET': case 'IPV6NET':
      return ipNetError(value, type);
    default:
      return undefined;
  }
}

function ipAddressError(value: string, type: string): string | undefined {
  const v4 = type === 'IPV4ADDR' || (type === 'IPADDR' && value.includes('.'));
  if (v4) return IPV4.test(value) ? undefined : `unrecognized IPv4 address ${value}`;
  return isIpv6(value) ? undefined : `unrecognized IPv6 address ${value}`;
}

function ipNetError(value: string, type: string): string | undefined {
  const v4 = type === 'IPV4NET' || (type === 'IPNET' && value.includes('.'));
  if (!value.includes('/')) return v4 ? `unrecognized IP network ${value}` : `unrecognized IPv6 network ${value}`;
  const [ip = '', mask = ''] = value.split('/', 2);
  if (v4) {
    if (!IPV4.test(ip)) return `unrecognized IP address ${value}`;
    if (!isSscanfInteger(mask)) return `${mask} is not a valid number`;
    return Number(mask) > 32 ? `invalid netmask ${mask}` : undefined;
  }
  return isIpv6(ip) && /^\d+$/.test(mask) && Number(mask) <= 128 ? undefined : `unrecognized IPv6 network ${value}`;
}

/** sinsp_utils::unhex: pairs of hex digits. */
export function isHexString(value: string): boolean {
  return value.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(value);
}
