# a device's public key (EC P-256, PEM); the default algorithm (rsa) does not match it
cat >key.pem <<'PEM'
-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEuDOZ6bUm1xS9K2QUV72qkJlLFwPb
+1DvumwQJ5Bxc30yekObTTF8a0C1flTfCOSv2auYK5hagFqTBR7Obx7pIA==
-----END PUBLIC KEY-----
PEM
$PCTL keys send demo-argon-1 key.pem --algorithm ecc || exit
$PCTL keys send demo-argon-1 key.pem
echo "rc $?"
$PCTL keys send other-argon-1 key.pem --algorithm ecc
echo "rc $?"
$PCTL keys send demo-argon-1 missing.pem
echo "rc $?"
