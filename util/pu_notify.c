/* The sd_notify protocol (pu_notify.h). */
#include "pu_notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "pu_parse.h"

int pu_notify(const char *state)
{
    const char *name = getenv("NOTIFY_SOCKET");
    if (name == NULL || name[0] == '\0') {
        return 0;
    }
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    size_t len = strlen(name);
    if ((name[0] != '/' && name[0] != '@') || len >= sizeof addr.sun_path) {
        errno = EINVAL;
        return -1;
    }
    memcpy(addr.sun_path, name, len);
    if (name[0] == '@') {
        addr.sun_path[0] = '\0'; /* the abstract namespace: no trailing NUL counted */
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    ssize_t sent =
        sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len);
    int saved = errno;
    close(fd);
    errno = saved;
    return sent < 0 ? -1 : 0;
}

int pu_notify_status(const char *fmt, ...)
{
    char state[512] = "STATUS=";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(state + 7, sizeof state - 7, fmt, ap);
    va_end(ap);
    return pu_notify(state);
}

int64_t pu_notify_watchdog_interval_ms(void)
{
    int64_t usec, pid;
    const char *usec_text = getenv("WATCHDOG_USEC");
    const char *pid_text = getenv("WATCHDOG_PID");
    if (usec_text == NULL || pu_parse_int64(usec_text, 1, INT64_MAX, &usec) != 0) {
        return 0;
    }
    if (pid_text != NULL &&
        (pu_parse_int64(pid_text, 1, INT64_MAX, &pid) != 0 || pid != (int64_t)getpid())) {
        return 0;
    }
    int64_t half_ms = usec / 2000;
    return half_ms > 0 ? half_ms : 1;
}

int pu_notify_sigwait(const sigset_t *set)
{
    int64_t interval_ms = pu_notify_watchdog_interval_ms();
    if (interval_ms == 0) {
        int sig;
        return sigwait(set, &sig) == 0 ? sig : -1;
    }
    for (;;) {
        struct timespec wait = {(time_t)(interval_ms / 1000), (long)(interval_ms % 1000) * 1000000};
        int sig = sigtimedwait(set, NULL, &wait);
        if (sig > 0) {
            return sig;
        }
        if (errno != EAGAIN && errno != EINTR) {
            return -1;
        }
        pu_notify("WATCHDOG=1");
    }
}
