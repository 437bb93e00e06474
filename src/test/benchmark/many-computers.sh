#!/usr/bin/env bash
# Many computers at once: N concurrent captures and then N concurrent restores of the same random file over HTTPS,
# smp (a storage folder) against nginx doing N WebDAV PUTs of distinct paths and then N GETs, for each N given.
#
#   bash src/test/benchmark/many-computers.sh [options]
#
# The load generator is src/test/benchmark/ManyComputers.java with SmallRequests.java (JDK only, compiled into the
# work folder). Everything listens on 127.0.0.1 and lives in a temporary folder under target/benchmark/, removed on
# exit with every process the script started. The table is printed and written to target/benchmark/many-computers.md.
# The script exits non-zero if any transfer failed or came back different. See docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash src/test/benchmark/many-computers.sh [--concurrency LIST] [--size MiB] [--cases LIST] [--keep]

  --concurrency LIST  comma-separated numbers of computers at once (default 1,16,64,256)
  --size MiB          size of each state store (default 64)
  --cases LIST        nginx,smp (default both; for each N nginx runs first, then smp)
  --keep              keep the work folder (logs, configuration, keys)

environment:
  JAVA           java (default: java)
  SMP_JAR        smp jar (default target/smp.jar, built with "mvn -q -B -DskipTests package" if missing)
  SMP_XMX        smp's heap (default 256m)
  SMP_ARGS       more smp arguments (properties), after the ones this script sets, e.g.
                 "--smp.transfers.max-concurrent=256"
  SMP_JAVA_OPTS  more JVM options for smp, e.g. -XX:StartFlightRecording=filename=smp.jfr
EOF
}

log() { printf '[many-computers] %s\n' "$*" >&2; }
die() { printf '[many-computers] error: %s\n' "$*" >&2; exit 1; }

concurrency=1,16,64,256 size_mib=64 cases=nginx,smp keep=0
while (($#)); do
    case $1 in
        --concurrency) concurrency=$2; shift ;;
        --size) size_mib=$2; shift ;;
        --cases) cases=$2; shift ;;
        --keep) keep=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
[[ $size_mib =~ ^[1-9][0-9]{0,3}$ ]] || die "--size must be a whole number of MiB below 10000"
IFS=',' read -r -a ns <<<"$concurrency"
for n in "${ns[@]}"; do [[ $n =~ ^[1-9][0-9]{0,3}$ ]] || die "--concurrency takes numbers, got '$n'"; done
do_nginx=0 do_smp=0
IFS=',' read -r -a case_list <<<"$cases"
for c in "${case_list[@]}"; do
    case $c in nginx) do_nginx=1 ;; smp) do_smp=1 ;; *) die "unknown case '$c'" ;; esac
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo_root"
readonly host=127.0.0.1 size_bytes=$((size_mib * 1024 * 1024)) warmup=4
JAVA=${JAVA:-java}
SMP_JAR=${SMP_JAR:-target/smp.jar}
SMP_XMX=${SMP_XMX:-256m}
javac=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac
[[ -x $javac ]] || javac=javac
if ((do_nginx)) && ! command -v nginx >/dev/null && [[ -x /usr/sbin/nginx ]]; then PATH=$PATH:/usr/sbin; fi
((!do_nginx)) || command -v nginx >/dev/null || die "nginx is required (apt-get install -y nginx-light; see benchmark.sh)"
for tool in curl openssl "$javac" jcmd; do command -v "$tool" >/dev/null || die "$tool is required"; done
if ((do_smp)) && [[ ! -f $SMP_JAR ]]; then
    log "building $SMP_JAR"
    mvn -q -B -DskipTests package
fi

max_n=0 total=$warmup
for n in "${ns[@]}"; do ((n > max_n)) && max_n=$n; total=$((total + n)); done
mkdir -p target/benchmark
work=$(mktemp -d "$repo_root/target/benchmark/many.XXXXXX")
# One side at a time holds N stores (nginx's files, or smp's encrypted ones): keep 4 GiB above that, for smp's
# minimum free space and its database's reserve.
avail=$(df --output=avail -B1 "$work" | tail -n 1 | tr -d ' ')
need=$((max_n * size_bytes + 4 * 1024 * 1024 * 1024))
((avail >= need)) || die "not enough free space under target/benchmark: need $((need >> 20)) MiB, have $((avail >> 20)) MiB; lower --concurrency or --size"

