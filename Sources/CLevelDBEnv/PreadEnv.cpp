// Table files read with pread(2): see include/CLevelDBEnv.h.

#include "CLevelDBEnv.h"

#include <leveldb/env.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

// LevelDB's C API keeps leveldb_env_t opaque. Its c.cc defines it as below, and
// leveldb_options_set_env reads only `rep`.
struct leveldb_env_t {
    leveldb::Env *rep;
    bool is_default;
};

namespace {

leveldb::Status errorStatus(const std::string &name, int error) {
    if (error == ENOENT) {
        return leveldb::Status::NotFound(name, std::strerror(error));
    }
    return leveldb::Status::IOError(name, std::strerror(error));
}

/// How many table files keep a descriptor open; past it a file is opened for each read.
class DescriptorBudget {
  public:
    explicit DescriptorBudget(int budget) : left_(budget) {}

    bool acquire() {
        int left = left_.fetch_sub(1, std::memory_order_relaxed);
        if (left > 0) {
            return true;
        }
        left_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }

    void release() { left_.fetch_add(1, std::memory_order_relaxed); }

    /// The process's budget: raises the soft limit on open files to the hard one (up to
    /// 1,048,576) when it is lower, then takes a fifth of it, as LevelDB's own environment.
    static DescriptorBudget *shared() {
        static DescriptorBudget *const budget = new DescriptorBudget(processBudget());
        return budget;
    }

  private:
    static int processBudget() {
        struct rlimit limit;
        if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
            return 50;
        }
        const rlim_t ceiling = 1 << 20;
        rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? ceiling : std::min(limit.rlim_max, ceiling);
        if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
            struct rlimit raised = limit;
            raised.rlim_cur = wanted;
            if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
                limit = raised;
            }
        }
        if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur / 5 > static_cast<rlim_t>(INT_MAX)) {
            return INT_MAX;
        }
        return static_cast<int>(limit.rlim_cur / 5);
    }

    std::atomic<int> left_;
};

/// One table file, read at an offset with pread. Holds its descriptor when the budget
/// allowed one (`fd_` >= 0), else opens the file for each read.
class PreadFile final : public leveldb::RandomAccessFile {
  public:
    PreadFile(std::string name, int fd, DescriptorBudget *budget) : name_(std::move(name)), fd_(fd), budget_(budget) {}

    ~PreadFile() override {
        if (fd_ >= 0) {
            ::close(fd_);
            budget_->release();
        }
    }

    leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice *result, char *scratch) const override {
        int fd = fd_;
        if (fd < 0) {
            fd = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                *result = leveldb::Slice(scratch, 0);
                return errorStatus(name_, errno);
            }
        }
        leveldb::Status status;
        size_t done = 0;
        while (done < n) {
            ssize_t got = ::pread(fd, scratch + done, n - done, static_cast<off_t>(offset + done));
            if (got < 0) {
                if (errno == EINTR) {
                    continue;
                }
                status = errorStatus(name_, errno);
                break;
            }
            if (got == 0) {
                break;  // end of file: LevelDB checks the length it asked for
            }
            done += static_cast<size_t>(got);
        }
        if (fd != fd_) {
            ::close(fd);
        }
        *result = leveldb::Slice(scratch, status.ok() ? done : 0);
        return status;
    }

  private:
    const std::string name_;
    const int fd_;
    DescriptorBudget *const budget_;
};

/// LevelDB's default environment with table files opened as `PreadFile`s.
class PreadEnv final : public leveldb::EnvWrapper {
  public:
    /// `owned` is this environment's own budget, or null for the process's.
    explicit PreadEnv(DescriptorBudget *owned)
        : leveldb::EnvWrapper(leveldb::Env::Default()), owned_(owned),
          budget_(owned != nullptr ? owned : DescriptorBudget::shared()) {}

    ~PreadEnv() override { delete owned_; }

    leveldb::Status NewRandomAccessFile(const std::string &name, leveldb::RandomAccessFile **result) override {
        *result = nullptr;
        int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return errorStatus(name, errno);
        }
        if (!budget_->acquire()) {
            ::close(fd);
            fd = -1;
        }
        *result = new PreadFile(name, fd, budget_);
        return leveldb::Status::OK();
    }

  private:
    DescriptorBudget *const owned_;
    DescriptorBudget *const budget_;
};

}  // namespace

extern "C" leveldb_env_t *vigil_leveldb_pread_env_create(int descriptor_budget) {
    DescriptorBudget *owned = descriptor_budget >= 0 ? new DescriptorBudget(descriptor_budget) : nullptr;
    return new leveldb_env_t{new PreadEnv(owned), false};
}

extern "C" void vigil_leveldb_pread_env_destroy(leveldb_env_t *env) {
    if (env != nullptr) {
        delete env->rep;
        delete env;
    }
}
