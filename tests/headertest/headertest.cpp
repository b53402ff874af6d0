// Only includes the umbrella header: the build fails if a public header is not C++.
#include <particle/particle.h>

int headertest_cxx_anchor();
int headertest_cxx_anchor()
{
    return PARTICLE_OK;
}

/* The transfer and firmware option initialisers compile here too (nested braces). */
int headertest_cxx_firmware_inits();
int headertest_cxx_firmware_inits()
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
int headertest_cxx_env_location_inits();
int headertest_cxx_env_location_inits()
{
    particle_env_scope scope = {PARTICLE_ENV_SANDBOX, NULL};
    particle_location_options where = PARTICLE_LOCATION_OPTIONS_INIT;
    return (int)(scope.kind + where.version);
}
