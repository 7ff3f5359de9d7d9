#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ctrl-C during an import: the first one lets the file in hand finish or roll back and stops
/// cleanly; a second one exits at once. Either way, committed files stay committed.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    public static var requested: Bool { flag.load(ordering: .relaxed) }

    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func reset() { flag.store(false, ordering: .relaxed) }

    struct Stop: Error {}

    /// Installs the SIGINT handler.
    public static func install() {
        signal(SIGINT) { _ in
            if Interruption.requested { _exit(130) }
            Interruption.request()
            let msg = "\nStopping after the current file (Ctrl-C again to quit now)…\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
        }
    }
}
