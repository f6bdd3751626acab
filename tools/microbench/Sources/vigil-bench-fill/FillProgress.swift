import Foundation

/// Prints a line each time the fill passes another tenth of its way.
final class FillProgress {
    private let start: UInt64
    private let target: UInt64
    private var nextTenth: UInt64 = 1
    private let began = ContinuousClock.now

    init(start: UInt64, target: UInt64) {
        self.start = start
        self.target = target
    }

    func report(_ size: UInt64) {
        guard target > start, size < target else { return }
        let tenth = (size - start) * 10 / (target - start)
        guard tenth >= nextTenth else { return }
        nextTenth = tenth + 1
        let elapsed = ContinuousClock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "  %3d%%  tree size %llu, %.1f s", Int(tenth * 10), size, seconds))
    }
}
