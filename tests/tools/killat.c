/* killat.c: LD_PRELOAD shim for the kill tests. The process kills itself (SIGKILL) at its Nth rename,
 * before that rename happens; N is $KILL_AT_RENAME. Like `strace -e inject=rename:signal=KILL:when=N`,
 * without tracing every system call (which makes a build ten times slower). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long seen = 0;

static void maybe_die(void) {
    const char *at = getenv("KILL_AT_RENAME");
    if (at && ++seen == atol(at)) kill(getpid(), SIGKILL);
}

int rename(const char *a, const char *b) {
    maybe_die();
    int (*real)(const char *, const char *) = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    return real(a, b);
}

int renameat(int fa, const char *a, int fb, const char *b) {
    maybe_die();
    int (*real)(int, const char *, int, const char *) = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
    return real(fa, a, fb, b);
}

int renameat2(int fa, const char *a, int fb, const char *b, unsigned int flags) {
    maybe_die();
    int (*real)(int, const char *, int, const char *, unsigned int) =
        (int (*)(int, const char *, int, const char *, unsigned int))dlsym(RTLD_NEXT, "renameat2");
    return real(fa, a, fb, b, flags);
}
