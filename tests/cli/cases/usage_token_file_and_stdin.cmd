echo x | $PCTL whoami --token-stdin --token-file /nonexistent
