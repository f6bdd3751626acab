import Glibc

/// A serial executor and task executor with a thread of its own.
///
/// The sequencer runs on one so that its steps never wait in the cooperative pool's queue behind
/// the validation of submissions: a batch is taken and its commit started as soon as the tick
/// comes, while validation goes on beside it.
///
/// Owner: `JobQueue` owns the pending jobs behind its mutex; the thread is the only consumer.
/// The thread stops when the executor is released and the queue has drained.
public final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let queue: JobQueue

    /// `name` (at most 15 bytes are kept) names the thread in `top -H`, `ps -L` and profiles.
    public init(name: String) {
        queue = JobQueue()
        queue.executor = self
        queue.start(name: name)
    }

    deinit {
        queue.stop()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}

/// The jobs waiting for a `ThreadExecutor`'s thread, behind a pthread mutex and condition.
private final class JobQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var stopping = false
    /// The executor the jobs run on. Unowned: a waiting job keeps its actor, and so the executor,
    /// alive, and the executor stops the queue when it goes.
    fileprivate unowned(unsafe) var executor: ThreadExecutor?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func start(name: String) {
        let retained = Unmanaged.passRetained(Start(queue: self, name: name)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, retained)
        precondition(created == 0, "cannot start the executor's thread: error \(created)")
        pthread_detach(thread)
    }

    func push(_ job: UnownedJob) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        let wasEmpty = jobs.count == 1
        pthread_mutex_unlock(mutex)
        if wasEmpty { pthread_cond_signal(condition) }
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    /// What the new thread needs: the queue it serves and its name.
    private final class Start {
        let queue: JobQueue
        let name: String

        init(queue: JobQueue, name: String) {
            self.queue = queue
            self.name = name
        }

        /// The new thread's whole life: it names itself, then serves the queue.
        func run() {
            nameCallingThread(name)
            queue.run()
        }
    }

    /// The thread's loop: runs the jobs in the order they came, until stopped with none left.
    fileprivate func run() {
        while true {
            let batch = next()
            guard !batch.isEmpty, let executor else { return }
            let serial = executor.asUnownedSerialExecutor()
            let task = executor.asUnownedTaskExecutor()
            for job in batch {
                job.runSynchronously(isolatedTo: serial, taskExecutor: task)
            }
        }
    }

    /// Waits for jobs and takes them all; an empty batch once stopped and drained.
    private func next() -> [UnownedJob] {
        pthread_mutex_lock(mutex)
        while jobs.isEmpty && !stopping {
            pthread_cond_wait(condition, mutex)
        }
        let batch = jobs
        jobs.removeAll(keepingCapacity: true)
        pthread_mutex_unlock(mutex)
        return batch
    }
}

/// Names the calling thread through procfs (what prctl(PR_SET_NAME) sets); a thread that cannot
/// be named keeps the name it inherited.
private func nameCallingThread(_ name: String) {
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}
