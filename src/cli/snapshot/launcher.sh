#!/bin/sh
# falconer: the CLI's launcher (the npm package's bin and the image's /usr/local/bin/falconer).
# It runs main.js, beside it, with the first `node` on PATH; `validate` and `mcp` start from a V8
# startup snapshot of their code instead when one was built for that very Node.js binary, which
# saves loading and compiling the code on every start. Written by `npm run build` from
# src/cli/snapshot/launcher.sh; src/cli/snapshot/README.md says how the snapshots are made.
# FALCONER_NO_SNAPSHOT=1 turns the snapshots off.
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
dir=${self%/*}
case ${1-} in
validate | mcp)
  case $1 in
  @SNAPSHOT_IDS@
  esac
  if [ -z "${FALCONER_NO_SNAPSHOT-}" ] && node=$(command -v node) && key=$(stat -L -c %d:%i:%s:%Y -- "$node" 2>/dev/null); then
    cache=${FALCONER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/falconer}
    blob=$cache/snapshots/$id.blob
    if [ -f "$blob" ] && [ -f "$blob.key" ] && read -r recorded <"$blob.key" && [ "$recorded" = "$key" ]; then
      exec "$node" --snapshot-blob "$blob" "$dir" "$@"
    fi
    # None yet: main.js builds one in the background for the next start (src/cli/snapshot/build.ts).
    FALCONER_SNAPSHOT_BLOB=$blob FALCONER_SNAPSHOT_KEY=$key exec "$node" "$dir/main.js" "$@"
  fi
  ;;
esac
exec node "$dir/main.js" "$@"
