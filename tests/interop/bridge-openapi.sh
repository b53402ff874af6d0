#!/usr/bin/env bash
# Interop test: particle-bridge's OpenAPI 3.1 document (GET /api/v1/openapi.json, printed by
# bridge_openapi_dump) checked by a real validator from the npm registry,
# @seriousme/openapi-schema-validator 2 (the OpenAPI 3.1 JSON schema plus its own checks),
# installed into a scratch folder kept between runs of one build tree. When npm cannot
# install it (no network), the test is skipped (exit 77) with a message.
# That every served route is described and every described route served is checked by
# tests/unit/bridge/test_bridge_paging.c against the server's route table.
# Usage: bridge-openapi.sh PATH/TO/bridge_openapi_dump
set -euo pipefail
dump=$1
scratch=${PARTICLE_INTEROP_DIR:-$(dirname "$dump")/interop-npm}
validator=@seriousme/openapi-schema-validator
mkdir -p "$scratch"
if [ ! -f "$scratch/node_modules/$validator/package.json" ]; then
    if ! (cd "$scratch" && npm install --no-audit --no-fund --silent --prefix "$scratch" \
        "$validator@2" >/dev/null 2>&1); then
        echo "SKIP: npm could not install $validator (no registry access?)"
        exit 77
    fi
fi
doc=$(mktemp --suffix=.json)
trap 'rm -f "$doc"' EXIT
"$dump" >"$doc"
cd "$scratch"
node --input-type=module -e '
import { Validator } from "@seriousme/openapi-schema-validator";
const validator = new Validator();
const res = await validator.validate(process.argv[1]);
if (!res.valid) {
    console.error(JSON.stringify(res.errors, null, 1));
    process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
' "$doc"
