#!/usr/bin/env bash
# Stops the Ceph daemons that start-rgw.sh started in a working directory: those named by its pid files, and any
# other one started with that directory's configuration (a daemon stopped before it wrote its pid file). A process
# counts as one of them only if it runs a Ceph program with CEPH_CONF set to this directory's ceph.conf, as
# start-rgw.sh starts them; nothing else is touched. Their data (memstore: in memory) goes with them; the
# directory's files stay for reading.
#
#   stop-rgw.sh DIR
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
[ -d "$1" ] || exit 0
dir=$(cd "$1" && pwd)
conf=$dir/ceph.conf

ours() {
	{ tr '\0' '\n' <"/proc/$1/environ" | grep -qFx "CEPH_CONF=$conf"; } 2>/dev/null || return 1
	case "$( { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null)" in
		ceph-mon\ *|ceph-osd\ *|radosgw\ *|*/ceph-mon\ *|*/ceph-osd\ *|*/radosgw\ *) return 0 ;;
		*) return 1 ;;
	esac
}

pids=()
for file in "$dir"/run/*.pid; do
	[ -f "$file" ] || continue
	pid=$(tr -dc '0-9' <"$file")
	[ -n "$pid" ] && ours "$pid" && pids+=("$pid")
done
for proc in /proc/[0-9]*; do
	pid=${proc#/proc/}
	[[ " ${pids[*]} " == *" $pid "* ]] && continue
	ours "$pid" && pids+=("$pid")
done
[ ${#pids[@]} -gt 0 ] || exit 0

kill -TERM "${pids[@]}" 2>/dev/null
for _ in $(seq 1 20); do
	alive=()
	for pid in "${pids[@]}"; do
		kill -0 "$pid" 2>/dev/null && alive+=("$pid")
	done
	[ ${#alive[@]} -gt 0 ] || exit 0
	sleep 0.25
done
kill -KILL "${alive[@]}" 2>/dev/null
exit 0
