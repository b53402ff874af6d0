/*
 * Runs the built particlectl (PARTICLECTL_BIN, set by tests/CMakeLists.txt for the
 * test_cli_cmd_* tests) as a child process: a scratch HOME, the API URL and token in the
 * environment, standard input from a string, stdout and stderr captured. The child never
 * has a terminal, so commands behave as in a script.
 */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLI_RUN_OUT_MAX (64 * 1024)

typedef struct cli_run_result {
    int status; /* the exit status; 128 + signal when killed */
    char out[CLI_RUN_OUT_MAX];
    char err[CLI_RUN_OUT_MAX];
} cli_run_result;

/* A scratch directory for HOME and files (removed by cli_run_dir_remove()). */
static char cli_run_dir[64];

static inline void cli_run_dir_make(void)
{
    snprintf(cli_run_dir, sizeof(cli_run_dir), "/tmp/particlectl-test-XXXXXX");
    assert_non_null(mkdtemp(cli_run_dir));
}

/* Writes @p text into <dir>/@p name with @p mode; the path into @p path. */
static inline void cli_run_write_file(const char *name, const char *text, mode_t mode, char *path,
                                      size_t size)
{
    snprintf(path, size, "%s/%s", cli_run_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static inline void cli_run_dir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cli_run_dir);
    assert_int_equal(system(cmd), 0);
}

static inline void cli_run_slurp(int fd, char *buf, size_t size)
{
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    ssize_t n = read(fd, buf, size - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    close(fd);
}

static inline int cli_run_temp(const char *what)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s-XXXXXX", cli_run_dir, what);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

/*
 * Runs particlectl with @p args (NULL-terminated, without the program name) against
 * @p url with @p token (NULL = none), extra environment @p env ("NAME=value" strings,
 * NULL-terminated, may be NULL) and @p input on standard input (NULL = empty).
 */
static inline void cli_run(cli_run_result *r, const char *url, const char *token,
                           const char *const *env, const char *input, const char *const *args)
{
    int in = cli_run_temp("in"), out = cli_run_temp("out"), err = cli_run_temp("err");
    if (input != NULL) {
        assert_int_equal(write(in, input, strlen(input)), (ssize_t)strlen(input));
    }
    assert_int_equal(lseek(in, 0, SEEK_SET), 0);
    const char *argv[64] = {PARTICLECTL_BIN};
    size_t argc = 1;
    for (; args[argc - 1] != NULL; argc++) {
        assert_true(argc < 63);
        argv[argc] = args[argc - 1];
    }
    static char home[128], base[256], tok[256];
    snprintf(home, sizeof(home), "HOME=%s", cli_run_dir);
    snprintf(base, sizeof(base), "PARTICLE_API_BASE_URL=%s", url);
    snprintf(tok, sizeof(tok), "PARTICLE_ACCESS_TOKEN=%s", token != NULL ? token : "");
    const char *envp[32] = {home, base, tok, "NO_COLOR=1"};
    size_t envc = 4;
    /* the sanitizers' settings pass through, so a leak in the child fails its exit status */
    static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "PATH"};
    static char kept[4][512];
    for (size_t i = 0; i < 4; i++) {
        const char *v = getenv(keep[i]);
        if (v != NULL) {
            snprintf(kept[i], sizeof(kept[i]), "%s=%s", keep[i], v);
            envp[envc++] = kept[i];
        }
    }
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
        assert_true(envc < 31);
        envp[envc++] = env[i];
    }
    envp[envc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        execve(PARTICLECTL_BIN, (char *const *)argv, (char *const *)envp);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    close(in);
    cli_run_slurp(out, r->out, sizeof(r->out));
    cli_run_slurp(err, r->err, sizeof(r->err));
}

#endif
