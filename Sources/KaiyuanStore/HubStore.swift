import KaiyuanCore

/// Dated snapshots of a model hub (Hugging Face), and which hub organisations belong to which
/// label. The hub keeps no history of its counts, so every ingest run stores the day's records;
/// series are built from the snapshots.
public protocol HubStore: Sendable {
    /// Stores a snapshot. On the snapshot's date, the models of `snapshot.authors` (without case)
    /// that it lacks are removed (they were deleted or made private) and every model it carries
    /// replaces that model's record for the date: running the same listing twice on one day
    /// changes nothing. The run's coverage is recorded with it.
    func replaceHubSnapshot(_ snapshot: HubSnapshot) throws
    /// Every stored record, ordered by model id and then date.
    func forEachHubModel(_ body: (Day, HubModel) throws -> Void) throws
    /// The stored dates, oldest first, with how many models each holds.
    func hubSnapshotDates() throws -> [(date: Day, models: Int)]
    /// Per date, the union of what its runs covered.
    func hubCoverage() throws -> [Day: HubCoverage]
    /// A user's mapping of a hub organisation to a label (`labels add-hub-org`); a later call
    /// for the same organisation replaces it.
    func setHubOrganisation(_ organisation: String, label: String) throws
    /// organisation → label id, as the user set them.
    func hubOrganisations() throws -> [String: String]
}

/// How a store keeps a model's tags in one text field: joined with U+001F, which no tag holds
/// (a reader drops it from tags before they are stored).
public enum HubTags {
    public static let separator: Character = "\u{1F}"
    public static func join(_ tags: [String]) -> String { tags.joined(separator: String(separator)) }
    public static func split(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
}
