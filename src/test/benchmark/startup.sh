#!/usr/bin/env bash
# Start-up benchmark: how long `java -jar smp.jar` takes until /actuator/health answers 200, on a fresh data
# folder (the first start makes the master key, the CA, the TLS key and the first administrator) and on the
# same data folder again (a later start), each as the plain jar and as deploy/smp-cache prepares it (the jar
# extracted, with a class data sharing archive on Java 17 or an AOT cache on Java 25).
#
#   bash src/test/benchmark/startup.sh [--runs N] [--modes LIST] [--target SECONDS] [--keep]
#
# Everything listens on 127.0.0.1 only and lives in a temporary folder under target/benchmark/, removed on exit
# together with every process the script started. Prints a Markdown table (also written to
# target/benchmark/startup.md) and checks its own result: the median wall time of every mode must be under the
# target, and the cache must save at least a quarter of the plain jar's CPU time, else it exits 1. See
# docs/benchmarks.md ("Startup time").
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash src/test/benchmark/startup.sh [--runs N] [--modes LIST] [--target SECONDS] [--keep]

  --runs N        starts per mode (default 5); the table shows each and the median
  --modes LIST    comma-separated, in this order whatever LIST's order (default jar,cache):
                    jar    java -jar smp.jar, as it is built
                    cache  java @java.args as deploy/smp-cache writes it: the jar extracted and started with the
                           class archive of a training run (a CDS archive, or an AOT cache on Java 25 and later;
                           see docs/operations.md)
  --target S      the median time to a healthy server each mode must stay under (default 8)
  --keep          keep the temporary folder (logs, data folders) instead of removing it

environment:
  JAVA           java command (default: java)
  SMP_JAR        the jar (default: target/smp.jar; built with "mvn -q -B -DskipTests package" if missing)
  SMP_JAVA_OPTS  extra JVM options for every start (the heap is -Xmx256m unless given here)
EOF
}

