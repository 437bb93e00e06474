#!/usr/bin/env bash
# Small requests: request-state-store plus release from many computers at once over mutual TLS, smp on
# PostgreSQL (a new database each run). Each computer enrolls with its own key and certificate, then asks for a
# capture store and releases it with success=false, which leaves its association CAPTURING so the pair repeats.
#
#   bash src/test/benchmark/small-requests.sh [options]
#
# The load generator is src/test/benchmark/SmallRequests.java (JDK only, run from source). The table is printed
# and written to target/benchmark/small-requests.md. The script exits non-zero if any request failed, or if the
# kept-alive run at the target rate missed its target (see --rate). See docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash src/test/benchmark/small-requests.sh [--computers N] [--seconds S] [--warmup S] [--rate R]
                                                 [--cases LIST] [--keep]

  --computers N  computers, each with its own certificate and association (default 200)
  --seconds S    measured seconds per case (default 30), after --warmup S seconds (default 30)
  --rate R       pairs per second offered in all by the "target" case (default 500); its result must reach
                 95 % of R with a p99 per request under 100 ms
  --cases LIST   comma-separated, in this order (default target,keepalive,new,full):
                   target     kept-alive connections, R pairs/s offered (open loop)
                   keepalive  kept-alive connections, each computer as fast as it can (closed loop)
                   new        a new TLS connection per request (session resumption allowed), as fast as it can
                   full       a new TLS connection per request with a full handshake each time, as fast as it can
  --keep         keep the work folder (logs, keys, server log)

environment:
  JAVA            java (default: java)
  SMP_JAR         smp jar (default target/smp.jar, built with "mvn -q -B -DskipTests package" if missing)
  SMP_XMX         smp's heap (default 512m)
  SMP_JAVA_OPTS   more JVM options for smp, e.g. -XX:StartFlightRecording=filename=smp.jfr
  SMP_BENCH_PG    PostgreSQL server URL (default jdbc:postgresql://127.0.0.1:5432/), user SMP_BENCH_PG_USER
                  (default postgres, no password: trust authentication); database SMP_BENCH_DB (default
                  smpsmall_bench), dropped and created again by psql
EOF
}

log() { printf '[small-requests] %s\n' "$*" >&2; }
die() { printf '[small-requests] error: %s\n' "$*" >&2; exit 1; }

computers=200 seconds=30 warmup=30 rate=500 cases=target,keepalive,new,full keep=0
while (($#)); do
    case $1 in
        --computers) computers=$2; shift ;;
        --seconds) seconds=$2; shift ;;
        --warmup) warmup=$2; shift ;;
        --rate) rate=$2; shift ;;
        --cases) cases=$2; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
