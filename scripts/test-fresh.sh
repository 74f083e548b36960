#!/bin/sh
# `npm run test:fresh`: what a new developer gets (issue 22). Clones this repository's HEAD into a
# temp dir and runs `npm ci && npm test` there with a fresh HOME, npm cache and TMPDIR, in a
# private mount namespace where an overlay on /usr/bin deletes Debian's chromium and
# chromium-browser, so the e2e tests must find their browser the way a fresh clone does
# (e2e/chromium.ts: the @sparticuz/chromium devDependency). The root namespace is not touched.
# Not part of .ci/run. Arguments replace the test command: `npm run test:fresh -- npx playwright test e2e/ui-call.spec.ts`.
set -eu
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d /tmp/vouch-fresh.XXXXXX)
[ "$#" -gt 0 ] && cmd="$*" || cmd="npm test"
echo "test:fresh: $repo @ $(git -C "$repo" rev-parse --short HEAD) -> $work; then: npm ci && $cmd"

# As root: a plain private mount namespace. Otherwise a user namespace maps us to root in it
# (overlay mounts there need Linux >= 5.11).
if [ "$(id -u)" = 0 ]; then ns="unshare -m"; else ns="unshare -r -m"; fi

export VOUCH_FRESH_REPO="$repo" VOUCH_FRESH_WORK="$work" VOUCH_FRESH_CMD="$cmd"
exec $ns sh -eu -c '
  mount --make-rprivate /
  mkdir -p "$VOUCH_FRESH_WORK/usr-bin-upper" "$VOUCH_FRESH_WORK/usr-bin-work" "$VOUCH_FRESH_WORK/home" "$VOUCH_FRESH_WORK/tmp"
  mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$VOUCH_FRESH_WORK/usr-bin-upper,workdir=$VOUCH_FRESH_WORK/usr-bin-work" /usr/bin
  rm -f /usr/bin/chromium /usr/bin/chromium-browser
  for b in /usr/bin/chromium /usr/bin/chromium-browser; do [ ! -e "$b" ] || { echo "test:fresh: $b still visible" >&2; exit 1; }; done
  git clone --quiet "$VOUCH_FRESH_REPO" "$VOUCH_FRESH_WORK/vouch"
  cd "$VOUCH_FRESH_WORK/vouch"
  unset VOUCH_CHROMIUM CI
  export HOME="$VOUCH_FRESH_WORK/home" TMPDIR="$VOUCH_FRESH_WORK/tmp" npm_config_cache="$VOUCH_FRESH_WORK/home/.npm"
  npm ci --no-audit --no-fund
  sh -c "$VOUCH_FRESH_CMD"
'
