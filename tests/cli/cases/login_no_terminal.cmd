# no terminal to prompt on and no --password-stdin: a usage error, not a hang
$PCTL login -u demo@example.com
