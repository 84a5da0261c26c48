#!/bin/bash
# Scoring under attack (issue 15): starts `funad serve` on a fresh data root, trains a small PatchCore
# run, then 10 clients post two 49-megapixel PNGs each at once, and one client posts 24 of them in one
# request (the probe's attack). Prints each reply's status and the server's peak resident memory.
# Needs python3 with PIL and numpy to make the images. Usage: tools/scoring-attack.sh [path to funad]
set -u
BIN=$(readlink -f "${1:-$(dirname "$0")/../FunAd.Web/bin/Debug/net10.0/funad}")
WORK=$(mktemp -d); DATA=$WORK/data; URL=http://127.0.0.1:5099
cd "$WORK"
"${PYTHON:-python3}" - <<'PY' || { echo "could not make the test images: python3 with PIL and numpy is needed (set PYTHON)"; rm -rf "$WORK"; exit 1; }
from PIL import Image
import numpy as np
rng = np.random.default_rng(0)
for i in range(6):
    Image.fromarray((rng.random((96, 96, 3)) * 60 + 100).astype('uint8')).save(f'train{i}.png')
x = np.linspace(0, 255, 7000, dtype=np.float32)
g = (x[None, :] * 0.5 + x[:, None] * 0.5).astype('uint8')
Image.fromarray(np.stack([g, g[::-1], g.T], -1)).save('big.png', optimize=True)
PY
FUNAD_ADMIN_EMAIL=a@b.test FUNAD_ADMIN_PASSWORD=admin-pass-1 FunAd__DataRoot=$DATA "$BIN" serve --urls $URL > server.log 2>&1 &
PID=$!
for i in $(seq 60); do curl -s $URL/health >/dev/null && break; sleep 1; done
J=$WORK/cookies
TOKEN=$(curl -s -c $J -b $J $URL/login | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c $J -b $J -o /dev/null -d "email=a@b.test&password=admin-pass-1&returnUrl=/&__RequestVerificationToken=$TOKEN" $URL/account/login
curl -s -b $J -H 'content-type: application/json' -d '{"name":"attack"}' $URL/api/v1/projects >/dev/null
curl -s -b $J $(for f in train*.png; do echo -n "-F files=@$f "; done) $URL/api/v1/projects/1/uploads >/dev/null
curl -s -b $J -H 'content-type: application/json' -d '{"method":"patchcore"}' $URL/api/v1/projects/1/runs >/dev/null
for i in $(seq 300); do s=$(curl -s -b $J $URL/api/v1/runs/1 | grep -o '"status":"[a-z]*"'); [[ $s == *succeeded* || $s == *failed* ]] && break; sleep 2; done
echo "run: $s; resident before the attack: $(awk '/VmRSS/{print $2}' /proc/$PID/status) kB"
CURLS=""
for c in $(seq 10); do
  curl -s -b $J -o reply$c.json -w "client $c: %{http_code}\n" -F files=@big.png -F files=@big.png $URL/api/v1/runs/1/score &
  CURLS="$CURLS $!"
done
wait $CURLS
curl -s -b $J -o bomb.json -w "24 x 49 MP in one request: %{http_code}\n" $(for i in $(seq 24); do echo -n "-F files=@big.png "; done) $URL/api/v1/runs/1/score
echo "peak resident (VmHWM, whole life of the server, training included): $(awk '/VmHWM/{print $2}' /proc/$PID/status) kB"
kill $PID; wait $PID 2>/dev/null; rm -rf "$WORK"
