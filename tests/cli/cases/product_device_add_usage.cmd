$PCTL product device add asset-tracker
