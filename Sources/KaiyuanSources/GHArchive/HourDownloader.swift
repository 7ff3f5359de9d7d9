import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How a download ended.
public enum DownloadOutcome: Sendable, Equatable {
    case downloaded(path: String, bytes: Int64)
    /// The archive has no such hour (HTTP 404): GH Archive has gaps.
    case missingUpstream
    case failed(String)
}

/// Downloads GH Archive hours into a cache folder. A download goes to `NAME.part` first and is
/// renamed only when complete; an interrupted one is resumed with an HTTP Range request.
/// Transient failures (network errors, 5xx, 429) are retried with exponential back-off.
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
        let part = final + ".part"
        var lastError = ""
        for attempt in 0...retries {
            if attempt > 0 {
                try? await Task.sleep(nanoseconds: UInt64(initialBackoff * pow(2, Double(attempt - 1)) * 1e9))
            }
            switch await fetch(url(for: hour), into: part) {
            case .complete:
                do {
                    if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
                    try FileManager.default.moveItem(atPath: part, toPath: final)
                } catch {
                    return .failed("\(final): \(error.localizedDescription)")
                }
                let size = ((try? FileManager.default.attributesOfItem(atPath: final))?[.size] as? NSNumber)?.int64Value ?? 0
                return .downloaded(path: final, bytes: size)
            case .notFound:
                try? FileManager.default.removeItem(atPath: part)
                return .missingUpstream
            case let .transient(message):
                lastError = message
            case let .permanent(message):
                return .failed("\(url(for: hour)): \(message)")
            }
        }
        return .failed("\(url(for: hour)): \(lastError) (gave up after \(retries + 1) tries; the partial file is kept and the next run resumes it)")
    }

    enum FetchResult { case complete, notFound, transient(String), permanent(String) }

    private func fetch(_ url: URL, into part: String) async -> FetchResult {
        let existing = ((try? FileManager.default.attributesOfItem(atPath: part))?[.size] as? NSNumber)?.int64Value ?? 0
        var request = URLRequest(url: url, timeoutInterval: timeout)
        if existing > 0 { request.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        let sink = FileSink(path: part, resumeFrom: existing)
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            sink.finished = { continuation.resume(returning: $0) }
            session.dataTask(with: request).resume()
        }
    }
}

/// Streams a response body to a file, appending after a 206 and starting over after a 200.
private final class FileSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let path: String
    let resumeFrom: Int64
    var handle: FileHandle?
    var status = 0
    var expected: Int64 = -1
    var received: Int64 = 0
    var writeError: String?
    var finished: ((HourDownloader.FetchResult) -> Void)?

    init(path: String, resumeFrom: Int64) {
        self.path = path
        self.resumeFrom = resumeFrom
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        expected = response.expectedContentLength
        guard status == 200 || status == 206 else { completionHandler(.cancel); return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forWritingAtPath: path)
        if status == 206 && resumeFrom > 0 {
            handle?.seekToEndOfFile()
        } else {
            handle?.truncateFile(atOffset: 0)
        }
        completionHandler(handle == nil ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try handle?.write(contentsOf: data)
            received += Int64(data.count)
        } catch {
            writeError = error.localizedDescription
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        try? handle?.close()
        let result: HourDownloader.FetchResult
        if let writeError {
            result = .permanent("writing \(path): \(writeError)")
        } else if status == 404 || status == 410 {
            result = .notFound
        } else if status == 416 {
            // The range starts past the end: the partial file is stale; start over next try.
            try? FileManager.default.removeItem(atPath: path)
            result = .transient("HTTP 416")
        } else if status == 429 || status >= 500 {
            result = .transient("HTTP \(status)")
        } else if status != 0 && status != 200 && status != 206 {
            result = .permanent("HTTP \(status)")
        } else if let error {
            result = .transient(error.localizedDescription)
        } else if expected >= 0 && received != expected {
            result = .transient("connection closed after \(received) of \(expected) bytes")
        } else {
            result = .complete
        }
        finished?(result)
        finished = nil
    }
}
