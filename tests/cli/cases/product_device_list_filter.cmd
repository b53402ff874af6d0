$PCTL product device list env-sensors --groups lab --ndjson | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(len(rows) > 0, all("lab" in r["groups"] for r in rows), sorted(rows[0]))'
