import ArgumentParser
import Foundation
import KaiyuanCore
import KaiyuanMetrics
import KaiyuanOutputs
import KaiyuanPeople
import KaiyuanSources
import KaiyuanStore

struct Labels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "OpenDigger's labelled data and your own email-domain map.",
        subcommands: [LabelsImport.self, LabelsList.self, LabelsAddDomain.self, LabelsAddHubOrg.self]
    )
}

struct LabelsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read OpenDigger's labelled data (labeled_data/) into the store.",
        discussion: """
            Every .yml under DIR becomes a label named by its path (companies/alibaba/index.yml is \
            :companies/alibaba): companies, divisions (countries and provinces), foundations, \
            projects, communities, bots, with the GitHub, Gitee and AtomGit orgs, repositories and \
            users each lists. Importing again replaces what was there.

            Example:
              kaiyuan labels import ../shared/data/labels
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The labelled data folder.", valueName: "dir"))
    var directory: String

    func run() async throws {
        let labels: [LabelDefinition], problems: [LabelProblem]
        do { (labels, problems) = try LabelReader.read(directory: directory) } catch {
            printError((error as? CocoaError)?.userInfo[NSLocalizedDescriptionKey] as? String ?? "\(directory): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        for p in problems.prefix(10) { printError("skipped \(p)") }
        if problems.count > 10 { printError("… and \(problems.count - 10) more label files skipped") }
        guard !labels.isEmpty else { throw ValidationError("no labels found under \(directory); expected OpenDigger's labeled_data folder") }
        let db = try store.open(readOnly: false)
        try db.replaceLabels(labels)
        let members = labels.reduce(0) { $0 + $1.members.count }
        var types: [String: Int] = [:]
        for l in labels { types[l.type, default: 0] += 1 }
        let summary = types.sorted { $0.value > $1.value }.prefix(6).map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("\(labels.count) labels (\(summary), …) with \(members) orgs, repositories and users stored in \(store.path)")
        if !problems.isEmpty { throw ExitCode(2) }
    }
}

struct LabelsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored labels, optionally of one type.",
        discussion: "Example:\n  kaiyuan labels list --type Company --format csv"
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Company, Division-0 (countries), Division-1 (provinces), Foundation, Project, Community, Bot, …")
    var type: String?

    @Option(help: "table, json or csv.")
    var format: OutputFormat = .table

    func run() async throws {
        let db = try store.open(readOnly: true)
        let all = try db.labels()
        guard !all.isEmpty else { throw ValidationError("no labels in \(store.path); run `kaiyuan labels import DIR` first") }
        let index = LabelIndex(all)
        var table = DataTable(columns: ["label", "type", "name", "name_zh", "children", "orgs", "repos", "users"])
        for l in type.map({ index.labels(ofType: $0) }) ?? all {
            let c = index.coverage(of: l.id)
            table.rows.append([.text(l.id), .text(l.type), .text(l.name), .text(l.nameZh ?? ""), .number(Double(l.children.count)),
                               .number(Double(c.orgs.count)), .number(Double(c.repos.count)), .number(Double(c.users.count))])
        }
        print(table.render(format))
    }
}

struct LabelsAddDomain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-domain",
        abstract: "Say which organisation an email domain belongs to.",
        discussion: """
            kaiyuan knows the domains of many companies and universities; add your own (an \
            in-house domain, a subsidiary). Subdomains follow: adding corp.example.cn covers \
            dev.corp.example.cn too. Public mail domains (gmail.com, qq.com, 163.com, …) say \
            nothing about affiliation and are never mapped.

            Example:
              kaiyuan labels add-domain list.alibaba-inc.com --organisation Alibaba --label :companies/alibaba --country CN
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The email domain.", valueName: "domain"))
    var domain: String

    @Option(help: "The organisation's name.")
    var organisation: String

    @Option(help: ArgumentHelp("Its OpenDigger label, if any.", valueName: "label"))
    var label: String?

    @Option(help: ArgumentHelp("Its country, ISO 3166 alpha-2.", valueName: "code"))
    var country: String?

    func validate() throws {
        let d = domain.lowercased()
        guard d.contains("."), !d.contains("@"), !d.contains(" ") else { throw ValidationError("\(domain): expected a domain like example.com") }
        if OrganisationDomains.isPublicMail(d) { throw ValidationError("\(domain) is a public mail provider; it says nothing about affiliation") }
        if let country, country.count != 2 { throw ValidationError("--country \(country): expected a two-letter code such as CN") }
    }

    func run() async throws {
        let db = try store.open(readOnly: false)
        try db.setOrganisationDomain(domain, organisation: organisation, label: label.map { $0.hasPrefix(":") ? $0 : ":" + $0 }, country: country)
        print("\(domain.lowercased()) → \(organisation)")
    }
}

struct LabelsAddHubOrg: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-hub-org",
        abstract: "Say which label a Hugging Face organisation belongs to.",
        discussion: """
            kaiyuan maps the labs' Hub organisations to OpenDigger's labels (deepseek-ai → \
            :companies/deepseek, Qwen → :companies/alibaba, THUDM and zai-org → Zhipu, internlm → \
            Shanghai AI Lab, …; ARCHITECTURE.md lists them). Add an organisation the map lacks, or \
            move one: the label's Hub numbers (rank labels --by hf_downloads, show label, the \
            report) then count its models. The label must exist (kaiyuan labels import).

            Examples:
              kaiyuan labels add-hub-org Skywork --label :companies/kunlun
              kaiyuan labels add-hub-org openbmb --label :companies/modelbest
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The Hub organisation, as in huggingface.co/ORG.", valueName: "org"))
    var organisation: String

    @Option(help: ArgumentHelp("The label it belongs to.", valueName: "label"))
    var label: String

    func validate() throws {
        guard !organisation.isEmpty, !organisation.contains("/"), !organisation.contains(" ") else {
            throw ValidationError("\(organisation): expected an organisation name such as deepseek-ai (no slash)")
        }
    }

    func run() async throws {
        let db = try store.open(readOnly: false)
        let id = label.hasPrefix(":") ? label : ":" + label
        let known = try PeopleContext.load(from: db).labels
        guard known.label(id) != nil else {
            throw ValidationError("no label \(id) in \(store.path); `kaiyuan labels list --type Company` lists them (import them first with `kaiyuan labels import DIR`)")
        }
        try db.setHubOrganisation(organisation, label: id)
        print("huggingface:\(organisation) → \(id)")
    }
}
