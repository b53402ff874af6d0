$PCTL whoami
