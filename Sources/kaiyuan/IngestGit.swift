import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanLicences
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore

struct IngestGit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Read git histories (any forge) into the store.",
        discussion: """
            Runs `git log` (the form of spec/git-log-format.md) on local clones, or clones a URL \
            first into a cache folder (a second run fetches into it). The repository is filed \
            under its remote (github:, gitee:, atomgit:, gitlab:) unless --repo names it. A second \
            run reads only the commits added since the first; commits are keyed by sha, so \
            re-running changes nothing and Ctrl-C loses nothing already stored.

            --log-file reads a saved export of the same form (plain or .gz) instead; then --repo \
            is required.

            Examples:
              kaiyuan ingest git .
              kaiyuan ingest git ~/src/nacos ~/src/sentinel
              kaiyuan ingest git https://gitee.com/openharmony/docs.git
              kaiyuan ingest git --repo gitee:mindspore/mindspore --log-file mindspore.gitlog.gz
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Clones (folders) or URLs to read.", valueName: "path-or-url"))
    var sources: [String] = []

    @Option(help: ArgumentHelp("File the history under PLATFORM:OWNER/NAME (github, gitee, atomgit, gitlab, other).", valueName: "platform:owner/name"))
    var repo: String?

    @Option(help: ArgumentHelp("A saved `git log` export to read instead of a clone.", valueName: "file"))
    var logFile: String?

    @Flag(help: "Read the whole history again, not only what is new.")
    var full = false

    @Option(help: ArgumentHelp("Folder for clones of URLs.", discussion: "Default: $XDG_CACHE_HOME/kaiyuan/git or ~/.cache/kaiyuan/git.", valueName: "dir"))
    var cache: String?

    @Flag(help: "Print every problem found in a log, not only the first few.")
    var verbose = false

    func validate() throws {
        if logFile == nil && sources.isEmpty { throw ValidationError("give a clone or URL to read (`kaiyuan ingest git .`), or --log-file with --repo") }
        if logFile != nil && !sources.isEmpty { throw ValidationError("give either clones/URLs or --log-file, not both") }
        if logFile != nil && repo == nil { throw ValidationError("--log-file needs --repo PLATFORM:OWNER/NAME (e.g. gitee:alibaba/nacos): an export does not say where it came from") }
        if repo != nil && sources.count > 1 { throw ValidationError("--repo names one repository; give one clone with it") }
        if let repo, ForgeRepo(repo) == nil { throw ValidationError("--repo \(repo): expected PLATFORM:OWNER/NAME such as gitee:openharmony/docs") }
    }

    func run() async throws {
        let db = try store.open(readOnly: false)
        var importer = GitImporter(store: db)
        do { importer.licences = try LicenceIndex.shared() } catch { printError("licences will not be read: \(error)") }
        let name = repo.flatMap { ForgeRepo($0) }
        Interruption.install()
        let bar = ProgressBar()
        var hadProblems = false
        func report(_ summary: GitImportSummary) {
            bar.clear()
            printProblems(summary.stats, in: summary.source, all: verbose)
            hadProblems = hadProblems || summary.stats.problemTotal > 0
            print(summary.line)
        }
        let progress: (Int) -> Void = { n in bar.update(fraction: 0, label: "git log", detail: "\(compactCount(Double(n))) commits") }

        if let logFile, let name {
            let summary: GitImportSummary
            do { summary = try importer.importLogFile(logFile, as: name, progress: progress) }
            catch let e as SourceError {
                // A file that cannot be read is a failed run, not a usage error.
                printError(e.description)
                throw ExitCode(2)
            }
            report(summary)
            if summary.interrupted { throw ExitCode(130) }
        } else {
            for source in sources {
                let opened: (clone: GitRepository, repo: ForgeRepo)
                do {
                    if GitRepository.isURL(source) { bar.update(fraction: 0, label: "clone", detail: source) }
                    opened = try GitRepository.open(source, cache: cacheDirectory)
                } catch let e as GitError {
                    bar.clear()
                    printError("\(source): \(e)")
                    hadProblems = true
                    continue
                }
                let summary = try importer.importClone(opened.clone, as: name ?? opened.repo, full: full, progress: progress)
                report(summary)
                if summary.interrupted { throw ExitCode(130) }
            }
        }
        if hadProblems { throw ExitCode(2) }
    }

    var cacheDirectory: String { cache ?? Self.defaultCache }

    static var defaultCache: String { kaiyuanCache("git") }
}
