/**
 * Rules files that a startup snapshot of `falconer validate` is warmed up with: the engine's code
 * is compiled while they are validated, and the snapshot keeps that bytecode, so a user's first
 * file is not read by code compiled on the spot. They cover what rules files commonly hold — lists,
 * macros, rules with most operators and field kinds, exceptions, appends and overrides, outputs —
 * and the usual mistakes, so that the error paths are compiled too. Written for this purpose; the
 * snapshot keeps no result of them (src/cli/snapshot/validate.ts).
 */

const GOOD = `# warm-up: a rules file the way people write them
- required_engine_version: 0.26.0

- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]

- list: package_managers
  items: ["apt", "apt-get", dpkg, yum, rpm, dnf, apk, "pip", "pip3"]

- list: sensitive_paths
  items: [/etc/shadow, /etc/sudoers, /root/.ssh/authorized_keys]

- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.res = 0)

- macro: opened_for_reading
  condition: evt.type in (open, openat, openat2) and evt.is_open_read = true and fd.typechar = 'f'

- macro: in_container
  condition: (container.id != host and container.id exists)

- macro: never_true
  condition: (evt.num = 0)

- rule: Shell started in a container
  desc: >
    A shell was started inside a container, which is rare in production.
  condition: >
    spawned_process and in_container
    and proc.name in (shell_binaries)
    and not proc.pname in (shell_binaries)
    and not proc.aname[2] startswith runc
  output: >
    Shell in container (user=%user.name uid=%user.uid cmdline=%proc.cmdline pid=%proc.pid
    parent=%proc.pname container=%container.id image=%container.image.repository:%container.image.tag)
  priority: WARNING
  tags: [container, shell, mitre_execution]

- rule: Read of a sensitive file
  desc: a process read a file that holds credentials
  condition: opened_for_reading and (fd.name in (sensitive_paths) or fd.name pmatch (/etc/ssh, /root/.aws)) and not proc.name in (sshd, sudo, su)
  output: "Sensitive file read (file=%fd.name proc=%proc.name exe=%proc.exepath)"
  priority: ERROR
  exceptions:
    - name: known_readers
      fields: [proc.name, fd.directory]
      comps: [=, startswith]
      values:
        - [backup-agent, /etc]
        - [vault, /root]
    - name: by_image
      fields: container.image.repository
      comps: in
      values: [docker.io/library/vault, quay.io/prometheus/node-exporter]
  tags: [filesystem, mitre_credential_access]

- rule: Package manager in a container
  desc: installing software at run time
  condition: spawned_process and in_container and proc.name in (package_managers) and proc.args contains "install"
  output: Package manager ran (cmdline=%proc.cmdline container=%container.name)
  priority: NOTICE
  enabled: false

- rule: Outbound connection to a mining pool
  desc: a connection to a port that mining pools use
  condition: >
    evt.type = connect and evt.dir = < and fd.l4proto = tcp
    and (fd.sport in (3333, 4444, 5555, 7777, 14444) or fd.sip.name glob "*pool*")
    and not fd.snet in ("10.0.0.0/8", "192.168.0.0/16")
  output: Mining pool connection (ip=%fd.sip port=%fd.sport proc=%proc.name)
  priority: CRITICAL
  source: syscall

- rule: Write below binary folders
  desc: an executable written to a system binary folder
  condition: >
    evt.type in (open, openat, creat) and evt.is_open_write = true
    and (fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin) or fd.name regex '^/usr/local/s?bin/')
    and not (proc.name = dpkg or proc.exe endswith "/rpm")
    and proc.vpid > 1 and user.uid >= 0 and evt.rawres != -1
  output: Binary folder written (file=%fd.name proc=%proc.name %evt.args)
  priority: ERROR

- rule: Unexpected ptrace
  desc: a process attached to another
  condition: evt.type = ptrace and evt.arg.request icontains attach and not proc.name in (gdb, strace)
  output: ptrace attach (proc=%proc.name target=%evt.arg.pid)
  priority: WARNING

- list: shell_binaries
  items: [busybox]
  append: true

- macro: in_container
  condition: or k8s.ns.name != ""
  override:
    condition: append

- rule: Package manager in a container
  enabled: true
  override:
    enabled: replace

- rule: Shell started in a container
  exceptions:
    - name: debug_images
      fields: [container.image.repository]
      values: [[docker.io/library/busybox]]
  override:
    exceptions: append
`;

/** Mistakes people make, each once: unknown names, bad syntax, a missing key, a YAML error. */
const MISTAKES = `- macro: broken_macro
  condition: evt.type = open and (proc.name = x

- rule: Uses an undefined macro
  desc: d
  condition: spawned_process and not_a_macro
  output: o
  priority: INFO

- rule: Uses an unknown field
  desc: d
  condition: proc.nmae = bash and evt.type = execve
  output: "%proc.nmae"
  priority: INFO

- rule: Missing its output
  desc: d
  condition: evt.type = open
  priority: INFO

- rule: Wrong priority
  desc: d
  condition: evt.type = open and fd.num > 2
  output: o
  priority: LOUD

- rule: Bad operator
  desc: d
  condition: evt.type = open and fd.name === /etc
  output: o
  priority: INFO

- list: unused_list
  items: [a, b]

- rule: Not a rule
  desc: [unclosed
`;

export interface WarmUpFile {
  readonly name: string;
  readonly text: string;
}

/** The warm-up inputs, loaded in order: the good file, then the good file with the mistakes. */
export function warmUpRuleFiles(): WarmUpFile[][] {
  return [
    [{ name: '/warm-up/rules.yaml', text: GOOD }],
    [{ name: '/warm-up/rules.yaml', text: GOOD }, { name: '/warm-up/mistakes.yaml', text: MISTAKES }],
  ];
}
