#!/usr/bin/env bash
# Side-by-side HTTPS benchmark: smp capture and restore of one blob against nginx doing a plain WebDAV PUT
# to disk and a GET of the same file, on this machine, in the same run, with curl as the client for both.
# smp is measured twice: with a storage folder, and with an S3 location served by s3proxy (filesystem
# backend) on the same machine and disk.
#
#   bash src/test/benchmark/benchmark.sh [options] [size-in-MiB]      (default size: 1024)
#
# Everything listens on 127.0.0.1 only and lives in a temporary folder under target/benchmark/, which is
# removed on exit together with every process the script started. The results table is printed and
# written to target/benchmark/results.md. See docs/benchmarks.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bash src/test/benchmark/benchmark.sh [--cases LIST] [--nginx-only] [--runs N] [--install] [--keep] [size-in-MiB]

  size-in-MiB   size of the random test file (default 1024)
  --cases LIST  which cases to measure, comma-separated, in this order whatever LIST's order
                (default nginx,folder,s3):
                  nginx   nginx, WebDAV PUT to disk and GET
                  folder  smp with a storage folder
                  s3      smp with an S3 location on s3proxy (filesystem backend, same machine and disk)
  --nginx-only  the same as --cases nginx
  --runs N      repeat each measurement N times (default 1); with N > 1 a median row is added
  --install     install nginx-light with apt-get if nginx is missing (root only)
  --keep        keep the temporary folder (logs, configuration) instead of removing it

environment:
  JAVA     java command for smp (default: java)
  SMP_JAVA_OPTS  extra JVM options for smp, e.g. to profile it with -XX:StartFlightRecording
  SMP_JAR  smp jar (default: target/smp.jar; built with "mvn -q -B -DskipTests package" if missing)
  S3PROXY_JAR  s3proxy jar for the s3 case (default: target/s3proxy.jar; copied from the local Maven
               repository with "mvn -q -B dependency:copy@s3proxy" if missing)
EOF
}

log() { printf '[benchmark] %s\n' "$*" >&2; }
die() { printf '[benchmark] error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

size_mib=1024
runs=1
cases=nginx,folder,s3
install=0
keep=0
while (($#)); do
    case $1 in
        --nginx-only) cases=nginx ;;
        --cases) (($# >= 2)) || die "--cases needs a list"; cases=$2; shift ;;
        --cases=*) cases=${1#--cases=} ;;
        --install) install=1 ;;
        --keep) keep=1 ;;
        --runs) (($# >= 2)) || die "--runs needs a number"; runs=$2; shift ;;
        --runs=*) runs=${1#--runs=} ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        *) size_mib=$1 ;;
    esac
    shift
done
[[ $size_mib =~ ^[1-9][0-9]{0,6}$ ]] || die "size must be a whole number of MiB, got '$size_mib'"
[[ $runs =~ ^[1-9][0-9]?$ ]] || die "--runs must be between 1 and 99, got '$runs'"
case_nginx=0 case_folder=0 case_s3=0
IFS=',' read -r -a case_list <<<"$cases"
for c in "${case_list[@]}"; do
    case $c in
        nginx) case_nginx=1 ;;
        folder) case_folder=1 ;;
        s3) case_s3=1 ;;
        *) die "unknown case '$c' in --cases (known: nginx, folder, s3)" ;;
    esac
done
((case_nginx + case_folder + case_s3 > 0)) || die "--cases names no case"
any_smp=$((case_folder || case_s3))

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo_root"

readonly host=127.0.0.1
readonly size_bytes=$((size_mib * 1024 * 1024))
# Bounds: no transfer may take longer than this (at least 1 MiB/s plus two minutes), no start longer
# than start_timeout seconds.
readonly transfer_timeout=$((120 + size_mib))
readonly start_timeout=180
JAVA=${JAVA:-java}
SMP_JAR=${SMP_JAR:-target/smp.jar}
S3PROXY_JAR=${S3PROXY_JAR:-target/s3proxy.jar}
# s3proxy's heap: it streams bodies between Jetty and its files, so a small heap does (the tests use the same).
readonly s3proxy_xmx=256m

# ---------------------------------------------------------------------------------------------- tools
nginx_hint="nginx is not installed. Install it with:  apt-get install -y nginx-light   (as root)
or run this script as root with --install. Note that Debian's package also starts its default site
on port 80; 'systemctl disable --now nginx' stops that one. This benchmark runs its own instance."

