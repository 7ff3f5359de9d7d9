import Foundation

/// How a download ended.
public enum DownloadOutcome: Sendable, Equatable {
    case downloaded(path: String, bytes: Int64)
    /// The archive has no such hour (HTTP 404): GH Archive has gaps.
    case missingUpstream
    case failed(String)
}

/// Downloads GH Archive hours into a cache folder, through `HTTPClient`: a download goes to
/// `NAME.part` first and is renamed only when complete; an interrupted one is resumed with an
/// HTTP Range request; transient failures (network errors, 5xx, 429) are retried with back-off.
public struct HourDownloader: Sendable {
    public var mirror: URL
    public var cacheDirectory: URL
    public var retries: Int
    public var initialBackoff: Double
    public var timeout: Double

    public static let defaultMirror = URL(string: "https://data.gharchive.org/")!

    public init(mirror: URL = defaultMirror, cacheDirectory: URL, retries: Int = 4, initialBackoff: Double = 1, timeout: Double = 120) {
        self.mirror = mirror
        self.cacheDirectory = cacheDirectory
        self.retries = retries
        self.initialBackoff = initialBackoff
        self.timeout = timeout
    }

    public func url(for hour: ArchiveHour) -> URL { mirror.appendingPathComponent(hour.fileName) }
    public func localPath(for hour: ArchiveHour) -> String { cacheDirectory.appendingPathComponent(hour.fileName).path }

    var client: HTTPClient { HTTPClient(retries: retries, initialBackoff: initialBackoff, timeout: timeout) }

    public func download(_ hour: ArchiveHour) async -> DownloadOutcome {
        let final = localPath(for: hour)
        if FileManager.default.fileExists(atPath: final) {
            let size = ((try? FileManager.default.attributesOfItem(atPath: final))?[.size] as? NSNumber)?.int64Value ?? 0
            return .downloaded(path: final, bytes: size)
        }
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        } catch {
            return .failed("cannot create \(cacheDirectory.path): \(error.localizedDescription)")
        }
        do {
            return .downloaded(path: final, bytes: try await client.download(url(for: hour), to: final))
        } catch HTTPClient.Failure.notFound {
            return .missingUpstream
        } catch let HTTPClient.Failure.failed(url, why) where why.contains("gave up") {
            return .failed("\(url): \(why); the partial file is kept and the next run resumes it")
        } catch {
            return .failed("\(error)")
        }
    }
}
