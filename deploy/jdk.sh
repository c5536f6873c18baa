# Sourced (POSIX sh) by mvnw and the deploy scripts: make JAVA_HOME and PATH point at a JDK 21 or later.
# The build's language level is 21; a machine whose default java is older (Debian 12 ships 17) often has a newer
# JDK beside it, so look there before giving up. An explicit JAVA_HOME of 21+ always wins.

keyledger_java_major() {
  # "openjdk version \"25.0.1\"" / "\"17.0.15\"" / "\"1.8.0_402\"" -> 25 / 17 / 1
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

keyledger_use_jdk() {
  keyledger_min=21
  for keyledger_candidate in "${JAVA_HOME:-}" \
      "$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
      /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$keyledger_candidate" ] && [ -x "$keyledger_candidate/bin/java" ] && [ -x "$keyledger_candidate/bin/javac" ] || continue
    keyledger_major=$(keyledger_java_major "$keyledger_candidate/bin/java")
    if [ -n "$keyledger_major" ] && [ "$keyledger_major" -ge "$keyledger_min" ]; then
      # say which, once, when it is not the one the caller set (nested scripts inherit KEYLEDGER_JDK)
      if [ "$keyledger_candidate" != "${JAVA_HOME:-}" ] && [ "${KEYLEDGER_JDK:-}" != "$keyledger_candidate" ]; then
        echo "keyledger: using JDK $keyledger_major at $keyledger_candidate (the build needs $keyledger_min+)" >&2
      fi
      JAVA_HOME=$keyledger_candidate
      KEYLEDGER_JDK=$keyledger_candidate
      PATH=$JAVA_HOME/bin:$PATH
      export JAVA_HOME PATH KEYLEDGER_JDK
      return 0
    fi
  done
  echo "keyledger needs a JDK $keyledger_min or later: none found (JAVA_HOME, java on the PATH, /usr/lib/jvm). Install one, or set JAVA_HOME." >&2
  return 1
}

keyledger_use_jdk || exit 1
