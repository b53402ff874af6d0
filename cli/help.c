/* Help text for the top level and each command, and the man page built from the same text
 * (`particlectl --help-man`, run at build time). */
#include "cli.h"

#include <string.h>

#include "particle/version.h"

#include "pu_man.h"

static const char global_options_text[] =
    "  --json            print JSON: an array of objects (one object for single records)\n"
    "  --ndjson          print one compact JSON object per line\n"
    "  --csv             print CSV with a header line (RFC 4180 quoting; cells that\n"
    "                    a spreadsheet would run as formulas get a leading ')\n"
    "  --csv-raw         the same, cells as they are (for programs)\n"
    "  --table           print an aligned table (the default)\n"
    "  --no-color        never use color (NO_COLOR in the environment does the same)\n"
    "  -q, --quiet       no notes or progress on stderr\n"
    "  --api-url URL     the API endpoint to use\n"
    "  --token-file FILE read the access token from the first line of FILE\n"
    "  --token-stdin     read the access token from standard input\n"
    "  --timeout DUR     give up on a request after DUR (e.g. 30s, 2m)\n"
    "  --profile NAME    use particle-cli profile NAME (its apiUrl and token), not the active\n"
    "                    one\n"
    "  -h, --help        show help (also: particlectl help COMMAND)\n"
    "  --version         print the version\n";

static const char exit_text[] =
    "  0  success\n"
    "  1  the API answered with an error (unknown device, offline device, ...)\n"
    "  2  usage error\n"
    "  3  network error or timeout\n"
    "  4  authentication failed (bad or expired token, wrong password, not logged in)\n";

static const char environment_text[] =
    "  PARTICLE_ACCESS_TOKEN  access token (over the profile's; under --token-file/--token-stdin)\n"
    "  PARTICLE_API_BASE_URL  API endpoint (over the profile's apiUrl; under --api-url)\n"
    "  PARTICLE_CLIENT_ID     a product's OAuth client (customer create, claim-code --customer)\n"
    "  PARTICLE_CLIENT_SECRET its secret (over it: --client-secret-file, mode 0600)\n"
    "  NO_COLOR               never use color\n"
    "  HOME                   where ~/.particle is\n";

static const char files_text[] =
    "  ~/.particle/profile.json            {\"name\": PROFILE}; the profile in use (default "
    "particle)\n"
    "  ~/.particle/PROFILE.config.json     apiUrl, access_token and username, shared with\n"
    "                                      particle-cli; written 0600\n";

static const char output_text[] =
    "Data goes to stdout, notes and errors to stderr. The default is an aligned table (two\n"
    "spaces between columns, never tabs) whether or not stdout is a terminal; color only on a\n"
    "terminal. Scripts should use --json, --ndjson or --csv: their field names and order are\n"
    "stable. Errors are one line: particlectl: MESSAGE (HTTP STATUS, API ERROR).\n";

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++) {
        if (strcmp(cli_commands[i].name, name) == 0) {
            return &cli_commands[i];
        }
    }
    return NULL;
}

void cli_help_command(const cli_command *cmd, FILE *fp)
{
    fprintf(fp, "Usage: %s %s%s%s [options]\n\n%s\n", CLI_PROG, cmd->name, cmd->args[0] ? " " : "",
            cmd->args, cmd->summary);
    if (cmd->details != NULL) {
        fprintf(fp, "\n%s", cmd->details);
    }
    if (cmd->options != NULL) {
        fprintf(fp, "\nOptions:\n%s", cmd->options);
    }
    fprintf(fp, "\nGlobal options:\n%s", global_options_text);
    fprintf(fp, "\nExample:\n");
    const char *line = cmd->example;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        fprintf(fp, "  %.*s\n", (int)len, line);
        line += len + (nl ? 1 : 0);
    }
}

void cli_help_main(FILE *fp)
{
    fprintf(fp,
            "Usage: %s [global options] COMMAND [arguments] [options]\n\n"
            "Manage Particle devices and events from the command line: the cloud commands of\n"
            "particle-cli, with JSON, NDJSON and CSV output on every command.\n\nCommands:\n",
            CLI_PROG);
    size_t width = 0;
    for (size_t i = 0; i < cli_command_count; i++) {
        size_t w = strlen(cli_commands[i].name);
        width = w > width ? w : width;
    }
    for (size_t i = 0; i < cli_command_count; i++) {
        fprintf(fp, "  %-*s  %s\n", (int)width, cli_commands[i].name, cli_commands[i].summary);
    }
    fprintf(fp,
            "\nGlobal options:\n%s\nOutput:\n%s\nExit status:\n%s\nEnvironment:\n%s\n"
            "Files:\n%s\n"
            "Run '%s COMMAND --help' for a command's options and an example.\n",
            global_options_text, output_text, exit_text, environment_text, files_text, CLI_PROG);
}

/* A paragraph of preformatted lines (options, examples). */
static void man_block(FILE *fp, const char *text)
{
    fputs(".PP\n", fp);
    pu_man_block(fp, text);
}

void cli_help_man(FILE *fp)
{
    fprintf(fp, ".TH PARTICLECTL 1 \"\" \"particlectl %s\" \"User Commands\"\n",
            PARTICLE_VERSION_STRING);
    fputs(".SH NAME\nparticlectl \\- manage Particle devices and events from the command line\n",
          fp);
    fputs(".SH SYNOPSIS\n.B particlectl\n[\\fIglobal options\\fR] \\fICOMMAND\\fR "
          "[\\fIarguments\\fR] [\\fIoptions\\fR]\n",
          fp);
    fputs(".SH DESCRIPTION\nThe cloud commands of particle\\-cli, built on libparticle, with\n"
          "JSON, NDJSON and CSV output on every command.\n.PP\n",
          fp);
    pu_man_text(fp, output_text);
    fputs(".SH GLOBAL OPTIONS\n", fp);
    man_block(fp, global_options_text);
    fputs(".SH COMMANDS\n", fp);
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        fputs(".SS \"", fp);
        pu_man_text(fp, c->name);
        if (c->args[0]) {
            fputc(' ', fp);
            pu_man_text(fp, c->args);
        }
        fputs("\"\n", fp);
        pu_man_text(fp, c->summary);
        fputc('\n', fp);
        if (c->details != NULL) {
            fputs(".PP\n", fp);
            pu_man_text(fp, c->details);
        }
        if (c->options != NULL) {
            man_block(fp, c->options);
        }
        fputs(".PP\nExample:\n", fp);
        man_block(fp, c->example);
    }
    fputs(".SH EXIT STATUS\n", fp);
    man_block(fp, exit_text);
    fputs(".SH ENVIRONMENT\n", fp);
    man_block(fp, environment_text);
    fputs(".SH FILES\n", fp);
    man_block(fp, files_text);
    fputs(".SH SEE ALSO\nparticle\\-sim(1), the libparticle documentation.\n", fp);
}
