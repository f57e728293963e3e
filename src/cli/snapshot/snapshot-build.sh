# snapshot-build.sh: builds one startup snapshot (src/cli/snapshot/README.md). Shipped beside the
# launcher as dist/cli/snapshot-build.sh by `npm run build`, and run with sh in two ways:
#   in the background, by the launcher, when it found no snapshot for this Node.js:
#     sh snapshot-build.sh <node> <entry> <blob> <key> <lock> <asker pid>
#   (<node> the bare name `node` and <key> empty when the launcher did not look them up)
#   in the foreground, by `falconer snapshots build` (src/cli/snapshot/build.ts):
#     sh snapshot-build.sh <node> <entry> <blob> <key> '' ''
# The blob and its key are renamed into place only when the build succeeded, blob first, so the
# launcher never pairs a key with a blob it does not describe. Each bundle has its own blob
# (<command>-<digest>.blob): after a build, the command's two newest stay (a second installed
# version may be in use beside this one) and older ones go, so upgrades do not pile up 8-15 MB
# files.
# In the background it gives up quietly when the cache folder cannot be written, when a build
# already failed for this Node.js and bundle (<blob>.failed holds the key), or when another build
# of the same blob holds the lock (one older than 2 minutes belongs to a build that died and is
# taken over). It waits for the command that asked to end (at most 2 s: `mcp` serves on; two
# processes starting at once on a small machine slowed that command's first start by ~45 ms), runs
# at low priority, removes its lock when it ends, and a failure leaves <blob>.failed holding the
# key. In the foreground node's messages go to stderr, for the caller to report.
node=$1 entry=$2 blob=$3 key=$4 lock=$5 asker=$6
# The launcher leaves finding node and its key to this script on a first start (its <node> is then
# the bare name and <key> empty): the launcher's own start runs no stat.
if [ -z "$key" ]; then
  node=$(command -v "$node") && key=$(stat -L -c %d:%i:%s:%Y -- "$node" 2>/dev/null) || exit 0
fi
if [ -n "$lock" ]; then
  mkdir -p -- "${blob%/*}" 2>/dev/null || exit 0
  if [ -r "$blob.failed" ] && read -r failed <"$blob.failed" && [ "$failed" = "$key" ]; then exit 0; fi
  # noclobber: the redirection creates the lock only when no file has that name (O_EXCL)
  if ! (set -C && : >"$lock") 2>/dev/null; then
    [ -n "$(find "$lock" -mmin +2 2>/dev/null)" ] || exit 0
    rm -f -- "$lock"
    (set -C && : >"$lock") 2>/dev/null || exit 0
  fi
fi
tmp="$blob.$$.tmp"
trap 'rm -f "$tmp" "$tmp.key"; [ -z "$lock" ] || rm -f "$lock"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
low=
if [ -n "$lock" ] && command -v nice >/dev/null 2>&1; then low='nice -n 10'; fi
n=0
while [ -n "$asker" ] && [ "$n" -lt 20 ] && kill -0 "$asker" 2>/dev/null; do sleep 0.1 || break; n=$((n + 1)); done
if $low "$node" --snapshot-blob "$tmp" --build-snapshot "$entry" >/dev/null; then
  mv -f "$tmp" "$blob" && printf '%s\n' "$key" >"$tmp.key" && mv -f "$tmp.key" "$blob.key" || exit 1
  rm -f "$blob.failed"
  ls -t "${blob%-*}"-*.blob 2>/dev/null | tail -n +3 | while IFS= read -r old; do rm -f "$old" "$old.key" "$old.failed"; done
else
  status=$?
  [ -z "$lock" ] || printf '%s\n' "$key" >"$blob.failed"
  exit "$status"
fi
