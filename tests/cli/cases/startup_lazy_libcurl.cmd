# particlectl loads libcurl on its first request only (cli/curl_lazy.c): with a libcurl.so.4
# that cannot be loaded, the commands that make no request still work, and one that makes a
# request says why it cannot
mkdir lib && : >lib/libcurl.so.4
export LD_LIBRARY_PATH=$PWD/lib
$PCTL --version >/dev/null
echo "rc $?"
$PCTL help list | head -n 1
$PCTL list 2>err.txt
echo "rc $?"
sed "s#$PWD#<DIR>#" err.txt >&2
