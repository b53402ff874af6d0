$PCTL api PUT /v1/devices/demo-p2-1 --data '{"notes":"via api"}' --ndjson | sed -E 's/"updated_at":"[^"]*"/"updated_at":"<T>"/'
echo '{"notes":""}' | $PCTL api PUT /v1/devices/demo-p2-1 --data - > /dev/null || exit
$PCTL api GET /v1/devices --csv | cut -d, -f1,2 | sort
