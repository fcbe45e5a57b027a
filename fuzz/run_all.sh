#!/bin/sh
# Runs one fuzz target for $2 seconds (default 300) on the prebuilt binary, with the
# seeds as a read-only second corpus. Usage: fuzz/run_all.sh <target> [seconds]
set -eu
cd "$(dirname "$0")"
t=$1
secs=${2:-300}
bin=target/x86_64-unknown-linux-gnu/release/$t
mkdir -p corpus/$t artifacts/$t logs
seeds=""
[ -d seeds/$t ] && seeds=seeds/$t
exec $bin corpus/$t $seeds -artifact_prefix=artifacts/$t/ \
  -max_total_time=$secs -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  > logs/$t.log 2>&1
