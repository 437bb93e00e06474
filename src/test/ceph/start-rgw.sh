#!/usr/bin/env bash
# Starts a one-node Ceph for the S3 tests: a monitor, one OSD keeping its data in memory (memstore) and the RADOS
# gateway (beast frontend) on 127.0.0.1, with authentication off inside the cluster and one S3 user. Everything the
# run writes (configuration, data, logs, sockets, pid files) stays inside the working directory; a previous run left
# there is stopped and wiped first. Needs the Debian packages radosgw, ceph-mon and ceph-osd; no systemd.
#
#   start-rgw.sh --dir DIR --mon-port PORT --rgw-port PORT --osd-ports MIN-MAX --access-key KEY --secret-key SECRET
#
# The OSD binds four ports, all inside --osd-ports (a range of at least 8 free ports). Stop it with stop-rgw.sh DIR.
set -euo pipefail

usage() {
	echo "usage: $0 --dir DIR --mon-port PORT --rgw-port PORT --osd-ports MIN-MAX --access-key KEY --secret-key SECRET" >&2
	exit 2
}

dir='' mon_port='' rgw_port='' osd_ports='' access_key='' secret_key=''
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case "$1" in
		--dir) dir=$2 ;;
		--mon-port) mon_port=$2 ;;
		--rgw-port) rgw_port=$2 ;;
		--osd-ports) osd_ports=$2 ;;
		--access-key) access_key=$2 ;;
		--secret-key) secret_key=$2 ;;
		*) usage ;;
	esac
	shift 2
done
[ -n "$dir" ] && [ -n "$access_key" ] && [ -n "$secret_key" ] || usage
[[ $mon_port =~ ^[0-9]+$ && $rgw_port =~ ^[0-9]+$ && $osd_ports =~ ^[0-9]+-[0-9]+$ ]] || usage
osd_port_min=${osd_ports%-*}
osd_port_max=${osd_ports#*-}
[ $((osd_port_max - osd_port_min)) -ge 7 ] || { echo "--osd-ports needs at least 8 ports" >&2; exit 2; }

for tool in monmaptool ceph-mon ceph-osd ceph radosgw radosgw-admin; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$tool is missing (apt-get install radosgw ceph-mon ceph-osd)" >&2; exit 3; }
done

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# admin sockets are Unix sockets: their path must stay under 108 bytes
[ ${#dir} -le 80 ] || { echo "The working directory's path is too long for Ceph's admin sockets: $dir" >&2; exit 2; }

"$here/stop-rgw.sh" "$dir"
rm -rf "${dir:?}/ceph.conf" "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run" "$dir/log" "$dir/crash" "$dir/tmp"
mkdir -p "$dir/mon" "$dir/osd/ceph-0" "$dir/rgw" "$dir/run" "$dir/log" "$dir/crash" "$dir/tmp"

conf=$dir/ceph.conf
cat >"$conf" <<CONF
[global]
fsid = $(cat /proc/sys/kernel/random/uuid)
mon_host = v2:127.0.0.1:$mon_port
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_msgr2 = true
ms_bind_port_min = $osd_port_min
ms_bind_port_max = $osd_port_max
# no cephx; with auth off, every connection mode must be crc, or radosgw waits 300 s on
# "get_initial_auth_request returned -13"
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_cluster_mode = crc
ms_service_mode = crc
ms_client_mode = crc
ms_mon_cluster_mode = crc
ms_mon_service_mode = crc
ms_mon_client_mode = crc
# everything inside the working directory
run_dir = $dir/run
pid_file = $dir/run/\$name.pid
log_file = $dir/log/\$name.log
mon_cluster_log_file = $dir/log/cluster.log
crash_dir = $dir/crash
tmp_dir = $dir/tmp
keyring = $dir/keyring
mon_data = $dir/mon/\$cluster-\$id
osd_data = $dir/osd/\$cluster-\$id
rgw_data = $dir/rgw
# one OSD holding its data in memory, pools of one copy, no mgr
osd_objectstore = memstore
memstore_device_bytes = 1073741824
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0

[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
# a short socket name (the default adds the pid and a context id), so that the path stays under 108 bytes
admin_socket = $dir/run/\$name.asok
CONF
export CEPH_CONF=$conf
ceph_cli=(timeout 30 ceph --connect-timeout 20)

fail() {
	echo "Ceph RGW did not start: $1" >&2
	for log in "$dir"/log/*.log; do
		[ -f "$log" ] || continue
		echo "--- last lines of $log" >&2
		tail -n 15 "$log" >&2
	done
	"$here/stop-rgw.sh" "$dir" || true
	exit 1
}
trap 'fail "a command failed (line $LINENO)"' ERR

# waits up to $1 seconds until the command after it succeeds
await() {
	local seconds=$1
	shift
	local deadline=$((SECONDS + seconds))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.5
	done
}

# whether the gateway answers an anonymous ListBuckets with 200 (bash alone: no HTTP client needed)
s3_answers() {
	timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3 \
		&& head -n 1 <&3 | grep -q "^HTTP/1.1 200"' _ "$rgw_port"
}

started=$SECONDS
monmaptool --create --fsid "$(awk '/^fsid/ {print $3}' "$conf")" --addv a "[v2:127.0.0.1:$mon_port]" \
	"$dir/tmp/monmap" >"$dir/log/setup.log" 2>&1
ceph-mon --mkfs -i a --monmap "$dir/tmp/monmap" >>"$dir/log/setup.log" 2>&1
ceph-mon -i a >>"$dir/log/setup.log" 2>&1
await 30 "${ceph_cli[@]}" mon stat || fail "the monitor does not answer on 127.0.0.1:$mon_port"

osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$("${ceph_cli[@]}" osd new "$osd_uuid")
[ "$osd_id" = 0 ] || fail "a fresh cluster gave the OSD id $osd_id"
ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$dir/log/setup.log" 2>&1
# placed before it starts, so that the layout does not depend on the host name the OSD would place itself under
"${ceph_cli[@]}" osd crush add osd.0 1.0 host=localhost root=default >>"$dir/log/setup.log" 2>&1
ceph-osd -i 0 >>"$dir/log/setup.log" 2>&1
await 60 bash -c "timeout 10 ceph --connect-timeout 5 osd dump | grep -q '^osd.0 up'" || fail "the OSD does not come up"

radosgw -n client.rgw.a >>"$dir/log/setup.log" 2>&1
# the user, with the test credentials given above (its answer, which repeats them, is not kept)
await 60 timeout 30 radosgw-admin user create --uid=smp-test --display-name="smp tests" \
	--access-key="$access_key" --secret-key="$secret_key" || fail "radosgw-admin cannot create the S3 user"
# anonymous ListBuckets answers 200 once the gateway serves S3
await 90 s3_answers || fail "the gateway does not answer on 127.0.0.1:$rgw_port"
echo "Ceph RGW answers S3 on http://127.0.0.1:$rgw_port (started in $((SECONDS - started)) s; data, logs and pid files in $dir)"
