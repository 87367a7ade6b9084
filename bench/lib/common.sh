# Sourced by bench/run.sh: logging, the raw figures, problems, and the JDK-only helpers of bench/.

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# A raw figure of one cell, for bench/Report.java: metric path pass value. Values are what the tools reported
# (bytes, bits/s, CPU clock ticks, kB, ...); the arithmetic on them is the report's.
record() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$WORK/raw.tsv"
  log "  $1 $2 pass $3: $4"
}

problem() {
  printf '%s\n' "$*" >>"$WORK/problems.txt"
  log "PROBLEM: $*"
}

now_ns() { date +%s%N; }

# The JDK-only helpers (TlsBench, IdleConnections, Figures, Report) are compiled once into $WORK/classes;
# when javac fails they run as single-file source programs.
compile_helpers() {
  if javac -d "$WORK/classes" "$BENCH/TlsBench.java" "$BENCH/IdleConnections.java" "$BENCH/Figures.java" \
       "$BENCH/Report.java" 2>"$WORK/javac.log"; then
    HELPER_CP=$WORK/classes
  else
    log "javac failed ($(head -c 200 "$WORK/javac.log")); using single-file source launch"
    HELPER_CP=""
  fi
}

helper_argv() { # class [jvm flags...]: sets HARGV to the command that runs one of the JDK-only helpers of bench/
  local class=$1
  shift
  if [[ -n ${HELPER_CP:-} ]]; then
    HARGV=(java -Xmx256m -XX:+UseSerialGC "$@" -cp "$HELPER_CP" "$class")
  else
    HARGV=(java -Xmx256m -XX:+UseSerialGC "$@" "$BENCH/$class.java")
  fi
}

helper() { # class args...
  local HARGV
  helper_argv "$1"
  shift
  "${HARGV[@]}" "$@"
}

figures() { # bench/Figures.java: subcommand args... (short-lived: C1 only, for a quick start)
  local HARGV
  helper_argv Figures -XX:TieredStopAtLevel=1
  "${HARGV[@]}" "$@"
}
