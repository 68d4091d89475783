# Sourced (POSIX sh) by ./mvnw and ./certifier: makes JAVA_HOME point at a JDK of version 21 or
# newer. The build compiles for release 21 and the machine's default java may be older, so a
# fresh checkout must find a suitable JDK by itself. An explicit JAVA_HOME of 21+ is kept.
certifier_jdk_major() {
  # Prints the feature version of the JDK at $1 (from its `release` file), or nothing.
  [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release" | head -n 1
}
certifier_select_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(certifier_jdk_major "$JAVA_HOME")
    [ -n "$v" ] && [ "$v" -ge 21 ] && return 0
  fi
  best=""; best_v=0
  # mvnw runs under `set -f`; globbing is needed for the search and restored afterwards.
  case $- in *f*) restore_noglob=1; set +f ;; *) restore_noglob=0 ;; esac
  for d in /usr/lib/jvm/* /opt/java/* /usr/local/java/*; do
    [ -d "$d" ] || continue
    v=$(certifier_jdk_major "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ "$restore_noglob" = 1 ] && set -f
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(certifier_jdk_major "$d")
    [ -n "$v" ] && [ "$v" -ge 21 ] && best="$d"
  fi
  if [ -z "$best" ]; then
    echo "error: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, PATH); install one" >&2
    return 1
  fi
  JAVA_HOME="$best"; export JAVA_HOME
  PATH="$JAVA_HOME/bin:$PATH"; export PATH
}
certifier_select_jdk || exit 1
