/*
 * local_server.h — starts a Python HTTP server on 127.0.0.1 for the download tests (never the
 * internet). The script must print the port it bound on its first line, then serve until
 * killed. Included by the test files that need it, after harness.h.
 */
#ifndef XC_LOCAL_SERVER_H
#define XC_LOCAL_SERVER_H

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

/* Runs `python3 -c script arg`; returns its pid with *port set, or -1 (python3 missing, or the
 * script printed no port). Stop it with th_server_stop. */
__attribute__((unused)) static pid_t th_server_start(const char *script, const char *arg,
                                                     int *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execlp("python3", "python3", "-c", script, arg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    /* Read the whole first line: Python may write the number and the newline separately, and
     * closing the pipe between the two would kill the server with EPIPE. */
    char line[32] = "";
    ssize_t n = 0;
    while ((size_t)n < sizeof line - 1) {
        ssize_t got = read(fds[0], line + n, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(fds[0]);
    char *end = NULL;
    long value = n > 0 ? strtol(line, &end, 10) : 0;
    *port = value > 0 && value < 65536 ? (int)value : 0;
    if (*port <= 0) {
        if (pid > 0)
            kill(pid, SIGTERM), waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

__attribute__((unused)) static void th_server_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

#endif
