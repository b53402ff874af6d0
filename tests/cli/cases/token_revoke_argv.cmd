# token revoke refuses a token given as an argument (it would show in ps and the shell
# history) and sends nothing; only "-" with the token on stdin is accepted
$PCTL token revoke ffffffffffffffffffffffffffffffffffffffff
echo "rc $?"
$PCTL token revoke
echo "rc $?"
# the demo token still works: nothing was revoked
$PCTL whoami
