#ifndef VIGIL_CLEVELDB_SHIM_H
#define VIGIL_CLEVELDB_SHIM_H

// Debian's libleveldb-dev ships no pkg-config file; the module map links
// "leveldb" by name and this header pulls in its C API.
#include <leveldb/c.h>

#endif
