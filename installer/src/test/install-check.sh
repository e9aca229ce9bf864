#!/usr/bin/env bash
# The installer's proof on this machine (root, Debian): installs the .deb with dpkg -i, runs the installed
# `parley` with no JDK anywhere on its PATH (--version, a headless node to READY, the window under the X display
# the build runs in three times, as its class data is made, with a screenshot), upgrades it to a higher version of
# itself, removes it with dpkg -r and checks that the program, its menu entry and icons are gone and the profile
# is not.
# Prints the figures: the .deb's and the app image's size, the installed node's cold start to READY and the
# window's.
#
# Usage: install-check.sh PACKAGE.deb APP-IMAGE-DIR WORK-DIR
set -euo pipefail
deb=$1 image=$2 work=$(realpath -m "$3")

fail() { echo "install check: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (dpkg -i)"
[ -f "$deb" ] || fail "$deb is missing"
if dpkg-query -W -f='${Status}' parley 2>/dev/null | grep -q installed; then
  fail "a parley package is installed on this machine already; this check would replace it, so it stops"
fi

rm -rf "$work"
mkdir -p "$work"
home="$work/home"
profile="$home/.local/share/parley"
mkdir -p "$home"
# The installed command alone: no java, no JDK on the PATH (the launcher brings its own runtime). Java takes the
# home folder from the user database, not $HOME, so the profile's default place is moved with XDG_DATA_HOME.
environment=(HOME="$home" XDG_DATA_HOME="$home/.local/share" PATH=/nonexistent DISPLAY="${DISPLAY:-}"
  XAUTHORITY="${XAUTHORITY:-}")
installed() { env -i "${environment[@]}" /usr/bin/parley "$@"; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if dpkg-query -W parley >/dev/null 2>&1; then dpkg --purge parley >/dev/null || true; fi
}
trap cleanup EXIT

echo "== the package: $(stat -c %s "$deb" | numfmt --to=iec-i --suffix=B) ($(stat -c %s "$deb") bytes)," \
  "the app image: $(du -sb "$image" | cut -f1 | numfmt --to=iec-i --suffix=B)"
dpkg-deb -f "$deb" Package Version Depends Section

# What the package needs from Debian (X and sound libraries), then the package itself with dpkg.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep -v '^$')
missing=$(for p in $depends; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed || echo "$p"; done)
if [ -n "$missing" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
dpkg -i "$deb" >/dev/null
[ "$(readlink /usr/bin/parley)" = /opt/parley/lib/parley-start ] || fail "/usr/bin/parley does not lead to /opt/parley/lib/parley-start"
for file in /usr/share/applications/parley.desktop /usr/share/icons/hicolor/{16x16,32x32,48x48,128x128,256x256,512x512}/apps/parley.png; do
  [ -f "$file" ] || fail "$file was not installed"
done
grep -q '^Categories=Network;InstantMessaging;' /usr/share/applications/parley.desktop || fail "no menu category"

grep -qx 'java-options=-XX:+ExitOnOutOfMemoryError' /opt/parley/lib/app/parley.cfg \
  || fail "the launcher does not make a JVM out of memory exit"

version=$(installed --version)
echo "== installed: $version"
[[ "$version" == parley\ * ]] || fail "parley --version printed '$version'"

# A headless node, twice: the first start makes the profile (identity), the second is a start as users have it.
for run in first second; do
  start=$(date +%s%N)
  # exec: the coproc's PID is then the JVM's, so that the clean-up ends the JVM rather than only its subshell.
  coproc NODE {
    exec env -i "${environment[@]}" /usr/bin/parley node --listen /ip4/127.0.0.1/tcp/0 --bootstrap none 2>&1
  }
  pids+=("$NODE_PID")
  ready=""
  while IFS= read -r -t 60 line <&"${NODE[0]}"; do
    if [ "$line" = READY ]; then ready=yes; break; fi
  done
  [ -n "$ready" ] || fail "the installed node did not print READY"
  echo "== $run start of the installed node to READY: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  eval "exec ${NODE[1]}>&-"   # the end of its standard input stops the node
  wait "$NODE_PID" || true
done
[ -f "$profile/identity.keyset" ] || fail "the node made no identity in $profile"

# The window, from the installed command, on the build's X display (xvfb-run), with a profile that has a name;
# three times, as the class data is made (app/bin/class-data.bash): the first start records the classes it loads,
# the second makes the ahead-of-time cache from that record in the background, the third maps it.
if [ -n "${DISPLAY:-}" ]; then
  cache="$home/.cache/parley"
  installed id --name "Ada Installed" --bootstrap none >/dev/null
  for run in first second third; do
    start=$(date +%s%N)
    coproc WINDOW { exec env -i "${environment[@]}" parley.ui.reportReady=1 \
      /usr/bin/parley --listen /ip4/127.0.0.1/tcp/0 --bootstrap none --no-mdns 2>&1; }
    pids+=("$WINDOW_PID")
    shown=""
    while IFS= read -r -t 60 line <&"${WINDOW[0]}"; do
      if [ "$line" = "window ready" ]; then shown=yes; break; fi
    done
    [ -n "$shown" ] || fail "the installed app's window did not open at its $run start"
    echo "== $run start of the installed app to its window: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    if [ $run = third ]; then
      sleep 1
      import -window root "$work/installed-window.png"
      echo "== the installed app's window; screenshot: $work/installed-window.png"
    fi
    kill "$WINDOW_PID"
    wait "$WINDOW_PID" 2>/dev/null || true
    case $run in
      first) [ -f "$cache/parley-window.aotconf" ] || fail "the first start recorded no classes in $cache" ;;
      second)
        for _ in $(seq 600); do
          [ -f "$cache/parley-window.aot" ] && [ ! -e "$cache/parley-window.aot.making" ] && break
          sleep 0.1
        done
        [ -f "$cache/parley-window.aot" ] || fail "no ahead-of-time cache was made in $cache: $(ls "$cache")" ;;
    esac
  done
