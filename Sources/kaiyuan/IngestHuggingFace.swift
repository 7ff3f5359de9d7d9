import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore

extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        guard argument.count == 10 else { return nil }
        self.init(argument)
    }
}

struct IngestHuggingFace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huggingface",
        abstract: "Read Hugging Face Hub models (downloads, likes, licences, derivatives) into the store.",
        discussion: """
            The Hub keeps no history, so every run stores a dated snapshot of the models it \
            reads; monthly runs build the series that `show repo huggingface:ORG/NAME`, `rank repos \
            --platform huggingface`, `rank labels --by hf_downloads`, the export and the report \
            use. A second run on the same date replaces that date's snapshot of those authors, so \
            re-running changes nothing. Each author is stored as soon as it is read: Ctrl-C keeps \
            the authors already done.

            --author reads the live Hub (/api/models?author=ORG, every page), completing a model \
            from its own record where the listing lacks all-time downloads, parameters or gating. \
            --with-derivatives also reads the models others built on them (base_model tags).

            --models-file reads a saved listing instead, one model a line (plain or .gz, the API's \
            shape of any year); its date is --as-of, else its newest lastModified.

            Examples:
              kaiyuan ingest huggingface --author deepseek-ai --author Qwen --with-derivatives
              kaiyuan ingest huggingface --models-file ../shared/data/huggingface/models-2022.jsonl.gz
              kaiyuan ingest huggingface --models-file models.jsonl --as-of 2025-06-30
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("author"), help: ArgumentHelp("A Hub organisation or user (repeatable).", valueName: "org"))
    var authors: [String] = []

    @Option(help: ArgumentHelp("A saved listing, one model a line (.jsonl or .jsonl.gz).", valueName: "file"))
    var modelsFile: String?

    @Option(help: ArgumentHelp("The date the snapshot describes (YYYY-MM-DD).", discussion: "Default: today (UTC) for --author; the newest lastModified for --models-file.", valueName: "date"))
    var asOf: Day?

    @Flag(help: "Also read the models other authors built on these (fine-tunes, adapters, quantizations, merges).")
    var withDerivatives = false

    @Option(help: ArgumentHelp("The Hub's address.", valueName: "url"))
    var api = "https://huggingface.co"

    @Option(help: ArgumentHelp("A Hub access token (gated and private models, higher rate limits).", discussion: "Default: $HF_TOKEN.", valueName: "token"))
    var token: String?

    @Flag(help: "Print every problem, not only the first few.")
    var verbose = false

    func validate() throws {
        if authors.isEmpty == (modelsFile == nil) { throw ValidationError("give --author ORG (the live Hub) or --models-file FILE (a saved listing), one of them") }
        if modelsFile != nil && withDerivatives { throw ValidationError("--with-derivatives reads the live Hub; a saved listing already holds whatever derivatives it has") }
        guard let url = URL(string: api), url.scheme == "http" || url.scheme == "https" else { throw ValidationError("--api \(api): expected an http(s) URL such as https://huggingface.co") }
    }

    func run() async throws {
        let db = try store.open(readOnly: false)
        let importer = HubImporter(store: db)
        let outcome: HubImporter.Outcome
        if let modelsFile {
            do { outcome = try importer.importFile(path: modelsFile, asOf: asOf) }
            catch let e as SourceError { printError(e.description); throw ExitCode(2) }
            catch let e as HubImporter.Failure { printError(e.description); throw ExitCode(2) }
        } else {
            let hub = HubAPI(base: URL(string: api)!, token: token ?? ProcessInfo.processInfo.environment["HF_TOKEN"])
            let bar = ProgressBar()
            let today = Day(daysSinceEpoch: Int64((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
            do {
                outcome = try await importer.importAPI(hub, authors: authors, withDerivatives: withDerivatives, date: asOf ?? today) { p in
                    bar.update(fraction: Double(p.done) / Double(max(p.total, 1)), label: "huggingface", detail: p.author)
                }
            } catch let e as HubAPI.Failure {
                bar.clear(); printError(e.description); throw ExitCode(2)
            }
            bar.clear()
        }
        let shown = verbose ? outcome.problems : Array(outcome.problems.prefix(5))
        for p in shown { printError(p.description) }
        if outcome.problems.count > shown.count { printError("… \(outcome.problems.count - shown.count) more problems; --verbose lists them all") }
        for f in outcome.failedAuthors { printError(f.why) }
        var line = "huggingface: \(outcome.models) model\(outcome.models == 1 ? "" : "s") of \(outcome.authors.count) author\(outcome.authors.count == 1 ? "" : "s")"
        if outcome.derivatives > 0 { line += " and \(outcome.derivatives) derivatives by others" }
        line += " stored as the snapshot of \(outcome.date)"
        if outcome.replacedEarlier { line += " (replacing that date's earlier one)" }
        if !outcome.problems.isEmpty { line += "; \(outcome.problems.count) problem\(outcome.problems.count == 1 ? "" : "s")" }
        if !outcome.failedAuthors.isEmpty { line += "; \(outcome.failedAuthors.count) author\(outcome.failedAuthors.count == 1 ? "" : "s") failed" }
        print(line)
        if !outcome.failedAuthors.isEmpty { throw ExitCode(2) }
    }
}
