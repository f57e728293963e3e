#!/bin/sh
# falconer: the CLI's launcher (the npm package's bin and the image's /usr/local/bin/falconer).
# It runs main.js, beside it, with the first `node` on PATH; `validate` and `mcp` start from a V8
# startup snapshot of their code instead when one was built for that very Node.js binary, which
# saves loading and compiling the code on every start. Written by `npm run build` from
# src/cli/snapshot/launcher.sh; src/cli/snapshot/README.md says how the snapshots are made.
# FALCONER_SNAPSHOT_DIR names a prebuilt folder, looked in before the cache (`falconer snapshots
# build --into <dir>`); FALCONER_NO_SNAPSHOT=1 turns the snapshots off.
# Each command substitution below is a process of its own (~1-2 ms): a first start runs none.
self=$0
# A symlink (npm's bin, the image's /usr/local/bin/falconer) is read to find the files beside.
if [ -h "$self" ]; then self=$(readlink -f -- "$self" 2>/dev/null) || self=$0; fi
case $self in */*) dir=${self%/*} ;; *) dir=. ;; esac
# V8 flags read only at start (src/cli/v8-tuning.ts): STARTUP_FLAGS on every path, and
# SNAPSHOT_START_FLAGS too when starting from a snapshot; words, unquoted below.
flags= snapflags=
case ${1-} in
@STARTUP_FLAGS@
esac
# start_from <blob> <key> <args…>: runs the command from the blob when its .key file holds <key>.
start_from() {
  from=$1 want=$2
  shift 2
  if [ -f "$from" ] && [ -r "$from" ] && [ -r "$from.key" ] && read -r recorded <"$from.key" && [ "$recorded" = "$want" ]; then
    exec "$node" $flags $snapflags --snapshot-blob "$from" "$dir" "$@"
  fi
}
case ${1-} in
validate | mcp)
  case $1 in
  @SNAPSHOT_IDS@
  esac
  if [ -z "${FALCONER_NO_SNAPSHOT-}" ]; then
    cache=${FALCONER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/falconer}
    blob=$cache/snapshots/$id.blob
    prebuilt=${FALCONER_SNAPSHOT_DIR:+$FALCONER_SNAPSHOT_DIR/$id.blob}
    # Which node, and its key, only once there is a blob to match them against.
    key= node=node
    if [ -f "$blob" ] || [ -f "${prebuilt:-/}" ]; then
      if node=$(command -v node) && key=$(stat -L -c %d:%i:%s:%Y -- "$node" 2>/dev/null); then
        # A prebuilt folder's key leaves out device and inode, which differ from host to host for
        # a file in an image layer (src/cli/snapshot/names.ts): size and mtime, cut from the same stat.
        [ -z "$prebuilt" ] || start_from "$prebuilt" "${key#*:*:}" "$@"
        start_from "$blob" "$key" "$@"
      else
        # Half looked up: the build script looks for both itself.
        key= node=node
      fi
    fi
    # None for this node yet: one is built in the background for the next start, once this
    # process has ended (snapshot-build.sh finds node and its key itself when given none; its $$ is
    # this process, node after the exec), and setsid keeps it out of the terminal's Ctrl-C.
    detach=
    if command -v setsid >/dev/null 2>&1; then detach=setsid; fi
    # Run in a background subshell, which it replaces (no shell left holding this one's output).
    build() { exec $detach sh "$dir/snapshot-build.sh" "$node" "$dir/snapshot-$1.cjs" "$blob" "$key" "$blob.lock" $$ </dev/null >/dev/null 2>&1; }
    if [ "$1" = validate ]; then
      # validate ends before the build starts: the build is its child until then, and init's
      # after; no subshell for this process to wait for (~2.5 ms of a first run).
      build "$1" &
    else
      # mcp serves on while the build runs: the subshell ends at once, so the build is nobody's
      # child here (never a zombie of the server's).
      (build "$1" &)
    fi
    # validate runs from its first-run script meanwhile: its snapshot script with `yaml` and
    # `commander` loaded only when needed (src/build/bundle.ts, packagesOnDemand); one file, ~25 ms
    # less than main.js's modules. mcp runs main.js, which loads the Kubernetes client after
    # tools/list.
    [ "$1" != validate ] || exec "$node" $flags "$dir/@VALIDATE_FIRST_RUN@" "$dir" "$@"
    exec "$node" $flags "$dir/main.js" "$@"
  fi
  ;;
esac
exec node $flags "$dir/main.js" "$@"