for v in computers seconds warmup rate; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "--$v must be a whole number"
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo_root"
JAVA=${JAVA:-java}
SMP_JAR=${SMP_JAR:-target/smp.jar}
SMP_XMX=${SMP_XMX:-512m}
pg_url=${SMP_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/}
pg_user=${SMP_BENCH_PG_USER:-postgres}
pg_db=${SMP_BENCH_DB:-smpsmall_bench}
hostport=${pg_url#jdbc:postgresql://}
hostport=${hostport%%/*}
pg_host=${hostport%%:*}
pg_port=${hostport##*:}
[[ $pg_port != "$hostport" ]] || pg_port=5432
for tool in curl openssl psql "$JAVA"; do
    command -v "$tool" >/dev/null || die "$tool is required"
done
if [[ ! -f $SMP_JAR ]]; then
    log "building $SMP_JAR"
    mvn -q -B -DskipTests package
fi

mkdir -p target/benchmark
work=$(mktemp -d "$repo_root/target/benchmark/small.XXXXXX")
smp_pid=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $smp_pid ]] && kill -0 "$smp_pid" 2>/dev/null; then
        kill -TERM "$smp_pid" 2>/dev/null || true
        wait "$smp_pid" 2>/dev/null || true
    fi
    if ((keep)); then log "kept $work"; else rm -rf "$work"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

psql_admin() { psql -X -q -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 "$@"; }
log "a new database $pg_db"
psql_admin -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db"

port=
for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[[ -n $port ]] || die "no free port"
base="https://127.0.0.1:$port"
java_version=$("$JAVA" -version 2>&1 | head -n 1)
log "starting smp ($java_version, -Xmx$SMP_XMX) on $base"
# The folder's client slots: every computer holds one while its capture is requested and not yet released.
# shellcheck disable=SC2086 # SMP_JAVA_OPTS holds several options
"$JAVA" "-Xmx$SMP_XMX" ${SMP_JAVA_OPTS:-} -jar "$SMP_JAR" --smp.data-dir="$work/data" --server.address=127.0.0.1 \
    --server.port="$port" --spring.datasource.url="$pg_url$pg_db" --spring.datasource.username="$pg_user" \
    --spring.datasource.password= "--smp.storage.folders[0].location=$work/data/stores" \
    "--smp.storage.folders[0].max-clients=$((computers * 2))" "--smp.storage.folders[0].min-free-space=64MB" \
    >"$work/smp.log" 2>&1 &
smp_pid=$!
for ((i = 0; i < 360; i++)); do
    kill -0 "$smp_pid" 2>/dev/null || { tail -n 50 "$work/smp.log" >&2; die "smp exited during start"; }
    [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$base/actuator/health" || true) == 200 ]] && break
    sleep 0.5
done
((i < 360)) || { tail -n 50 "$work/smp.log" >&2; die "smp did not become healthy"; }
log "smp is up after about $((i / 2)) s"
for ((i = 0; i < 60; i++)); do [[ -s $work/data/initial-admin-password ]] && break; sleep 0.5; done
head -n 1 "$work/data/initial-admin-password" | tr -d '\r\n' >"$work/admin-password"
chmod 600 "$work/admin-password"

log "making $computers keys and CSRs"
for ((i = 0; i < computers; i++)); do
    d=$work/clients/c$i
    mkdir -p "$d"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$(printf 'SMALL-%03d' "$i")" \
        -keyout "$d/key.pem" -out "$d/csr.pem" 2>/dev/null
done
generator=(src/test/benchmark/SmallRequests.java)
log "creating $computers associations and enrolling the computers"
t0=$(date +%s)
"$JAVA" "${generator[@]}" setup "$base" "$work/admin-password" "$work/clients" "$computers"
log "setup took $(($(date +%s) - t0)) s"

clk=$(getconf CLK_TCK)
xacts() { # transactions committed and rolled back in the database so far (statistics lag by up to half a second)
    sleep 1
    psql -X -At -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres \
        -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$pg_db'"
}
rows=()
failed=0
IFS=',' read -r -a case_list <<<"$cases"
for c in "${case_list[@]}"; do
    case $c in
        target) conn=keepalive r=$rate ;;
        keepalive) conn=keepalive r=0 ;;
        new) conn=new r=0 ;;
        full) conn=full r=0 ;;
        *) die "unknown case $c" ;;
    esac
    log "case $c: $computers computers, $conn connections, $( ((r > 0)) && echo "$r pairs/s offered" || echo 'as fast as they can'), ${warmup}+${seconds} s"
    x0=$(xacts)
    out=$("$JAVA" -Xmx1g "${generator[@]}" run "$base" "$work/clients" "$computers" "$seconds" "$warmup" "$r" "$conn" "$smp_pid" 2>"$work/errors-$c.txt")
    x1=$(xacts)
    log "$out"
    declare -A res=()
    for kv in $out; do res[${kv%%=*}]=${kv#*=}; done
    cpu_s=$(awk -v t="${res[server_cpu_ticks]}" -v hz="$clk" 'BEGIN { printf "%.1f", t / hz }')
    cpu_ms=$(awk -v t="${res[server_cpu_ticks]}" -v hz="$clk" -v p="${res[pairs]}" 'BEGIN { printf "%.2f", p ? t / hz * 1000 / p : 0 }')
    machine_ms=$(awk -v t="${res[machine_busy_ticks]}" -v hz="$clk" -v p="${res[pairs]}" 'BEGIN { printf "%.2f", p ? t / hz * 1000 / p : 0 }')
    per_pair=$(awk -v x=$((x1 - x0)) -v p="${res[all_pairs]}" 'BEGIN { printf "%.1f", p ? x / p : 0 }')
    verdict=
    if ((res[errors] + res[warmup_errors] > 0)); then
        failed=1 verdict="FAIL: ${res[warmup_errors]} + ${res[errors]} errors"
        cat "$work/errors-$c.txt" >&2
    fi
    if [[ $c == target ]]; then
        if awk -v got="${res[pairs_per_s]}" -v want="$rate" -v p99="${res[req_p99_ms]}" 'BEGIN { exit !(got >= 0.95 * want && p99 < 100) }'; then
            verdict=${verdict:-pass}
        else
            failed=1 verdict="${verdict:+$verdict; }FAIL: target $rate pairs/s with p99 < 100 ms"
        fi
    fi
    rows+=("| $c | $conn | $( ((r > 0)) && echo "$r" || echo max) | ${res[pairs_per_s]} | ${res[req_p50_ms]} / ${res[req_p90_ms]} / ${res[req_p99_ms]} / ${res[req_max_ms]} | ${res[pair_p50_ms]} / ${res[pair_p99_ms]} | ${res[warmup_errors]} / ${res[errors]} / ${res[missed]} | $cpu_s | $cpu_ms | $machine_ms | ${res[machine_steal_pct]} | $per_pair | ${res[handshakes]} / ${res[handshake_mean_ms]} | ${res[load_start]} / ${res[load_end]} | ${verdict:-} |")
    unset res
done

report() {
    echo "Small requests: request-state-store (CAPTURE) + release-state-store (success=false) over mutual TLS, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
    echo "- smp: $java_version, -Xmx$SMP_XMX, PostgreSQL $(psql -X -At -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -c 'SHOW server_version') on $pg_host (new database), $computers computers each with its own certificate and association"
    echo "- load generator on the same machine (JDK sockets, HTTP/1.1, one thread per computer); ${warmup} s warm-up, then ${seconds} s measured per case"
    echo "- latency in ms: per request p50 / p90 / p99 / max; per pair p50 / p99, counted from when the pair was due (open loop) or started (max)"
    echo "- errors: pairs that failed during the warm-up and during the measured seconds; either fails the run"
    echo "- missed: pairs of the offered rate not sent by the end of the measured seconds because their computer was still waiting for earlier answers"
    echo "- server CPU: smp's user + system time over the measured seconds (/proc/<pid>/stat), and per pair; PostgreSQL's is not included"
    echo "- machine CPU ms / pair: the whole machine's busy time (user, nice, system, irq, softirq in /proc/stat) over the measured seconds per pair: smp, PostgreSQL and the load generator together; steal %: the share of the machine's time the hypervisor gave to others (a run with steal was disturbed)"
    echo "- DB transactions / pair: commits and rollbacks in smp's database over the whole case (warm-up included) per pair"
    echo "- load: the 1-minute load average at the start and end of the measured seconds"
    echo
    echo "| case | connections | offered pairs/s | pairs/s | request ms p50 / p90 / p99 / max | pair ms p50 / p99 | errors warm-up / measured / missed | smp CPU s | smp CPU ms / pair | machine CPU ms / pair | steal % | DB transactions / pair | handshakes / mean ms | load | check |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
}
report | tee target/benchmark/small-requests.md
log "table written to target/benchmark/small-requests.md"
exit "$failed"