fi

profile_files=$(ls "$profile")

# An upgrade: the same package under a higher version (repacked, not rebuilt) replaces the installed one through
# the package scripts' upgrade path; the command must still work and the profile be untouched.
repacked="$work/repacked"
dpkg-deb -R "$deb" "$repacked"
sed -i "s/^Version: .*/Version: $(dpkg-deb -f "$deb" Version)+upgrade/" "$repacked/DEBIAN/control"
dpkg-deb -Znone -b "$repacked" "$work/upgrade.deb" >/dev/null
rm -rf "$repacked"
dpkg -i "$work/upgrade.deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' parley)" = "$(dpkg-deb -f "$deb" Version)+upgrade" ] || fail "the upgrade did not install"
installed --version >/dev/null || fail "parley is gone after the upgrade"
[ -f /usr/share/icons/hicolor/256x256/apps/parley.png ] || fail "the upgrade lost the icon"
[ "$(ls "$profile")" = "$profile_files" ] || fail "the upgrade changed the profile: $(ls "$profile")"
echo "== upgraded to $(dpkg-query -W -f='${Version}' parley); the profile is as it was"
rm -f "$work/upgrade.deb"

dpkg -r parley >/dev/null
[ ! -e /usr/bin/parley ] || fail "/usr/bin/parley is still there after dpkg -r"
[ ! -e /opt/parley ] || fail "/opt/parley is still there after dpkg -r"
[ ! -e /usr/share/applications/parley.desktop ] || fail "the menu entry is still there after dpkg -r"
[ ! -e /usr/share/icons/hicolor/256x256/apps/parley.png ] || fail "the icon is still there after dpkg -r"
[ "$(ls "$profile")" = "$profile_files" ] || fail "dpkg -r changed the profile: $(ls "$profile")"
echo "== removed with dpkg -r; the profile is still in $profile: $(ls "$profile" | tr '\n' ' ')"
