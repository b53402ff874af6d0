$PCTL subscribe --until soon
