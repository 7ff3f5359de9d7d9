#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal
/// and at most ten times a second, so piped output and logs stay clean.
public final class ProgressBar: @unchecked Sendable {
    public let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false
    private let lock = NSLock()

    public init(enabled: Bool = isatty(2) == 1) { self.enabled = enabled }

    /// `fraction` in 0...1; `label` before the bar, `detail` after it.
    public func update(fraction: Double, label: String, detail: String, force: Bool = false) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date().timeIntervalSinceReferenceDate
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let width = 28
        let f = min(max(fraction, 0), 1)
        let full = Int(f * Double(width))
        let bar = String(repeating: "█", count: full) + String(repeating: "░", count: width - full)
        let line = "\(label) \(bar) \(String(format: "%3d%%", Int(f * 100))) \(detail)"
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        drawn = true
    }

    /// Erases the bar so that a message can be printed in its place.
    public func clear() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)); drawn = false }
    }
}

/// Human-readable counts: 1234567 → "1.2M".
public func compactCount(_ n: Double) -> String {
    switch abs(n) {
    case 1e9...: String(format: "%.1fG", n / 1e9)
    case 1e6...: String(format: "%.1fM", n / 1e6)
    case 1e4...: String(format: "%.0fk", n / 1e3)
    default: String(Int(n))
    }
}
