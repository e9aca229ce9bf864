# Sourced by bin/parley (a checkout) and lib/parley-start (the installed package): the JVM options that let a start
# of Parley map the class data earlier starts left, instead of loading, verifying and linking the same few thousand
# classes again (app/README.md, "Cold start"). Bash only; nothing forked on the start's own path, and no PATH
# needed.
#
# The window and the commands load different classes, so each has its own files: whichever ran first would
# otherwise fill the only one, and a window started after `parley --version` found few of its classes there.
#
# - The window on Java 25 or newer: an ahead-of-time cache (JEP 483 and 515: classes loaded and linked, method
#   profiles), which took a sixth to a quarter off the window's start here (app/README.md). It is made in two
#   steps: a start records what it loaded in STEM.aotconf, written when it exits; the next start that finds the
#   record makes STEM.aot from it in the background (some 4 s of CPU, at low priority) while it runs without one;
#   later starts map it.
# - The commands, and the window on Java 21 to 24: a dynamic class-data archive, STEM.jsa, recorded by the first
#   start when it exits and mapped by later ones. The commands stay on it because recording a cache prints a line
#   of the JVM's own, and their output is read by scripts.
#
# A runtime ignores class data made for another jar or runtime but does not make it again, so files older than the
# jar or the runtime's release file are removed here and made anew.

# Sets `kind` to commands when ARGUMENTS name a command, help or the version, and to window otherwise.
start_kind() {
  kind=window
  local argument
  for argument in "$@"; do
    case $argument in
      node | chat | id | passphrase | backup | restore | export | import | ping | perf | relay | help | -h | --help \
        | -V | --version) kind=commands; return ;;
    esac
  done
}

# Appends to the array `options` what a start of the jar JAR (kind KIND: window or commands) on a runtime of MAJOR
# version, whose release file is RELEASE, needs to use or make its class data, kept as STEM.*. For the background
# step it runs "$java" "${options[@]}" … "${launch[@]}", so `java` and `launch` (-jar JAR, or -cp PATH MAIN) are set
# first.
class_data_options() {
  local stem=$1 kind=$2 major=$3 release=$4 jar=$5 made
  for made in "$stem.jsa" "$stem.aot" "$stem.aotconf"; do
    if [ -f "$made" ] && { [ "$jar" -nt "$made" ] || [ "$release" -nt "$made" ]; }; then
      /bin/rm -f -- "$made"
    fi
  done
  if [ "$kind" != window ] || [ "$major" -lt 25 ]; then
    # Its notes go nowhere: stdout is the commands' output.
    options+=(-XX:SharedArchiveFile="$stem.jsa" -XX:+AutoCreateSharedArchive '-Xlog:cds*=off')
  elif [ -f "$stem.aot" ]; then
    options+=(-XX:AOTCache="$stem.aot" '-Xlog:aot*=off' '-Xlog:cds*=off')
  elif [ -f "$stem.aotconf" ]; then
    make_aot_cache "$stem"
  else
    # The JVM says on exit that it recorded; on stderr, with its other notes, rather than on stdout.
    options+=(-XX:AOTMode=record -XX:AOTConfiguration="$stem.aotconf" -XX:+DisplayVMOutputToStderr
      '-Xlog:aot*=off' '-Xlog:cds*=off')
  fi
}

# Makes STEM.aot from STEM.aotconf in the background unless another start is making it already (STEM.aot.making
# names its process). The cache appears whole or not at all (made under another name, then renamed). The record
# goes either way: if no cache came of it, the next start records again.
make_aot_cache() {
  local stem=$1 maker=""
  if [ -f "$stem.aot.making" ]; then
    read -r maker <"$stem.aot.making" || true
  fi
  if [ -n "$maker" ] && kill -0 "$maker" 2>/dev/null; then
    return
  fi
  (
    echo "$BASHPID" >"$stem.aot.making"
    /usr/bin/nice -n 10 "$java" "${options[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$stem.aotconf" \
      -XX:AOTCache="$stem.aot.$BASHPID" '-Xlog:aot*=off' '-Xlog:cds*=off' "${launch[@]}" \
      && /bin/mv -f -- "$stem.aot.$BASHPID" "$stem.aot"
    /bin/rm -f -- "$stem.aotconf" "$stem.aot.$BASHPID" "$stem.aot.making"
  ) </dev/null >/dev/null 2>&1 &
}
