/// Runs `body` while `step` runs again and again, `interval` apart, and returns what `body`
/// returns (or throws what it throws) once the step under way has ended.
///
/// Tests that sequence by hand use it so that no submission waits for a step that never comes:
/// one that reaches the pool after the step a test made still gets sequenced.
public func repeating<T>(_ step: @escaping @Sendable () async -> Void, every interval: Duration = .milliseconds(2),
                         isolation: isolated (any Actor)? = #isolation, while body: () async throws -> T) async throws -> T {
    let stepper = Task {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if !Task.isCancelled { await step() }
        }
    }
    func stopStepping() async {
        stepper.cancel()
        await stepper.value
    }
    do {
        let value = try await body()
        await stopStepping()
        return value
    } catch {
        await stopStepping()
        throw error
    }
}
