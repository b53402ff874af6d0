/* The SQLite files are 0600 (0640 with [database] group), whatever the umask. */
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "bridge_test.h"
#include "store/file_mode.h"
#include "store/store.h"

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

static void suffixed(char *out, size_t size, const char *path, const char *suffix)
{
    snprintf(out, size, "%s%s", path, suffix);
}

/* The store creates the database, its -wal and -shm 0600 even with umask 000. */
static void test_store_creates_private_files(void **state)
{
    (void)state;
    char dir[512], db[600], wal[640], shm[640], err[256];
    assert_int_equal(bt_tempdir(dir, sizeof dir), 0);
    bt_path(db, sizeof db, dir, "bridge.db");
    mode_t old = umask(0);
    bridge_store *st = bridge_store_open_sqlite(db, err, sizeof err);
    umask(old);
    assert_non_null(st);
    suffixed(wal, sizeof wal, db, "-wal");
    suffixed(shm, sizeof shm, db, "-shm");
    assert_int_equal(mode_of(db), 0600);
    assert_int_equal(mode_of(wal), 0600);
    assert_int_equal(mode_of(shm), 0600);
    bridge_store_close(st);
    bt_rmdir(dir);
}

/* With a group: 0640 and that group, for new files and for files left wider before. */
static void test_group_and_narrowing(void **state)
{
    (void)state;
    char dir[512], db[600], wal[640], err[256] = "";
    assert_int_equal(bt_tempdir(dir, sizeof dir), 0);
    bt_path(db, sizeof db, dir, "bridge.db");
    suffixed(wal, sizeof wal, db, "-wal");
    struct group *gr = getgrgid(getegid());
    assert_non_null(gr);
    char group[256];
    snprintf(group, sizeof group, "%s", gr->gr_name);
    assert_int_equal(bridge_db_files_secure(db, group, err, sizeof err), 0);
    assert_int_equal(mode_of(db), 0640);
    struct stat st;
    assert_int_equal(stat(db, &st), 0);
    assert_int_equal(st.st_gid, getegid());
    /* an old WAL readable by everyone, and a database a previous version left 0644 */
    FILE *f = fopen(wal, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(wal, 0666), 0);
    assert_int_equal(chmod(db, 0644), 0);
    assert_int_equal(bridge_db_files_secure(db, NULL, err, sizeof err), 0);
    assert_int_equal(mode_of(db), 0600);
    assert_int_equal(mode_of(wal), 0600);
    /* an unknown group is an error that names it */
    assert_int_equal(bridge_db_files_secure(db, "no-such-group-xyz", err, sizeof err), -1);
    assert_non_null(strstr(err, "no-such-group-xyz"));
    /* special names are left alone */
    assert_int_equal(bridge_db_files_secure(":memory:", NULL, err, sizeof err), 0);
    bt_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_creates_private_files),
        cmocka_unit_test(test_group_and_narrowing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