log() { printf '[startup] %s\n' "$*" >&2; }
die() { printf '[startup] error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

runs=5
modes=jar,cache
target=8
keep=0
while (($#)); do
    case $1 in
        --runs) (($# >= 2)) || die "--runs needs a number"; runs=$2; shift ;;
        --runs=*) runs=${1#--runs=} ;;
        --modes) (($# >= 2)) || die "--modes needs a list"; modes=$2; shift ;;
        --modes=*) modes=${1#--modes=} ;;
        --target) (($# >= 2)) || die "--target needs a number"; target=$2; shift ;;
        --target=*) target=${1#--target=} ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]?$ ]] || die "--runs must be between 1 and 99, got '$runs'"
[[ $target =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--target must be a number of seconds, got '$target'"
mode_jar=0 mode_cache=0
IFS=',' read -r -a mode_list <<<"$modes"
for m in "${mode_list[@]}"; do
    case $m in
        jar) mode_jar=1 ;;
        cache) mode_cache=1 ;;
        *) die "unknown mode '$m' in --modes (known: jar, cache)" ;;
    esac
done
((mode_jar + mode_cache > 0)) || die "--modes names no mode"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo_root"

readonly host=127.0.0.1
readonly start_timeout=180
JAVA=${JAVA:-java}
SMP_JAR=${SMP_JAR:-target/smp.jar}
java_opts=(-XX:+ExitOnOutOfMemoryError)
# shellcheck disable=SC2206 # SMP_JAVA_OPTS holds several options
[[ ${SMP_JAVA_OPTS:-} == *-Xmx* ]] || java_opts+=(-Xmx256m)
# shellcheck disable=SC2206
java_opts+=(${SMP_JAVA_OPTS:-})

for tool in curl awk sort; do
    have "$tool" || die "$tool is required"
done
have "$JAVA" || die "java ($JAVA) is required"
if [[ ! -f $SMP_JAR ]]; then
    [[ $SMP_JAR == target/smp.jar ]] || die "no jar at $SMP_JAR"
    have mvn || die "target/smp.jar is missing and mvn is not installed to build it"
    log "building target/smp.jar (mvn -q -B -DskipTests package)"
    mvn -q -B -DskipTests package
    [[ -f $SMP_JAR ]] || die "the build made no target/smp.jar"
fi
java_version=$("$JAVA" -version 2>&1 | head -n 1)

# ------------------------------------------------------------------------------------ work folder
mkdir -p target/benchmark
work=$(mktemp -d "$repo_root/target/benchmark/startup.XXXXXX")
smp_pid=

stop_process() { # pid: TERM, wait up to 30 s, then KILL
    local pid=$1 i
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 150; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        ((i < 150)) || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_process "$smp_pid"
    if ((keep)); then
        log "kept $work"
    else
        rm -rf "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --------------------------------------------------------------------------------------- helpers
now_ns() { date +%s%N; }
seconds() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e9 }'; }

free_port() { # a random port nobody on 127.0.0.1 answers on
    local p i
    for ((i = 0; i < 100; i++)); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/$host/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "found no free port on $host"
}

cpu_ticks() { # pid -> user+system clock ticks of the process, all its threads, so far
    local stat
    local -a f
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    read -r -a f <<<"${stat##*) }"
    echo $((f[11] + f[12]))
}
ticks_to_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'; }

load_average() { awk '{ print $1 }' /proc/loadavg; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# start_once mode data-dir: sets result to "wall-s|cpu-s|load" of one start to a healthy /actuator/health, then
# stops the server (not in a subshell, so that the exit trap knows the server's pid)
start_once() {
    local mode=$1 data=$2 port base t0 t1 ticks i log_file code load
    local -a cmd
    port=$(free_port)
    base="https://$host:$port"
    log_file=$work/smp-$mode-$(basename "$data")-$RANDOM.log
    if [[ $mode == cache ]]; then
        cmd=("$JAVA" @"$work/cache/java.args")
    else
        cmd=("$JAVA" "${java_opts[@]}" -jar "$SMP_JAR")
    fi
    load=$(load_average)
    t0=$(now_ns)
    "${cmd[@]}" --smp.data-dir="$data" --server.address="$host" --server.port="$port" >"$log_file" 2>&1 &
    smp_pid=$!
    # poll every 0.1 s: a refused connection costs nothing, and the server's CPU is what is counted
    for ((i = 0; i < start_timeout * 10; i++)); do
        kill -0 "$smp_pid" 2>/dev/null || { tail -n 50 "$log_file" >&2; die "smp exited during start"; }
        code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$base/actuator/health" || true)
        [[ $code == 200 ]] && break
        sleep 0.1
    done
    t1=$(now_ns)
    ticks=$(cpu_ticks "$smp_pid")
    ((i < start_timeout * 10)) || { tail -n 50 "$log_file" >&2; die "smp did not become healthy within $start_timeout s"; }
    if [[ $mode == cache ]] && grep -q -E '\[(cds|aot)\]|[Ss]hared (class|archive)|AOT cache' "$log_file"; then
        log "warning: the JVM said something about the archive: $(grep -m 1 -E '\[(cds|aot)\]|[Ss]hared (class|archive)|AOT cache' "$log_file")"
    fi
    stop_process "$smp_pid"
    smp_pid=
    result="$(seconds $((t1 - t0)))|$(ticks_to_s "$ticks")|$load"
}

# ------------------------------------------------------------------------------------- the class archive
if ((mode_cache)); then
    log "preparing the cache with deploy/smp-cache (extraction and a training run)"
    t0=$(now_ns)
    JAVA=$JAVA bash deploy/smp-cache "$SMP_JAR" "$work/cache" "${java_opts[@]}" 2>"$work/cache.log" ||
        { cat "$work/cache.log" >&2; die "deploy/smp-cache failed"; }
    training_s=$(seconds $(($(now_ns) - t0)))
    if grep -q -e '-XX:AOTCache=' "$work/cache/java.args"; then
        archive_kind="AOT cache (-XX:AOTCacheOutput, -XX:AOTCache)"
        archive_mib=$(du -m "$work/cache/smp.aot" | awk '{ print $1 }')
    elif grep -q -e '-XX:SharedArchiveFile=' "$work/cache/java.args"; then
        archive_kind="class data sharing archive (-XX:ArchiveClassesAtExit, -XX:SharedArchiveFile)"
        archive_mib=$(du -m "$work/cache/smp.jsa" | awk '{ print $1 }')
    else
        cat "$work/cache.log" >&2
        die "deploy/smp-cache fell back to the plain jar"
    fi
    log "cache: $archive_kind, $archive_mib MiB, prepared in $training_s s"
fi

# ------------------------------------------------------------------------------------------- the runs
rows=()
load_start=$(load_average)
for mode in jar cache; do
    [[ $mode == jar ]] && ((!mode_jar)) && continue
    [[ $mode == cache ]] && ((!mode_cache)) && continue
    for ((run = 1; run <= runs; run++)); do
        data=$work/data-$mode-$run
        start_once "$mode" "$data"
        first=$result
        start_once "$mode" "$data"
        later=$result
        log "$mode run $run: first start ${first%%|*} s, later start ${later%%|*} s"
        rows+=("$mode|$run|$first|$later")
    done
done
load_end=$(load_average)

# ------------------------------------------------------------------------------------------- report
report() {
    local row mode run fw fc fl lw lc ll m failed=0 med c what jar_cpu cache_cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    echo "Start-up: \`java -jar\` to a healthy /actuator/health (H2), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores, $cpu, $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
    echo "- java: $java_version, options: ${java_opts[*]}"
    echo "- load average (1 min): $load_start at the start, $load_end at the end; the load column is at each start"
    if ((mode_cache)); then
        echo "- cache: the jar extracted, $archive_kind of $archive_mib MiB, made by deploy/smp-cache in $training_s s (extraction and training run)"
    fi
    echo "- first: a fresh data folder (master key, CA, TLS key and certificate, first administrator made); later: the same folder again"
    echo "- CPU: user + system time of the JVM until it answered, all threads"
    echo
    echo "| mode | run | first start s | CPU s | load | later start s | CPU s | load |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for row in "${rows[@]}"; do
        IFS='|' read -r mode run fw fc fl lw lc ll <<<"$row"
        echo "| $mode | $run | $fw | $fc | $fl | $lw | $lc | $ll |"
    done
    for m in jar cache; do
        printf '%s\n' "${rows[@]}" | grep -q "^$m|" || continue
        col() { printf '%s\n' "${rows[@]}" | awk -F'|' -v m="$m" -v c="$1" '$1 == m { print $c }' | median; }
        echo "| $m | median | $(col 3) | $(col 4) | | $(col 6) | $(col 7) | |"
    done
    echo
    for m in jar cache; do
        printf '%s\n' "${rows[@]}" | grep -q "^$m|" || continue
        for c in 3 6; do
            med=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v m="$m" -v c="$c" '$1 == m { print $c }' | median)
            if awk -v v="$med" -v t="$target" 'BEGIN { exit !(v < t) }'; then
                echo "- $m, $([[ $c == 3 ]] && echo first || echo later) start: median $med s, under the target of $target s"
            else
                echo "- $m, $([[ $c == 3 ]] && echo first || echo later) start: median $med s, NOT under the target of $target s"
                failed=1
            fi
        done
    done
    # the cache must pay for itself: at least a quarter less CPU than the plain jar, whatever the load
    if ((mode_jar && mode_cache)); then
        for c in 4 7; do
            jar_cpu=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v c="$c" '$1 == "jar" { print $c }' | median)
            cache_cpu=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v c="$c" '$1 == "cache" { print $c }' | median)
            what=$([[ $c == 4 ]] && echo first || echo later)
            if awk -v a="$cache_cpu" -v b="$jar_cpu" 'BEGIN { exit !(a < 0.75 * b) }'; then
                echo "- cache, $what start: median CPU $cache_cpu s against the jar's $jar_cpu s ($(awk -v a="$cache_cpu" -v b="$jar_cpu" 'BEGIN { printf "%.0f", 100 * (1 - a / b) }') % less), at least a quarter less as expected"
            else
                echo "- cache, $what start: median CPU $cache_cpu s against the jar's $jar_cpu s, NOT a quarter less"
                failed=1
            fi
        done
    fi
    return "$failed"
}

status=0
report >"$work/report.md" || status=1
tee "$repo_root/target/benchmark/startup.md" <"$work/report.md"
log "table written to target/benchmark/startup.md"
exit "$status"