nginx_pid= smp_pid=
stop_process() { # pid: TERM, wait up to 30 s, then KILL
    local pid=$1 i
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        ((i < 150)) || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_process "$smp_pid"
    stop_process "$nginx_pid"
    if ((keep)); then log "kept $work"; else rm -rf "$work"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    local p i
    for ((i = 0; i < 100; i++)); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/$host/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    die "found no free port on $host"
}

"$javac" -d "$work/classes" src/test/benchmark/SmallRequests.java src/test/benchmark/ManyComputers.java
generator=("$JAVA" -Xmx2g -cp "$work/classes")

# ------------------------------------------------------------------------------------------ nginx
if ((do_nginx)); then
    ng=$work/nginx
    mkdir -p "$ng"/{www,body,proxy,fastcgi,uwsgi,scgi}
    nginx_port=$(free_port)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$host" \
        -addext "subjectAltName=IP:$host" -keyout "$ng/key.pem" -out "$ng/cert.pem" 2>/dev/null
    cp "$ng/cert.pem" "$ng/ca.pem" # the load generator trusts it as its CA
    user_line=
    if ((EUID == 0)); then
        user_line="user nobody $(id -gn nobody);"
        chmod 711 "$work" "$ng"
        chown nobody "$ng/www" "$ng/body"
    fi
    # As benchmark.sh, with room for every computer's connection (worker_connections counts both ends of none
    # here: one per client connection).
    cat >"$ng/nginx.conf" <<EOF
$user_line
daemon off;
master_process on;
worker_processes 2;
worker_rlimit_nofile 8192;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 2048; }
http {
    access_log off;
    client_body_temp_path $ng/body;
    proxy_temp_path $ng/proxy;
    fastcgi_temp_path $ng/fastcgi;
    uwsgi_temp_path $ng/uwsgi;
    scgi_temp_path $ng/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000;
    server {
        listen $host:$nginx_port ssl backlog=1024;
        ssl_certificate $ng/cert.pem;
        ssl_certificate_key $ng/key.pem;
        ssl_protocols TLSv1.3;
        root $ng/www;
        location / {
            dav_methods PUT;
            dav_access user:rw;
            client_max_body_size 0;
        }
    }
}
EOF
    nginx -p "$ng/" -c "$ng/nginx.conf" -e "$ng/error.log" &
    nginx_pid=$!
    for ((i = 0; i < 50; i++)); do
        kill -0 "$nginx_pid" 2>/dev/null || { cat "$ng/error.log" >&2; die "nginx did not start"; }
        curl -s -o /dev/null --cacert "$ng/cert.pem" "https://$host:$nginx_port/" && break
        sleep 0.2
    done
    ((i < 50)) || die "nginx did not answer within 10 s"
    nginx_pids=$nginx_pid
    for w in $(pgrep -P "$nginx_pid"); do nginx_pids+=",$w"; done
    log "nginx on https://$host:$nginx_port (processes $nginx_pids)"
fi

