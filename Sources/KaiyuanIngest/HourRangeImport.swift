import Foundation
import KaiyuanSources
import KaiyuanStore

/// Imports a range of GH Archive hours: skips hours already in the store, downloads the next
/// hour while the current one is being read, reports hours the archive does not have, and
/// carries on past any one failure.
public struct HourRangeImport: Sendable {
    public var downloader: HourDownloader
    public var keepDownloads: Bool

    public init(downloader: HourDownloader, keepDownloads: Bool = false) {
        self.downloader = downloader
        self.keepDownloads = keepDownloads
    }

    public func run(hours: [ArchiveHour], importer: GHArchiveImporter, store: any EventStore,
                    onSkipKnown: (@Sendable (ArchiveHour) -> Void)? = nil) async -> ImportSummary {
        var summary = ImportSummary()
        let start = Date()
        var pending: [ArchiveHour] = []
        for hour in hours {
            if (try? store.ingestedFile(named: hour.fileName)) != nil {
                summary.alreadyIngested += 1
                onSkipKnown?(hour)
            } else {
                pending.append(hour)
            }
        }
        let downloader = self.downloader
        var next: Task<DownloadOutcome, Never>? = pending.first.map { h in Task { await downloader.download(h) } }
        for (i, hour) in pending.enumerated() {
            let outcome = await next!.value
            next = i + 1 < pending.count ? Task { [h = pending[i + 1]] in await downloader.download(h) } : nil
            if Interruption.requested { summary.interrupted = true; break }
            switch outcome {
            case .missingUpstream:
                summary.missingUpstream.append(hour.fileName)
            case let .failed(reason):
                summary.rejected.append((hour.fileName, reason))
            case let .downloaded(path, _):
                let result = importer.importFile(path, index: i, total: pending.count)
                summary.add(result)
                switch result.outcome {
                case .imported, .alreadyIngested:
                    if !keepDownloads { try? FileManager.default.removeItem(atPath: path) }
                case .rejected:
                    // A damaged download: drop it so the next run fetches it again.
                    try? FileManager.default.removeItem(atPath: path)
                case .interrupted:
                    break
                }
            }
        }
        if let next { _ = await next.value }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}
