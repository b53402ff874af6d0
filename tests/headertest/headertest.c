/* Only includes the umbrella header: the build fails if a public header is not C99. */
#include <particle/particle.h>

int headertest_c_anchor(void);
int headertest_c_anchor(void)
{
    return PARTICLE_OK;
}

/* The transfer and firmware option initialisers compile here too (nested braces). */
int headertest_c_firmware_inits(void);
int headertest_c_firmware_inits(void)
{
    particle_transfer_options transfer = PARTICLE_TRANSFER_OPTIONS_INIT;
    particle_firmware_upload upload = PARTICLE_FIRMWARE_UPLOAD_INIT;
    particle_firmware_release release = PARTICLE_FIRMWARE_RELEASE_INIT;
    particle_flash_options flash = PARTICLE_FLASH_OPTIONS_INIT;
    particle_device_os_list_options os = PARTICLE_DEVICE_OS_LIST_OPTIONS_INIT;
    return (int)(transfer.download.version + upload.version + release.version + flash.version +
                 os.version);
}

/* The environment-variable scope and the location options initialiser compile here too. */
int headertest_c_env_location_inits(void);
int headertest_c_env_location_inits(void)
{
    particle_env_scope scope = {PARTICLE_ENV_SANDBOX, NULL};
    particle_location_options where = PARTICLE_LOCATION_OPTIONS_INIT;
    return (int)(scope.kind + where.version);
}

/* The ledger option initialisers compile here too. */
int headertest_c_ledger_inits(void);
int headertest_c_ledger_inits(void)
{
    particle_ledger_options ledger = PARTICLE_LEDGER_OPTIONS_INIT;
    particle_ledger_list_options list = PARTICLE_LEDGER_LIST_OPTIONS_INIT;
    return (int)(ledger.version + list.version) + (int)PARTICLE_LEDGER_SET_MERGE;
}

/* The library list option initialiser compiles here too. */
int headertest_c_library_inits(void);
int headertest_c_library_inits(void)
{
    particle_library_list_options list = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    return (int)list.version;
}
