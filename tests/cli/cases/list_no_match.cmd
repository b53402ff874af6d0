$PCTL list no-such-thing; $PCTL list no-such-thing --json
