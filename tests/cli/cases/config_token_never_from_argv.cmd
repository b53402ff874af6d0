# there is no option that takes a token value
$PCTL whoami --token 0123456789abcdef0123456789abcdef01234567
