#!/bin/sh
# falconer: the CLI's launcher (the npm package's bin and the image's /usr/local/bin/falconer).
# It runs main.js, beside it, with the first `node` on PATH; `validate` and `mcp` start from a V8
# startup snapshot of their code instead when one was built for that very Node.js binary, which
# saves loading and compiling the code on every start. Written by `npm run build` from
# src/cli/snapshot/launcher.sh; src/cli/snapshot/README.md says how the snapshots are made.
# FALCONER_SNAPSHOT_DIR names a prebuilt folder, looked in before the cache (`falconer snapshots
# build --into <dir>`); FALCONER_NO_SNAPSHOT=1 turns the snapshots off.
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
dir=${self%/*}
# V8 flags read only at start (src/cli/v8-tuning.ts): STARTUP_FLAGS on every path, and
# SNAPSHOT_START_FLAGS too when starting from a snapshot; words, unquoted below.
flags= snapflags=
case ${1-} in
@STARTUP_FLAGS@
esac
# start_from <blob> <key> <args…>: runs the command from the blob when its .key file holds <key>.
start_from() {
  blob=$1 want=$2
  shift 2
  if [ -f "$blob" ] && [ -r "$blob" ] && [ -r "$blob.key" ] && read -r recorded <"$blob.key" && [ "$recorded" = "$want" ]; then
    exec "$node" $flags $snapflags --snapshot-blob "$blob" "$dir" "$@"
  fi
}
case ${1-} in
validate | mcp)
  case $1 in
  @SNAPSHOT_IDS@
  esac
  if [ -z "${FALCONER_NO_SNAPSHOT-}" ] && node=$(command -v node) && key=$(stat -L -c %d:%i:%s:%Y -- "$node" 2>/dev/null); then
    # A prebuilt folder's key leaves out device and inode, which differ from host to host for a
    # file in an image layer (src/cli/snapshot/names.ts): size and mtime, cut from the same stat.
    [ -z "${FALCONER_SNAPSHOT_DIR-}" ] || start_from "$FALCONER_SNAPSHOT_DIR/$id.blob" "${key#*:*:}" "$@"
    cache=${FALCONER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/falconer}
    start_from "$cache/snapshots/$id.blob" "$key" "$@"
    # None yet: one is built in the background for the next start, once this process has ended
    # (snapshot-build.sh; its $$ is this process, node after the exec). The subshell ends at once,
    # so the build is nobody's child here, and setsid keeps it out of the terminal's Ctrl-C.
    blob=$cache/snapshots/$id.blob
    detach=
    if command -v setsid >/dev/null 2>&1; then detach=setsid; fi
    ($detach sh "$dir/snapshot-build.sh" "$node" "$dir/snapshot-$1.cjs" "$blob" "$key" "$blob.lock" $$ </dev/null >/dev/null 2>&1 &)
    # validate runs from its entry script meanwhile: one file, ~25 ms less than main.js's modules
    # on a first start. mcp runs main.js, which loads the Kubernetes client after tools/list.
    [ "$1" != validate ] || exec "$node" $flags "$dir/snapshot-validate.cjs" "$dir" "$@"
    exec "$node" $flags "$dir/main.js" "$@"
  fi
  ;;
esac
exec node $flags "$dir/main.js" "$@"
