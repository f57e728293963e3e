import type { FieldData } from './types.ts';

/**
 * Fields that libsinsp 0.22.2 accepts in conditions but `falco --list` hides (deprecated,
 * table-only or print-only), so the generated listing lacks them. Names, types and flags are
 * from libs userspace/libsinsp/sinsp_filtercheck_{event,thread,utils}.cpp at tag 0.22.2.
 * Keyed by the listed class they belong to: [class name, short description].
 */
export const HIDDEN_FIELDS: ReadonlyArray<{
  readonly className: string;
  readonly shortDesc?: string;
  readonly fields: readonly FieldData[];
}> = [
  {
    className: 'evt',
    shortDesc: 'Syscall events only',
    fields: [
      { name: 'evt.latency.quantized', type: 'UINT64', desc: 'table only', flags: ['TABLE_ONLY'] },
      { name: 'evt.outputtime', type: 'CHARBUF', desc: 'print only', flags: ['PRINT_ONLY'] },
      {
        name: 'evt.dir',
        type: 'CHARBUF',
        desc: "event direction can be either '>' for enter events or '<' for exit events.",
        flags: ['DEPRECATED'],
      },
      { name: 'evt.count.procinfo', type: 'UINT32', desc: 'table only', flags: ['TABLE_ONLY'] },
      { name: 'evt.count.threadinfo', type: 'UINT32', desc: 'table only', flags: ['TABLE_ONLY'] },
      ...[
        'evt.buflen.in', 'evt.buflen.out', 'evt.buflen.file', 'evt.buflen.file.in',
        'evt.buflen.file.out', 'evt.buflen.net', 'evt.buflen.net.in', 'evt.buflen.net.out',
      ].map((name) => ({ name, type: 'UINT64', desc: 'table only', flags: ['TABLE_ONLY'] })),
      ...[
        'evt.infra.docker.name', 'evt.infra.docker.container.id',
        'evt.infra.docker.container.name', 'evt.infra.docker.container.image',
      ].map((name) => ({ name, type: 'CHARBUF', desc: 'table only', flags: ['TABLE_ONLY'] })),
    ],
  },
  {
    className: 'process',
    fields: [
      { name: 'thread.nametid', type: 'CHARBUF', desc: 'table only', flags: ['TABLE_ONLY'] },
      { name: 'thread.vmsize.b', type: 'UINT64', desc: 'table only', flags: ['TABLE_ONLY'] },
      { name: 'thread.vmrss.b', type: 'UINT64', desc: 'table only', flags: ['TABLE_ONLY'] },
    ],
  },
];

/** The hidden `util` class sits between fs.path and fdlist in libs' class order. */
export const HIDDEN_UTIL_CLASS = {
  name: 'util',
  eventSources: ['syscall'],
  fields: [{ name: 'util.cnt', type: 'UINT64', desc: 'incremental counter.' }],
} as const;
