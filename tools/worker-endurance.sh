#!/usr/bin/env bash
# Consecutive short training runs in one `funad worker` process (issue 15: about one worker run in 75
# ended in a segfault in libtorch). One web app that trains nothing, one worker restarted by a loop
# if it dies, RUNS runs queued through the API (funad, funad-bank and patchcore in turn, 2 epochs on
# six 96 x 96 images). Prints how each run ended and how many times the worker process died.
#
#   tools/worker-endurance.sh BUILD_DIR [RUNS]      (BUILD_DIR holds funad, e.g. FunAd.Web/bin/Debug/net10.0)
#
# Copy the build folder first if you keep building while this runs. Needs curl and python3 (PIL, numpy).
set -uo pipefail
build=$(realpath "$1"); runs=${2:-300}
work=$(mktemp -d); base=http://127.0.0.1:5197; api=$base/api/v1
export FUNAD_ADMIN_EMAIL=endurance@funad.test FUNAD_ADMIN_PASSWORD=endurance-pass-1 FunAd__DataRoot=$work/root
mkdir -p "$work/root" "$work/images"
trap 'kill $(jobs -p) 2>/dev/null; pkill -f "$build/funad" 2>/dev/null; true' EXIT
"${PYTHON:-python3}" - "$work/images" <<'PY' || { echo "could not make the test images: python3 with PIL and numpy is needed (set PYTHON)"; exit 1; }
import sys
import numpy as np
from PIL import Image
rng = np.random.default_rng(1)
for i in range(6):
    base = np.linspace(80, 170, 96)[None, :, None] + rng.normal(0, 12, (96, 96, 3))
    Image.fromarray(np.clip(base, 0, 255).astype('uint8')).save(f'{sys.argv[1]}/{i}.png')
PY
"$build/funad" serve --urls "$base" --FunAd:RunJobs=false >"$work/web.log" 2>&1 &
( while true; do "$build/funad" worker >>"$work/worker.log" 2>&1; echo "worker exited with $? at $(date +%T)" >>"$work/exits.log"; sleep 1; done ) &
until curl -fs "$base/health" >/dev/null; do sleep 0.5; done
jar=$work/cookies
token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" "$base/account/login" --data-urlencode "email=$FUNAD_ADMIN_EMAIL" \
    --data-urlencode "password=$FUNAD_ADMIN_PASSWORD" --data-urlencode returnUrl=/ --data-urlencode "__RequestVerificationToken=$token"
curl -s -b "$jar" -H 'content-type: application/json' -d '{"name":"endurance"}' "$api/projects" >/dev/null
curl -s -b "$jar" $(for f in "$work"/images/*.png; do echo -n "-F files=@$f "; done) "$api/projects/1/uploads" >/dev/null
methods=(funad funad-bank patchcore)
for i in $(seq 1 "$runs"); do
    m=${methods[$(( (i - 1) % 3 ))]}
    # PatchCore takes no FUN-AD settings.
    if [ "$m" = patchcore ]; then body="{\"method\":\"$m\",\"seed\":$i}"; else body="{\"method\":\"$m\",\"seed\":$i,\"parameters\":{\"epochs\":\"2\"}}"; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H 'content-type: application/json' -d "$body" "$api/projects/1/runs")
    [ "$code" = 201 ] || echo "run $i ($m) not queued: HTTP $code"
done
start=$(date +%s)
while true; do
    summary=$(curl -s -b "$jar" "$api/projects/1/runs" | python3 -c "import sys, json, collections; r = json.load(sys.stdin); print(dict(collections.Counter(x['status'] for x in r)))")
    done_count=$(python3 -c "import ast; d = ast.literal_eval('''$summary'''); print(d.get('succeeded', 0) + d.get('failed', 0) + d.get('cancelled', 0))")
    echo "$(date +%T) $summary"
    [ "$done_count" -ge "$runs" ] && break
    sleep 30
done
echo "runs: $runs in $(( $(date +%s) - start )) s; $summary"
echo "worker deaths: $(grep -c exited "$work/exits.log" 2>/dev/null || echo 0)"
cat "$work/exits.log" 2>/dev/null
grep -il "segmentation\|SIGSEGV\|fatal error" "$work/worker.log" && grep -i -m5 "segmentation\|SIGSEGV\|fatal error" "$work/worker.log"
curl -s -b "$jar" "$api/projects/1/runs" | python3 -c "import sys, json; [print(x['id'], x['method'], x['detail']) for x in json.load(sys.stdin) if x['status'] == 'failed']"
