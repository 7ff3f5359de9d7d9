import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanIngest
import KaiyuanOutputs
import KaiyuanSources
import KaiyuanStore

/// What `kaiyuan ingest gitee|gitcode|atomgit` share: the forges speak one API.
struct ForgeOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("OWNER/REPO, or OWNER alone for all of its public repositories (repeatable).", valueName: "owner[/repo]"))
    var targets: [String]

    @Option(help: ArgumentHelp("The API's address.", discussion: "Default: the forge's public v5 API.", valueName: "url"))
    var api: String?

    @Option(help: ArgumentHelp("An access token (private repositories, higher rate limits).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Only items updated since this date (YYYY-MM-DD); later runs go on from where the last stopped.", valueName: "date"))
    var since: Day?

    @Flag(help: "Print every problem, not only the first few.")
    var verbose = false

    func validate() throws {
        for t in targets where t.isEmpty || t.split(separator: "/", omittingEmptySubsequences: false).count > 2 || t.hasPrefix("/") || t.hasSuffix("/") {
            throw ValidationError("\(t): expected OWNER/REPO or OWNER")
        }
        if let api, URL(string: api)?.scheme.map({ $0 == "http" || $0 == "https" }) != true {
            throw ValidationError("--api \(api): expected an http(s) URL such as https://gitee.com/api/v5")
        }
    }

    func run(_ platform: Platform, tokenVariable: String, store: StoreOptions) async throws {
        let db = try store.open(readOnly: false)
        let client = ForgeAPI(platform: platform, base: api.flatMap(URL.init(string:)),
                              token: token ?? ProcessInfo.processInfo.environment[tokenVariable])
        let importer = ForgeImporter(store: db)
        Interruption.install()
        let bar = ProgressBar()
        var failed = 0
        var problems = 0
        for target in targets {
            var names = [target]
            do {
                if !target.contains("/") { names = try await client.repositories(owner: target) }
            } catch let e as ForgeAPI.Failure {
                bar.clear(); printError(e.description)
                if case .unauthorised = e { throw ExitCode(2) }
                failed += 1; continue
            }
            for name in names {
                do {
                    let outcome = try await importer.importRepository(client, name, since: since) { p in
                        bar.update(fraction: 0, label: platform.rawValue, detail: "\(p.repository) \(p.endpoint) \(p.items)")
                    }
                    bar.clear()
                    for p in verbose ? outcome.problems : Array(outcome.problems.prefix(5)) { printError(p) }
                    if !verbose && outcome.problems.count > 5 { printError("… \(outcome.problems.count - 5) more problems; --verbose lists them all") }
                    problems += outcome.problems.count
                    print(outcome.line)
                } catch let e as ForgeAPI.Failure {
                    bar.clear(); printError(e.description)
                    if case .unauthorised = e { throw ExitCode(2) }
                    failed += 1
                } catch let e as HTTPClient.Failure {
                    bar.clear(); printError(e.description); failed += 1
                } catch let e as ForgeImporter.Interrupted {
                    bar.clear(); printError(e.description); throw ExitCode(130)
                }
                if Interruption.requested { throw ExitCode(130) }
            }
        }
        if failed > 0 || problems > 0 { throw ExitCode(2) }
    }
}

/// `kaiyuan ingest gitee|gitcode|atomgit`: the same command for each forge.
protocol ForgeIngestCommand: AsyncParsableCommand {
    static var platform: Platform { get }
    static var tokenVariable: String { get }
    var store: StoreOptions { get }
    var options: ForgeOptions { get }
}

extension ForgeIngestCommand {
    func run() async throws { try await options.run(Self.platform, tokenVariable: Self.tokenVariable, store: store) }

    static func forgeConfiguration(_ abstract: String) -> CommandConfiguration {
        CommandConfiguration(commandName: platform.rawValue, abstract: abstract,
                             discussion: forgeDiscussion(platform: platform.rawValue, variable: tokenVariable, example: "openharmony/docs"))
    }
}

struct IngestGitee: ForgeIngestCommand {
    static let platform = Platform.gitee, tokenVariable = "GITEE_TOKEN"
    static let configuration = forgeConfiguration("Read Gitee repositories through its API: issues, pull requests, comments, stars, forks.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ForgeOptions
}

struct IngestGitCode: ForgeIngestCommand {
    static let platform = Platform.gitcode, tokenVariable = "GITCODE_TOKEN"
    static let configuration = forgeConfiguration("Read GitCode repositories through its Gitee-style v5 API.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ForgeOptions
}

struct IngestAtomGit: ForgeIngestCommand {
    static let platform = Platform.atomgit, tokenVariable = "ATOMGIT_TOKEN"
    static let configuration = forgeConfiguration("Read AtomGit repositories through its Gitee-style v5 API.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ForgeOptions
}

func forgeDiscussion(platform: String, variable: String, example: String) -> String {
    """
    Each repository becomes the facts GH Archive gives, under platform \(platform): issues and \
    pull requests opened, closed and merged, comments, stars and forks, with the dates the API \
    gives. So activity, participants, issue and change request counts, response times, bus \
    factor and new or inactive contributors work as for GitHub, and `kaiyuan compute openrank` \
    ranks the \(platform) graph (or a cross-platform one with --platforms github,\(platform)).

    Every page is committed as it is read, and a list read to its end records its cursor: \
    Ctrl-C loses nothing committed, the next run goes on from the last finished cursor, and a \
    later run asks only for what changed since. Re-running changes nothing. Rate limits (HTTP 403/429, Retry-After) are waited out. The token is read from \
    --token or $\(variable) and never printed.

    The list endpoints do not say who closed an issue or a pull request: such closes count, \
    by an unknown account that OpenRank leaves out. Commits come from the clone: `kaiyuan \
    ingest git https://…/OWNER/REPO.git`.

    Examples:
      kaiyuan ingest \(platform) \(example)
      kaiyuan ingest \(platform) openharmony            (every public repository of the owner)
      kaiyuan ingest \(platform) \(example) --since 2025-01-01
    """
}