if ((case_nginx)) && ! have nginx && [[ -x /usr/sbin/nginx ]]; then PATH=$PATH:/usr/sbin; fi
if ((case_nginx)) && ! have nginx; then
    if ((install)); then
        ((EUID == 0)) || die "--install needs root; run: sudo apt-get install -y nginx-light"
        log "installing nginx-light with apt-get"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light
        PATH=$PATH:/usr/sbin
        have nginx || die "nginx still not found after installing nginx-light"
        log "note: Debian may have started its default nginx site on port 80 ('systemctl disable --now nginx' stops it)"
    else
        printf '%s\n' "$nginx_hint" >&2
        exit 1
    fi
fi
if ((case_nginx)); then
    nginx -V 2>&1 | grep -q -- '--with-http_dav_module' || die "this nginx has no WebDAV module; install nginx-light"
fi
for tool in curl openssl sha256sum awk dd df; do
    have "$tool" || die "$tool is required"
done
if ((any_smp)); then
    have "$JAVA" || die "java ($JAVA) is required for smp (or use --cases nginx)"
    if have jq; then json_tool=jq
    elif have python3; then json_tool=python3
    else die "jq or python3 is required to read smp's JSON (or use --cases nginx)"
    fi
fi
if ((case_s3)); then
    # the bucket is created with an AWS Signature V4 request, which curl signs itself since 7.75
    curl --help all 2>/dev/null | grep -q -- '--aws-sigv4' ||
        die "the s3 case needs a curl with --aws-sigv4 (7.75 or later), or leave it out with --cases nginx,folder"
fi

# ------------------------------------------------------------------------------------ work folder
mkdir -p target/benchmark
work=$(mktemp -d "$repo_root/target/benchmark/run.XXXXXX")
nginx_pid=
smp_pid=
s3proxy_pid=

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
    stop_process "$s3proxy_pid"
    stop_process "$nginx_pid"
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

# Each server half needs the input, the stored copy and the downloaded copy; keep 2 GiB above that
# (smp keeps a minimum of free space in its storage folder). s3proxy's filesystem backend keeps the parts of
# a multipart upload until it has joined them into the object: one more copy for the s3 case.
avail=$(df --output=avail -B1 "$work" | tail -n 1 | tr -d ' ')
need=$(((3 + case_s3) * size_bytes + 2 * 1024 * 1024 * 1024))
((avail >= need)) || die "not enough free space under target/benchmark: need $((need >> 20)) MiB, have $((avail >> 20)) MiB"

# --------------------------------------------------------------------------------------- helpers
now_ns() { date +%s%N; }
mb_per_s() { awk -v b="$1" -v ns="$2" 'BEGIN { printf "%.0f", b * 1000 / ns }'; } # bytes, ns -> 10^6 B/s
seconds() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
sha256_hex() { sha256sum "$1" | awk '{ print $1 }'; }

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

cpu_ticks() { # pids... -> user+system clock ticks of all of them
    local pid total=0 stat
    local -a f
    for pid in "$@"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a f <<<"${stat##*) }"
        total=$((total + f[11] + f[12]))
    done
    echo "$total"
}
client_ticks() { # -> user+system clock ticks of this script's children that have ended (curl, once it has)
    local stat
    local -a f
    stat=$(cat "/proc/$$/stat")
    read -r -a f <<<"${stat##*) }"
    echo $((f[13] + f[14]))
}
ticks_to_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'; }

