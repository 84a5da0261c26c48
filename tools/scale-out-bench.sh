#!/usr/bin/env bash
# Runs per hour with one worker against two, side by side: one web app (training nothing) and N
# `funad worker` processes from a published build, a batch of CPU-bound FUN-AD runs queued through
# the HTTP API, the wall time until the last one finishes. Each worker is pinned to its own core
# (taskset), as if each were its own machine; the web app shares core 0 with the first worker.
#
#   tools/scale-out-bench.sh PUBLISH_DIR IMAGES_DIR [RUNS]
#
# RUNS (default 12): enough that each worker's first run (JIT warm-up, the feature cache filled) weighs
# little against its steady state; with 6, two workers pay two warm-ups in three runs each.
#
# IMAGES_DIR: a folder of PNG images (its first 40 are uploaded), e.g. the brick crops that
# `dotnet run --project FunAd.Bench -c Release -- textures` writes to .bench/textures/brick-200-0.1/train/good.
# Storage: SQLite on a fresh data root by default; set FUNAD_BENCH_POSTGRES to an admin connection
# string (e.g. Host=127.0.0.1;Port=5432;Username=funad;Password=funad;Database=postgres) to use a fresh
# PostgreSQL database per measurement instead. Needs curl, python3, taskset, and psql for PostgreSQL.
set -euo pipefail
publish=$(realpath "$1"); images=$(realpath "$2"); runs=${3:-12}
work=$(mktemp -d); port=5199; base=http://127.0.0.1:$port; api=$base/api/v1
trap 'pkill -f "$publish/funad" || true; rm -rf "$work"' EXIT
export FUNAD_ADMIN_EMAIL=bench@funad.test FUNAD_ADMIN_PASSWORD=bench-pass-1

(cd "$images" && find . -name '*.png' | sort | head -40 | zip -q "$work/images.zip" -@)

measure() {
    local workers=$1 root=$work/root-$1 settings=()
    rm -rf "$root"; mkdir -p "$root"
    if [ -n "${FUNAD_BENCH_POSTGRES:-}" ]; then
        local db=funad_scale_$1_$$
        psql "$(python3 -c "import sys; print(' '.join(p.replace('Username','user').replace('Host','host').replace('Port','port').replace('Password','password').replace('Database','dbname') for p in sys.argv[1].split(';') if p))" "$FUNAD_BENCH_POSTGRES")" -qc "CREATE DATABASE $db" >/dev/null
        settings=(--FunAd:Storage=Postgres "--ConnectionStrings:Catalogue=${FUNAD_BENCH_POSTGRES/Database=postgres/Database=$db}")
    fi
    export FunAd__DataRoot=$root
    taskset -c 0 "$publish/funad" serve --urls "$base" --FunAd:RunJobs=false "${settings[@]}" >"$root/web.log" 2>&1 &
    for i in $(seq 1 "$workers"); do taskset -c $((i - 1)) "$publish/funad" worker "${settings[@]}" >"$root/worker$i.log" 2>&1 & done
    until curl -fs "$base/health" >/dev/null; do sleep 0.5; done
    local jar=$root/cookies token
    token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -o /dev/null -c "$jar" -b "$jar" "$base/account/login" --data-urlencode "email=$FUNAD_ADMIN_EMAIL" \
        --data-urlencode "password=$FUNAD_ADMIN_PASSWORD" --data-urlencode returnUrl=/ --data-urlencode "__RequestVerificationToken=$token"
    local project
    project=$(curl -s -b "$jar" -H 'content-type: application/json' -d '{"name":"scale"}' "$api/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -s -b "$jar" -F "files=@$work/images.zip" "$api/projects/$project/uploads" >/dev/null
    # Wait until every worker has reported itself, so the clock measures training, not start-up.
    until [ "$(curl -s -b "$jar" "$api/workers" | python3 -c 'import json,sys; print(sum(w["state"]=="alive" for w in json.load(sys.stdin)))')" -ge "$workers" ]; do sleep 0.5; done
    for _ in $(seq 1 "$runs"); do
        curl -s -o /dev/null -b "$jar" -H 'content-type: application/json' \
            -d '{"method":"funad","profile":"fast","seed":1,"parameters":{"epochs":"10"}}' "$api/projects/$project/runs"
    done
    # Polled with curl and grep only, every second: a python interpreter twice a second took a few
    # percent of a core, which the workers pay for once both cores train. The last answer is the result.
    until curl -s -b "$jar" -o "$root/runs.json" "$api/projects/$project/runs" && ! grep -Eq '"status":"(queued|running)"' "$root/runs.json"; do sleep 1; done
    local used
    used=$(for id in $(python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))))' "$root/runs.json"); do
        curl -s -b "$jar" "$api/runs/$id/log" | python3 -c 'import json,sys; [print(e["message"].split()[2]) for e in json.load(sys.stdin) if e["message"].startswith("started on ")]'
    done | sort -u | wc -l)
    pkill -f "$publish/funad" || true; sleep 2
    # The clock: from the first run queued to the last run finished, as the server recorded them (the
    # polling above only waits); each run's own time from start to finish beside it.
    python3 - "$root/runs.json" "$workers" "$runs" "$used" <<'PY' | tee "$work/result-$workers"
import json, sys
from datetime import datetime
runs = json.load(open(sys.argv[1])); workers, queued, used = sys.argv[2:]
at = lambda t: datetime.fromisoformat(t.replace('Z', '+00:00')).timestamp()
ok = [r for r in runs if r['status'] == 'succeeded']
wall = max(at(r['finishedAt']) for r in runs) - min(at(r['createdAt']) for r in runs)
own = sorted(at(r['finishedAt']) - at(r['startedAt']) for r in ok)
print(f'{workers} worker(s), {used} used: {len(ok)}/{queued} runs succeeded in {wall:.1f} s = {3600 * len(ok) / wall:.1f} runs/hour'
      f' (each run {min(own):.1f}-{max(own):.1f} s, mean {sum(own) / len(own):.1f} s)')
PY
}

echo "# scale-out: $runs FUN-AD runs (profile fast, 10 epochs) on $(find "$images" -name '*.png' | head -40 | wc -l) images; storage $([ -n "${FUNAD_BENCH_POSTGRES:-}" ] && echo PostgreSQL || echo SQLite)"
measure 1
measure 2
python3 - "$work/result-1" "$work/result-2" <<'PY'
import sys, re
rate = [float(re.search(r'= ([0-9.]+) runs/hour', open(p).read()).group(1)) for p in sys.argv[1:]]
print(f'two workers / one worker: {rate[1] / rate[0]:.2f}x runs per hour')
PY