# -------------------------------------------------------------------------------------------- smp
if ((do_smp)); then
    smp_port=$(free_port)
    smp_base="https://$host:$smp_port"
    # What a deployment for this many computers at once sets: a client slot in the storage folder for every
    # association with a requested capture or a store not yet deleted. The transfers at once
    # (smp.transfers.max-concurrent) are left to their default, derived from the heap, unless SMP_ARGS says otherwise:
    # the table shows what that refuses.
    smp_props=("--smp.storage.folders[0].location=$work/smp-data/stores" "--smp.storage.folders[0].max-clients=$((2 * max_n + warmup))")
    log "starting smp (-Xmx$SMP_XMX ${SMP_JAVA_OPTS:-} ${smp_props[*]} ${SMP_ARGS:-}) on $smp_base"
    # shellcheck disable=SC2086 # SMP_JAVA_OPTS and SMP_ARGS hold several words
    "$JAVA" "-Xmx$SMP_XMX" ${SMP_JAVA_OPTS:-} -jar "$SMP_JAR" --smp.data-dir="$work/smp-data" --server.address=$host \
        --server.port="$smp_port" "${smp_props[@]}" ${SMP_ARGS:-} >"$work/smp.log" 2>&1 &
    smp_pid=$!
    for ((i = 0; i < 360; i++)); do
        kill -0 "$smp_pid" 2>/dev/null || { tail -n 50 "$work/smp.log" >&2; die "smp exited during start"; }
        [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$smp_base/actuator/health" || true) == 200 ]] && break
        sleep 0.5
    done
    ((i < 360)) || { tail -n 50 "$work/smp.log" >&2; die "smp did not become healthy"; }
    log "smp is up after about $((i / 2)) s; $(grep -o 'At most [0-9]* state store transfers at once' "$work/smp.log" || echo 'transfer limit not logged')"
    for ((i = 0; i < 60; i++)); do [[ -s $work/smp-data/initial-admin-password ]] && break; sleep 0.5; done
    head -n 1 "$work/smp-data/initial-admin-password" | tr -d '\r\n' >"$work/admin-password"
    chmod 600 "$work/admin-password"
    # a server identity for the load generator's warm-up of its own TLS (a client certificate cannot serve)
    mkdir -p "$work/clients/loopback"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$host" \
        -keyout "$work/clients/loopback/key.pem" -out "$work/clients/loopback/cert.pem" 2>/dev/null
    cp "$work/clients/loopback/cert.pem" "$work/clients/loopback/ca.pem"
    log "making $total pairs of keys and CSRs"
    for ((i = 0; i < total; i++)); do
        for side in "" /destination; do
            d=$work/clients/c$i$side
            mkdir -p "$d"
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=x" \
                -keyout "$d/key.pem" -out "$d/csr.pem" 2>/dev/null
        done
    done
    log "creating $total associations and enrolling $((2 * total)) computers"
    t0=$(date +%s)
    "${generator[@]}" SmallRequests setup "$smp_base" "$work/admin-password" "$work/clients" "$total"
    log "setup took $(($(date +%s) - t0)) s"
fi

# ------------------------------------------------------------------------------------------ run
rows=() failed=0
measure() { # label mode args... -> appends the two phases' rows
    local label=$1 out kv line
    shift
    out=$("${generator[@]}" ManyComputers "$@" 2>"$work/errors.txt") || { cat "$work/errors.txt" >&2; die "the load generator failed"; }
    [[ ! -s $work/errors.txt ]] || cat "$work/errors.txt" >&2
    while read -r line; do
        [[ -n $line ]] || continue
        log "$label: $line"
        declare -A r=()
        for kv in $line; do r[${kv%%=*}]=${kv#*=}; done
        ((r[errors] == 0)) || failed=1
        rows+=("${r[n]}|$label|${r[phase]}|${r[mb_per_s]}|${r[seconds]}|${r[transfer_p50_s]} / ${r[transfer_max_s]}|${r[refused]} ${r[refusals]}|${r[errors]}|${r[server_cpu_s]}|${r[peak_rss_mib]}|${r[heap_after_mib]}|${r[load_start]} / ${r[load_end]}")
        unset r
    done <<<"$out"
}

warm_up() { # mode args... -> runs the warm-up, unreported, and stops on any failed transfer
    local out
    out=$("${generator[@]}" ManyComputers "$@" 2>"$work/errors.txt") || { cat "$work/errors.txt" >&2; die "the warm-up failed"; }
    if grep -qv ' errors=0 ' <<<"$out"; then cat "$work/errors.txt" >&2; die "the warm-up had failed transfers: $out"; fi
}

first=0
if ((do_nginx)); then
    log "warm-up: $warmup at once on nginx"
    warm_up nginx "https://$host:$nginx_port" "$ng" 0 "$warmup" "$size_bytes" "$nginx_pids" "$ng/www"
fi
if ((do_smp)); then
    log "warm-up: $warmup at once on smp"
    warm_up smp "$smp_base" "$work/clients" 0 "$warmup" "$size_bytes" "$smp_pid" "$work/admin-password"
fi
first=$warmup
for n in "${ns[@]}"; do
    if ((do_nginx)); then
        log "N = $n: nginx"
        measure nginx nginx "https://$host:$nginx_port" "$ng" "$first" "$n" "$size_bytes" "$nginx_pids" "$ng/www"
    fi
    if ((do_smp)); then
        log "N = $n: smp"
        measure smp smp "$smp_base" "$work/clients" "$first" "$n" "$size_bytes" "$smp_pid" "$work/admin-password"
        kill -0 "$smp_pid" 2>/dev/null || die "smp is gone"
    fi
    first=$((first + n))
done
oom=0
if ((do_smp)); then oom=$(grep -c 'OutOfMemoryError' "$work/smp.log" || true); fi
((oom == 0)) || failed=1

report() {
    local n label phase put row ratio
    echo "Many computers at once: N captures, then N restores, of $size_mib MiB each over HTTPS, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), disk $(df --output=source,fstype "$work" | tail -n 1 | awk '{ print $1 " (" $2 ")" }'), kernel $(uname -r)"
    ((!do_nginx)) || echo "- nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //'), 2 workers, TLS 1.3, WebDAV PUT; the capture phase ends after an fsync of the stored files and their folder"
    ((!do_smp)) || echo "- smp: $("$JAVA" -version 2>&1 | head -n 1), -Xmx$SMP_XMX ${SMP_JAVA_OPTS:-}, storage folder max-clients $((2 * max_n + warmup)) ${SMP_ARGS:-}; $(grep -o 'At most [0-9]* state store transfers at once' "$work/smp.log" || true); OutOfMemoryErrors in its log: $oom"
    echo "- client: ManyComputers.java on the same cores, JDK TLS, one thread and connection per computer, the same random bytes for every computer, each answer's SHA-256 checked; a 503 with Retry-After is waited out and tried again (counted as refused)"
    echo "- seconds: from the moment all N computers hold their token (smp) or connection (nginx) to the last one done (smp: upload or download and release); MB/s = N x $size_bytes bytes / seconds / 10^6"
    echo "- server CPU: user + system of the server's processes over the phase; peak RSS: VmHWM over the phase (reset before it); heap: in use after the phase (jcmd GC.heap_info)"
    echo
    echo "| N | server | phase | aggregate MB/s | s | per transfer s p50 / max | refused (503, retried) | errors | server CPU s | peak RSS MiB | heap after MiB | load start / end |"
    echo "|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|"
    for row in "${rows[@]}"; do
        IFS='|' read -r -a f <<<"$row"
        echo "| ${f[0]} | ${f[1]} | ${f[2]} | ${f[3]} | ${f[4]} | ${f[5]} | ${f[6]} | ${f[7]} | ${f[8]} | ${f[9]} | ${f[10]} | ${f[11]} |"
    done
    if ((do_nginx && do_smp)); then
        echo
        echo "| N | capture smp / nginx | restore smp / nginx |"
        echo "|---:|---:|---:|"
        for n in "${ns[@]}"; do
            ratio=()
            for phase in capture restore; do
                ratio+=("$(printf '%s\n' "${rows[@]}" | awk -F'|' -v n="$n" -v p="$phase" '
                    $1 == n && $3 == p && $2 == "smp" { s = $4 } $1 == n && $3 == p && $2 == "nginx" { g = $4 }
                    END { if (g > 0) printf "%.2f%s", s / g, (s / g >= 0.9 ? "" : " (below 0.9)") }')")
            done
            echo "| $n | ${ratio[0]} | ${ratio[1]} |"
        done
    fi
}
report | tee target/benchmark/many-computers.md
log "table written to target/benchmark/many-computers.md"
exit "$failed"