child_pids() { # pid -> its direct children
    local stat rest ppid
    for stat in /proc/[0-9]*/stat; do
        rest=$(cat "$stat" 2>/dev/null) || continue
        rest=${rest##*) }
        read -r _ ppid _ <<<"$rest"
        [[ $ppid == "$1" ]] && basename "$(dirname "$stat")"
    done
    return 0
}

peak_rss_mib() { # pids... -> sum of VmHWM in MiB
    local pid kb total=0
    for pid in "$@"; do
        kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || kb=0
        total=$((total + ${kb:-0}))
    done
    echo $((total / 1024))
}

tls_session() { # curl TLS arguments..., URL -> "TLSv1.3 / TLS_AES_256_GCM_SHA384"
    curl -v -sS --http1.1 --connect-timeout 10 --max-time 30 -o /dev/null "$@" 2>&1 |
        sed -n 's/^\* SSL connection using //p' | head -n 1
}

# Common curl options for the timed transfers, the same for both servers. HTTP/1.1 for both (nginx here
# has no HTTP/2; smp might), and no "Expect: 100-continue" round trip before the body.
curl_xfer=(curl -sS --http1.1 --connect-timeout 10 --max-time "$transfer_timeout" -H 'Expect:')

rows=() # "server|run|put MB/s|get MB/s|put s|get s|peak RSS MiB|cpu put s|cpu get s|client cpu put s|client cpu get s|s3proxy cpu put s|s3proxy cpu get s"

# ---------------------------------------------------------------------------------- the test file
rm -f target/benchmark/results.md
load=$(cut -d ' ' -f 1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
    log "note: load average is $load; other work on this machine lowers and scatters the figures"
fi
blob=$work/blob.bin
log "making a random file of $size_mib MiB"
dd if=/dev/zero bs=1M count="$size_mib" status=none |
    openssl enc -aes-128-ctr -K "$(openssl rand -hex 16)" -iv "$(openssl rand -hex 16)" -out "$blob"
(($(stat -c %s "$blob") == size_bytes)) || die "test file has the wrong size"
blob_sha=$(sha256_hex "$blob")
blob_sha_b64=$(openssl dgst -sha256 -binary "$blob" | openssl base64 -A)

# ------------------------------------------------------------------------------------------ nginx
run_nginx() {
    local ng=$work/nginx port user_line=
    mkdir -p "$ng"/{www,body,proxy,fastcgi,uwsgi,scgi}
    port=$(free_port)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj "/CN=$host" -addext "subjectAltName=IP:$host" \
        -keyout "$ng/key.pem" -out "$ng/cert.pem" 2>/dev/null
    if ((EUID == 0)); then
        # The workers run as nobody: let them through the folders, and write where they must only.
        user_line="user nobody $(id -gn nobody);"
        chmod 711 "$work" "$ng"
        chown nobody "$ng/www" "$ng/body"
    fi
    cat >"$ng/nginx.conf" <<EOF
$user_line
daemon off;
master_process on;
worker_processes 2;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $ng/body;
    proxy_temp_path $ng/proxy;
    fastcgi_temp_path $ng/fastcgi;
    uwsgi_temp_path $ng/uwsgi;
    scgi_temp_path $ng/scgi;
    sendfile on;
    tcp_nopush on;
    server {
        listen $host:$port ssl;
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
    log "starting nginx on https://$host:$port"
    nginx -p "$ng/" -c "$ng/nginx.conf" -e "$ng/error.log" &
    nginx_pid=$!
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$nginx_pid" 2>/dev/null || { cat "$ng/error.log" >&2; die "nginx did not start"; }
        curl -s -o /dev/null --cacert "$ng/cert.pem" "https://$host:$port/" && break
        sleep 0.2
    done
    ((i < 50)) || die "nginx did not answer within 10 s"
    local workers
    mapfile -t workers < <(child_pids "$nginx_pid")
    ((${#workers[@]} > 0)) || die "nginx has no worker processes"
    local tls=(--cacert "$ng/cert.pem")
    nginx_tls=$(tls_session "${tls[@]}" "https://$host:$port/")

    local run code t0 t1 t2 t3 c0 c1 c2 k0 k1 k2 k3 put_ns get_ns out=$work/nginx-out.bin url="https://$host:$port/blob"
    for ((run = 1; run <= runs; run++)); do
        log "nginx run $run/$runs: PUT (then fsync of the file and its folder)"
        c0=$(cpu_ticks "${workers[@]}")
        t0=$(now_ns)
        k0=$(client_ticks)
        code=$("${curl_xfer[@]}" "${tls[@]}" -T "$blob" -H 'Content-Type: application/octet-stream' \
            -o /dev/null -w '%{http_code}' "$url")
        k1=$(client_ticks)
        sync "$ng/www/blob" "$ng/www"
        t1=$(now_ns)
        [[ $code == 201 || $code == 204 ]] || die "nginx PUT answered $code"
        c1=$(cpu_ticks "${workers[@]}")
        log "nginx run $run/$runs: GET"
        t2=$(now_ns)
        k2=$(client_ticks)
        code=$("${curl_xfer[@]}" "${tls[@]}" -o "$out" -w '%{http_code}' "$url")
        k3=$(client_ticks)
        t3=$(now_ns)
        [[ $code == 200 ]] || die "nginx GET answered $code"
        c2=$(cpu_ticks "${workers[@]}")
        [[ $(sha256_hex "$out") == "$blob_sha" ]] || die "nginx: downloaded file differs from the original"
        put_ns=$((t1 - t0))
        get_ns=$((t3 - t2))
        rows+=("nginx|$run|$(mb_per_s "$size_bytes" "$put_ns")|$(mb_per_s "$size_bytes" "$get_ns")|$(seconds "$put_ns")|$(seconds "$get_ns")|$(peak_rss_mib "$nginx_pid" "${workers[@]}")|$(ticks_to_s $((c1 - c0)))|$(ticks_to_s $((c2 - c1)))|$(ticks_to_s $((k1 - k0)))|$(ticks_to_s $((k3 - k2)))")
        rm -f "$out" "$ng/www/blob"
    done
    stop_process "$nginx_pid"
    nginx_pid=
    rm -rf "$ng/www" "$ng/body"
}

# -------------------------------------------------------------------------------------------- smp
json_get() { # key file -> the string or number at that top-level key (empty if absent)
    if [[ $json_tool == jq ]]; then
        jq -r --arg k "$1" '.[$k] // empty' "$2"
    else
        python3 -c 'import json, sys
v = json.load(open(sys.argv[2])).get(sys.argv[1])
print("" if v is None else v)' "$1" "$2"
    fi
}

enrollment_body() { # code csr-file -> JSON
    if [[ $json_tool == jq ]]; then
        jq -n --arg code "$1" --rawfile csr "$2" '{code: $code, csr: $csr}'
    else
        python3 -c 'import json, sys
print(json.dumps({"code": sys.argv[1], "csr": open(sys.argv[2]).read()}))' "$1" "$2"
    fi
}

smp_base=
smp_server_tls=(-k) # until the client CA is known
smp_api=(curl -sS --http1.1 --connect-timeout 10 --max-time 60)

smp_admin() { # method path body-or-empty out-file -> HTTP status; HTTP Basic as admin
    local body=()
    [[ -z $3 ]] || body=(-H 'Content-Type: application/json' --data-binary "$3")
    "${smp_api[@]}" -k -K "$work/admin.curlrc" -X "$1" "${body[@]}" -o "$4" -w '%{http_code}' "$smp_base$2"
}

smp_client() { # identity method path body out-file [curl args...] -> HTTP status; mutual TLS
    local id=$work/$1 method=$2 path=$3 json=$4 out=$5
    shift 5
    "${smp_api[@]}" "${smp_server_tls[@]}" --cert "$id/cert.pem" --key "$id/key.pem" -X "$method" \
        -H 'Content-Type: application/json' --data-binary "$json" -o "$out" -w '%{http_code}' "$@" \
        "$smp_base$path"
}

expect_status() { # what got expected... ; dies with the answer's body unless got is one of expected
    local what=$1 got=$2 out=$3
    shift 3
    local e
    for e in "$@"; do [[ $got == "$e" ]] && return 0; done
    log "$what answered HTTP $got:"
    head -c 2000 "$out" >&2 || true
    echo >&2
    die "$what failed"
}

loopback_url() { # storeUrl (absolute or a path) -> the same path on https://127.0.0.1:port
    local u=$1 rest
    case $u in
        https://*)
            rest=${u#https://}
            [[ $rest == */* ]] && echo "$smp_base/${rest#*/}" || echo "$smp_base/"
            ;;
        /*) echo "$smp_base$u" ;;
        *) die "unexpected storeUrl: $u" ;;
    esac
}

smp_enroll() { # computer-name identity-dir
    local name=$1 id=$work/$2 code
    mkdir -p "$id"
    code=$(smp_admin POST "/api/v1/computers/$name/enrollment-codes" '{}' "$id/code.json")
    expect_status "enrollment code for $name" "$code" "$id/code.json" 201
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
        -keyout "$id/key.pem" -out "$id/csr.pem" 2>/dev/null
    chmod 600 "$id/key.pem"
    enrollment_body "$(json_get code "$id/code.json")" "$id/csr.pem" >"$id/enroll-request.json"
    code=$("${smp_api[@]}" "${smp_server_tls[@]}" -X POST -H 'Content-Type: application/json' \
        --data-binary "@$id/enroll-request.json" -o "$id/enroll.json" -w '%{http_code}' "$smp_base/api/v1/enrollment")
    expect_status "enrollment of $name" "$code" "$id/enroll.json" 201
    json_get certificate "$id/enroll.json" >"$id/cert.pem"
    json_get caCertificate "$id/enroll.json" >"$id/ca.pem"
    grep -q 'BEGIN CERTIFICATE' "$id/cert.pem" || die "enrollment of $name returned no certificate"
}

smp_request_store() { # identity operation -> sets store_token and store_url
    local id=$1 code out=$work/$1/request-$2.json
    code=$(smp_client "$id" POST /api/v1/mp/request-state-store "{\"operation\":\"$2\"}" "$out")
    expect_status "request-state-store $2" "$code" "$out" 200
    store_token=$(json_get token "$out")
    store_url=$(loopback_url "$(json_get storeUrl "$out")")
    [[ -n $store_token ]] || die "request-state-store $2 returned no token"
    # The token goes to curl through a private config file, not the command line.
    printf 'header = "Authorization: Bearer %s"\n' "$store_token" >"$work/$id/bearer.curlrc"
    chmod 600 "$work/$id/bearer.curlrc"
}

smp_release() { # identity
    local id=$1 code out=$work/$1/release.json
    code=$(smp_client "$id" POST /api/v1/mp/release-state-store '{"success":true}' "$out" -K "$work/$id/bearer.curlrc")
    expect_status "release-state-store ($id)" "$code" "$out" 200 204
}

# ---------------------------------------------------------------------------------------- s3proxy
s3_request() { # method path -> HTTP status; signed with AWS Signature V4 by curl, answer in s3proxy/answer.xml
    # no body: the payload hash is that of nothing, given here since curl 7.88 does not send it
    curl -sS --connect-timeout 5 --max-time 30 --aws-sigv4 "aws:amz:$s3_region:s3" -K "$work/s3proxy/aws.curlrc" \
        -X "$1" -H 'Content-Length: 0' -H "x-amz-content-sha256: $(printf '' | sha256_hex -)" -o "$work/s3proxy/answer.xml" -w '%{http_code}' "$s3_endpoint$2" 2>/dev/null || true
}

start_s3proxy() { # sets s3proxy_pid, s3_endpoint, s3_data and the credentials, and creates the bucket
    local dir=$work/s3proxy port i code
    if [[ ! -f $S3PROXY_JAR ]]; then
        [[ $S3PROXY_JAR == target/s3proxy.jar ]] || die "no s3proxy jar at $S3PROXY_JAR"
        have mvn || die "target/s3proxy.jar is missing and mvn is not installed to fetch it"
        log "copying s3proxy to target/s3proxy.jar (mvn -q -B dependency:copy@s3proxy)"
        mvn -q -B dependency:copy@s3proxy
        [[ -f $S3PROXY_JAR ]] || die "the build made no target/s3proxy.jar"
    fi
    if have unzip; then
        s3proxy_version=$(unzip -p "$S3PROXY_JAR" META-INF/MANIFEST.MF | tr -d '\r' | sed -n 's/^Implementation-Version: //p')
    fi
    s3proxy_version=${s3proxy_version:-version unknown}
    port=$(free_port)
    s3_endpoint="http://$host:$port"
    s3_data=$dir/data
    s3_secret=$(openssl rand -hex 20)
    mkdir -p "$s3_data"
    # The secret stays in files of the work folder only: s3proxy's properties, curl's config, smp's properties.
    (umask 077 && cat >"$dir/s3proxy.conf" <<EOF
s3proxy.endpoint=$s3_endpoint
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$s3_identity
s3proxy.credential=$s3_secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$s3_data
EOF
    )
    (umask 077 && printf 'user = "%s:%s"\n' "$s3_identity" "$s3_secret" >"$dir/aws.curlrc")
    log "starting s3proxy ($s3proxy_version, -Xmx$s3proxy_xmx, filesystem backend under the work folder) on $s3_endpoint"
    "$JAVA" "-Xmx$s3proxy_xmx" -jar "$S3PROXY_JAR" --properties "$dir/s3proxy.conf" >"$work/s3proxy.log" 2>&1 &
    s3proxy_pid=$!
    for ((i = 0; i < start_timeout * 2; i++)); do
        kill -0 "$s3proxy_pid" 2>/dev/null || { tail -n 50 "$work/s3proxy.log" >&2; die "s3proxy exited during start"; }
        code=$(s3_request PUT "/$s3_bucket")
        [[ $code == 200 ]] && break
        [[ $code == 000 ]] || { cat "$dir/answer.xml" >&2; die "creating the bucket $s3_bucket answered HTTP $code"; }
        sleep 0.5
    done
    ((i < start_timeout * 2)) || { tail -n 50 "$work/s3proxy.log" >&2; die "s3proxy did not answer within $start_timeout s"; }
    log "s3proxy is up after about $((i / 2)) s, bucket $s3_bucket created"
}

s3_bytes() { # -> bytes of the files under the bucket's folder (objects and unfinished parts)
    find "$s3_data/$s3_bucket" -type f -printf '%s\n' 2>/dev/null | awk '{ t += $1 } END { printf "%.0f\n", t }'
}

# -------------------------------------------------------------------------------------------- smp
readonly s3_bucket=smp-bench s3_identity=smp-bench s3_region=us-east-1
declare -A smp_label=([folder]=smp [s3]="smp S3") smp_rss=() smp_tls=() smp_verified=()
s3_syncs=() # seconds of an fsync of s3proxy's files after each S3 capture, not in the capture time

run_smp() { # case: folder (the default storage folder in the data folder) or s3 (an S3 location on s3proxy)
    local case=$1 jar=$SMP_JAR port data=$work/smp-data i label=${smp_label[$1]}
    local storage_args=() smp_log=$work/smp.log
    if [[ ! -f $jar ]]; then
        [[ $jar == target/smp.jar ]] || die "no jar at $jar"
        have mvn || die "target/smp.jar is missing and mvn is not installed to build it"
        log "building target/smp.jar (mvn -q -B -DskipTests package)"
        mvn -q -B -DskipTests package
        [[ -f $jar ]] || die "the build made no target/smp.jar"
    fi
    java_version=$("$JAVA" -version 2>&1 | head -n 1)
    if [[ $case == s3 ]]; then
        data=$work/smp-s3-data smp_log=$work/smp-s3.log
        start_s3proxy
        # The storage list replaces the default folder with the one S3 location. The capacity is a budget only;
        # the disk below s3proxy was checked above. Credentials go in a private properties file, not the
        # command line.
        (umask 077 && cat >"$work/smp-s3.properties" <<EOF
smp.storage.folders[0].location=s3://$s3_bucket/stores
smp.storage.folders[0].capacity=$((2 * size_mib + 1024))MB
smp.storage.folders[0].max-clients=100
smp.storage.folders[0].s3.endpoint=$s3_endpoint
smp.storage.folders[0].s3.region=$s3_region
smp.storage.folders[0].s3.path-style=true
smp.storage.folders[0].s3.part-checksum=md5
smp.storage.folders[0].s3.access-key-id=$s3_identity
smp.storage.folders[0].s3.secret-access-key=$s3_secret
EOF
        )
        storage_args=(--spring.config.additional-location="file:$work/smp-s3.properties")
    fi
    smp_server_tls=(-k) # a new server has a new CA
    port=$(free_port)
    smp_base="https://$host:$port"
    mkdir -p "$data"
    log "starting smp ($java_version, -Xmx192m, storage: $case) on $smp_base"
    # shellcheck disable=SC2086 # SMP_JAVA_OPTS holds several options
    "$JAVA" -Xmx192m ${SMP_JAVA_OPTS:-} -jar "$jar" --smp.data-dir="$data" --server.address="$host" --server.port="$port" \
        "${storage_args[@]}" >"$smp_log" 2>&1 &
    smp_pid=$!
    for ((i = 0; i < start_timeout * 2; i++)); do
        kill -0 "$smp_pid" 2>/dev/null || { tail -n 50 "$smp_log" >&2; die "smp exited during start"; }
        [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$smp_base/actuator/health" || true) == 200 ]] && break
        sleep 0.5
    done
    ((i < start_timeout * 2)) || { tail -n 50 "$smp_log" >&2; die "smp did not become healthy within $start_timeout s"; }
    log "smp is up after about $((i / 2)) s"
    for ((i = 0; i < 60; i++)); do
        [[ -s $data/initial-admin-password ]] && break
        sleep 0.5
    done
    [[ -s $data/initial-admin-password ]] || die "smp wrote no initial-admin-password in its data folder"

    local password
    password=$(head -n 1 "$data/initial-admin-password" | tr -d '\r\n')
    password=${password//\\/\\\\}
    password=${password//\"/\\\"}
    (umask 077 && printf 'user = "admin:%s"\n' "$password" >"$work/admin.curlrc")

    local run src dst code assoc_id t0 t1 t2 t3 c0 c1 c2 c3 k0 k1 k2 k3 put_ns get_ns out=$work/smp-out.bin
    local p0=0 p1=0 p2=0 p3=0 s3cpu="|" objects sync0 sync1
    local side=() # s3proxy, whose CPU time is counted apart
    [[ $case == s3 ]] && side=("$s3proxy_pid")
    for ((run = 1; run <= runs; run++)); do
        src=BENCH-SRC dst=BENCH-DST
        ((run == 1)) || { src+="-$run"; dst+="-$run"; }
        code=$(smp_admin POST /api/v1/associations \
            "{\"sourceComputer\":\"$src\",\"destinationComputer\":\"$dst\",\"userAccounts\":{\"mode\":\"CAPTURE_ALL_RESTORE_ALL\"}}" \
            "$work/association.json")
        expect_status "creating the association $src -> $dst" "$code" "$work/association.json" 201
        assoc_id=$(json_get id "$work/association.json")
        smp_enroll "$src" source
        smp_enroll "$dst" destination
        if [[ ${smp_server_tls[0]} == -k ]] &&
            curl -sS -o /dev/null --max-time 10 --cacert "$work/source/ca.pem" "$smp_base/actuator/health" 2>/dev/null; then
            smp_server_tls=(--cacert "$work/source/ca.pem")
        fi
        smp_tls[$case]=$(tls_session "${smp_server_tls[@]}" "$smp_base/actuator/health")

        log "$label run $run/$runs: capture (PUT)"
        smp_request_store source CAPTURE
        c0=$(cpu_ticks "$smp_pid")
        ((${#side[@]} == 0)) || p0=$(cpu_ticks "${side[@]}")
        t0=$(now_ns)
        k0=$(client_ticks)
        code=$("${curl_xfer[@]}" "${smp_server_tls[@]}" --cert "$work/source/cert.pem" --key "$work/source/key.pem" \
            -K "$work/source/bearer.curlrc" -H "Repr-Digest: sha-256=:$blob_sha_b64:" \
            -H 'Content-Type: application/octet-stream' -T "$blob" -o "$work/put.json" -w '%{http_code}' "$store_url")
        k1=$(client_ticks)
        t1=$(now_ns)
        c1=$(cpu_ticks "$smp_pid")
        ((${#side[@]} == 0)) || p1=$(cpu_ticks "${side[@]}")
        expect_status "capture upload" "$code" "$work/put.json" 201
        [[ $(json_get sizeBytes "$work/put.json") == "$size_bytes" ]] || die "smp stored a different size: $(cat "$work/put.json")"
        if [[ $case == s3 ]]; then
            # s3proxy's filesystem backend answers without an fsync; what one of its files costs is shown apart.
            mapfile -t objects < <(find "$s3_data/$s3_bucket" -type f)
            sync0=$(now_ns)
            ((${#objects[@]} == 0)) || sync "${objects[@]}"
            sync1=$(now_ns)
            s3_syncs+=("$(seconds $((sync1 - sync0)))")
        fi
        smp_release source

        log "$label run $run/$runs: restore (GET)"
        smp_request_store destination RESTORE
        c2=$(cpu_ticks "$smp_pid")
        ((${#side[@]} == 0)) || p2=$(cpu_ticks "${side[@]}")
        t2=$(now_ns)
        k2=$(client_ticks)
        code=$("${curl_xfer[@]}" "${smp_server_tls[@]}" --cert "$work/destination/cert.pem" --key "$work/destination/key.pem" \
            -K "$work/destination/bearer.curlrc" -o "$out" -w '%{http_code}' "$store_url")
        k3=$(client_ticks)
        t3=$(now_ns)
        c3=$(cpu_ticks "$smp_pid")
        ((${#side[@]} == 0)) || p3=$(cpu_ticks "${side[@]}")
        expect_status "restore download" "$code" "$out" 200
        [[ $(sha256_hex "$out") == "$blob_sha" ]] || die "$label: restored file differs from the original"
        smp_release destination
        put_ns=$((t1 - t0))
        get_ns=$((t3 - t2))
        ((${#side[@]} == 0)) || s3cpu="$(ticks_to_s $((p1 - p0)))|$(ticks_to_s $((p3 - p2)))"
        rows+=("$label|$run|$(mb_per_s "$size_bytes" "$put_ns")|$(mb_per_s "$size_bytes" "$get_ns")|$(seconds "$put_ns")|$(seconds "$get_ns")|$(peak_rss_mib "$smp_pid")|$(ticks_to_s $((c1 - c0)))|$(ticks_to_s $((c3 - c2)))|$(ticks_to_s $((k1 - k0)))|$(ticks_to_s $((k3 - k2)))|$s3cpu")
        rm -f "$out"
        # Free the disk for the next run; the association is restored, so this is an ordinary delete.
        if [[ -n $assoc_id ]]; then
            code=$(smp_admin DELETE "/api/v1/associations/$assoc_id" '' "$work/delete.json")
            [[ $code == 2?? ]] || log "note: deleting association $assoc_id answered HTTP $code"
        fi
        if [[ $case == s3 ]]; then
            log "$label run $run/$runs: $(s3_bytes) bytes left in the bucket after deleting the association"
        fi
    done
    smp_rss[$case]=$(peak_rss_mib "$smp_pid")
    smp_verified[$case]=$([[ ${smp_server_tls[0]} == -k ]] && echo 'not verified (-k)' || echo 'verified against the CA from enrollment')
    stop_process "$smp_pid"
    smp_pid=
    if [[ $case == s3 ]]; then
        s3proxy_rss=$(peak_rss_mib "$s3proxy_pid")
        s3proxy_cpu_total=$(ticks_to_s "$(cpu_ticks "$s3proxy_pid")")
        stop_process "$s3proxy_pid"
        s3proxy_pid=
    fi
}

# ------------------------------------------------------------------------------------------ run
nginx_tls="" java_version="" s3proxy_version="" s3proxy_rss="" s3proxy_cpu_total="" s3_endpoint="" s3_data="" s3_secret=""
((!case_nginx)) || run_nginx
((!case_folder)) || run_smp folder
((!case_s3)) || run_smp s3

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

report() {
    local cpu disk row server run put get puts gets rss cput cpug pcput pcpug column c n m what label
    local servers=()
    ((!case_nginx)) || servers+=(nginx)
    ((!case_folder)) || servers+=("${smp_label[folder]}")
    ((!case_s3)) || servers+=("${smp_label[s3]}")
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    disk=$(df --output=source,fstype "$work" | tail -n 1 | awk '{ print $1 " (" $2 ")" }')
    echo "Benchmark: $size_mib MiB over HTTPS on $host, curl $(curl --version | awk 'NR == 1 { print $2 }'), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores, $cpu, $(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), disk $disk, kernel $(uname -r)"
    echo "- cases: $cases"
    if ((case_nginx)); then
        echo "- nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //'), TLS $nginx_tls"
    else
        echo "- nginx: not measured"
    fi
    for c in folder s3; do
        label=${smp_label[$c]}
        if [[ -n ${smp_rss[$c]:-} ]]; then
            echo "- $label: $java_version, -Xmx192m, TLS ${smp_tls[$c]}, server certificate ${smp_verified[$c]}, peak RSS over the whole run (VmHWM) ${smp_rss[$c]} MiB"
        else
            echo "- $label: not measured"
        fi
    done
    if ((case_s3)); then
        echo "- storage of ${smp_label[s3]}: an S3 location (path-style, part checksum md5, 8 MiB parts) on s3proxy $s3proxy_version over plain HTTP on $host, filesystem-nio2 backend on the same disk, -Xmx$s3proxy_xmx, peak RSS $s3proxy_rss MiB, CPU $s3proxy_cpu_total s over its life"
        echo "- s3proxy shares the $(nproc) cores with smp and curl: its CPU time (own column) competes with theirs, and the S3 figures are smp's S3 path plus s3proxy's cost, not those of a remote S3 service"
        echo "- s3proxy answers without an fsync; an fsync of its files after each capture took $(IFS=','; echo "${s3_syncs[*]}" | sed 's/,/, /g') s (not in the capture time)"
    fi
    echo "- load average at start: $load"
    echo "- MB/s = 10^6 bytes per second; nginx PUT time includes fsync of the file and its folder"
    echo "- server CPU: user + system time of the server's processes over the transfer; client CPU: curl's, which shares the cores (a GET's includes writing the file it receives)"
    echo
    echo "| server | run | PUT / capture MB/s | GET / restore MB/s | PUT s | GET s | server peak RSS MiB | server CPU s PUT / GET | client CPU s PUT / GET | s3proxy CPU s PUT / GET |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${rows[@]}"; do
        IFS='|' read -r server run put get puts gets rss cput cpug kput kget pcput pcpug <<<"$row"
        echo "| $server | $run | $put | $get | $puts | $gets | $rss | $cput / $cpug | $kput / $kget | ${pcput:+$pcput / $pcpug} |"
    done
    if ((runs > 1)); then
        for server in "${servers[@]}"; do
            put=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v s="$server" '$1 == s { print $3 }' | median)
            get=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v s="$server" '$1 == s { print $4 }' | median)
            echo "| $server | median | $put | $get | | | | | | |"
        done
    fi
    # Ratios of the medians: each smp case against nginx, and S3 against the folder.
    ratio() { # numerator-server denominator-server
        local column
        for column in 3 4; do
            n=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v s="$1" -v c="$column" '$1 == s { print $c }' | median)
            m=$(printf '%s\n' "${rows[@]}" | awk -F'|' -v s="$2" -v c="$column" '$1 == s { print $c }' | median)
            what=$([[ $column == 3 ]] && echo 'capture / PUT' || echo 'restore / GET')
            awk -v n="$n" -v m="$m" -v a="$1" -v b="$2" -v what="$what" 'BEGIN { printf "%s / %s, %s: %.2f\n", a, b, what, n / m }'
        done
    }
    ((case_nginx + case_folder + case_s3 < 2)) || echo # any two cases have a ratio
    if ((case_nginx && case_folder)); then ratio "${smp_label[folder]}" nginx; fi
    if ((case_nginx && case_s3)); then ratio "${smp_label[s3]}" nginx; fi
    if ((case_folder && case_s3)); then ratio "${smp_label[s3]}" "${smp_label[folder]}"; fi
}

report | tee "$repo_root/target/benchmark/results.md"
log "table written to target/benchmark/results.md"
