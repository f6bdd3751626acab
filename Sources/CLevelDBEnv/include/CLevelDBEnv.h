#ifndef VIGIL_CLEVELDBENV_H
#define VIGIL_CLEVELDBENV_H

#include <leveldb/c.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A LevelDB environment that is LevelDB's default one except for table files, which it
/// reads with pread(2) instead of mapping them into memory. Mapped tables put every page a
/// read touched into the process's resident set; read with pread they stay in the kernel's
/// page cache, as in RocksDB's default, and the resident set is the process's own memory.
///
/// An open table keeps its file descriptor while the budget allows, else its file is opened
/// for each read. `descriptor_budget` below 0 shares one budget across the process: a fifth
/// of the soft limit on open files (as LevelDB's own environment), after the soft limit was
/// raised to the hard one, up to 1,048,576, by the first such call. 0 or more gives this
/// environment a budget of its own and leaves the limit alone.
///
/// Free it with vigil_leveldb_pread_env_destroy once no database opened with it is open,
/// never with leveldb_env_destroy.
leveldb_env_t *vigil_leveldb_pread_env_create(int descriptor_budget);

void vigil_leveldb_pread_env_destroy(leveldb_env_t *env);

#ifdef __cplusplus
}
#endif

#endif
