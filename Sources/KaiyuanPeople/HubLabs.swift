import KaiyuanCore

/// Which Hugging Face organisations belong to which company or institution, so that a label's
/// Hub adoption stands beside its GitHub influence. The built-in map names the labs an annual
/// report asks about; `kaiyuan labels add-hub-org ORG --label ID` adds to it or overrides it.
///
/// A lab OpenDigger has no label for (Zhipu, MiniMax, StepFun…) gets one here, placed under its
/// province or country so that country rankings count it; its evidence says it is kaiyuan's.
public enum HubLabs {
    public struct Lab: Sendable, Hashable {
        public var organisation: String
        public var label: String
        /// For a label kaiyuan defines (none in OpenDigger's data): its name and where it is.
        public var name: String?
        public var nameZh: String?
        public var division: String?
    }

    public static let builtIn: [Lab] = {
        func lab(_ orgs: [String], _ label: String, _ name: String? = nil, _ nameZh: String? = nil, _ division: String? = nil) -> [Lab] {
            orgs.map { Lab(organisation: $0, label: label, name: name, nameZh: nameZh, division: division) }
        }
        return lab(["deepseek-ai"], ":companies/deepseek")
            + lab(["Qwen", "Alibaba-NLP", "AIDC-AI", "Wan-AI", "alibaba-pai"], ":companies/alibaba")
            + lab(["THUDM", "zai-org"], ":companies/zhipu", "Zhipu AI", "智谱", ":divisions/CN/CN-BJ")
            + lab(["moonshotai"], ":companies/moonshot")
            + lab(["MiniMaxAI"], ":companies/minimax", "MiniMax", "稀宇科技", ":divisions/CN/CN-SH")
            + lab(["stepfun-ai"], ":companies/stepfun", "StepFun", "阶跃星辰", ":divisions/CN/CN-SH")
            + lab(["baichuan-inc"], ":companies/baichuan", "Baichuan", "百川智能", ":divisions/CN/CN-BJ")
            + lab(["01-ai"], ":companies/01ai", "01.AI", "零一万物", ":divisions/CN/CN-BJ")
            + lab(["internlm", "OpenGVLab", "opencompass"], ":institutions/sh_ai_lab")
            + lab(["BAAI"], ":institutions/baai")
            + lab(["hfl"], ":companies/iflytek")
            + lab(["uer", "tencent", "Tencent-Hunyuan"], ":companies/tencent")
            + lab(["IDEA-CCNL"], ":institutions/idea")
            + lab(["unitreerobotics"], ":companies/unitree", "Unitree Robotics", "宇树科技", ":divisions/CN/CN-ZJ")
            + lab(["baidu", "PaddlePaddle"], ":companies/baidu")
            + lab(["ByteDance", "ByteDance-Seed", "bytedance-research"], ":companies/bytedance")
            + lab(["openbmb"], ":companies/modelbest")
            + lab(["inclusionAI"], ":companies/antgroup")
            + lab(["XiaomiMiMo"], ":companies/xiaomi")
            + lab(["meta-llama", "facebook"], ":companies/meta")
            + lab(["google", "google-bert", "google-t5"], ":companies/google")
            + lab(["microsoft"], ":companies/microsoft")
            + lab(["openai"], ":companies/openai")
            + lab(["nvidia"], ":companies/nvidia")
            + lab(["ibm-granite"], ":companies/ibm")
            + lab(["apple"], ":companies/apple")
            + lab(["amazon"], ":companies/amazon")
            + lab(["HuggingFaceTB", "HuggingFaceH4"], ":companies/huggingface")
            + lab(["mistralai"], ":companies/mistral", "Mistral AI", nil, ":divisions/FR")
    }()

    /// The labels with Hub organisations added as members: the built-in map, then the user's
    /// (`user`: organisation → label id) over it. Labels the built-in map defines are added
    /// only where OpenDigger's data lacks them, and only when any labels were imported.
    public static func augment(_ labels: [LabelDefinition], user: [String: String]) -> [LabelDefinition] {
        guard !labels.isEmpty else { return labels }
        var byID = Dictionary(labels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var order = labels.map(\.id)
        var chosen: [String: Lab] = [:]
        for lab in builtIn { chosen[lab.organisation.lowercased()] = lab }
        for (org, label) in user { chosen[org.lowercased()] = Lab(organisation: org, label: label) }
        for lab in chosen.values.sorted(by: { $0.organisation.lowercased() < $1.organisation.lowercased() }) {
            if byID[lab.label] == nil {
                guard let name = lab.name ?? builtIn.first(where: { $0.label == lab.label && $0.name != nil })?.name else { continue }
                let def = builtIn.first { $0.label == lab.label && $0.name != nil }
                byID[lab.label] = LabelDefinition(id: lab.label, type: lab.label.hasPrefix(":institutions/") ? "Institution-0" : "Company",
                                                  name: name, nameZh: def?.nameZh)
                order.append(lab.label)
                if let division = def?.division {
                    // The province if OpenDigger has it, else its country.
                    let parent = byID[division] != nil ? division : division.split(separator: "/").prefix(2).joined(separator: "/")
                    if byID[parent] != nil, !(byID[parent]!.children.contains(lab.label)) { byID[parent]!.children.append(lab.label) }
                }
            }
            byID[lab.label]!.members.append(LabelMember(platform: .huggingface, kind: .org, id: nil, name: lab.organisation))
        }
        return order.compactMap { byID[$0] }
    }

    /// The evidence for an organisation's label, in words.
    public static func evidence(organisation: String, user: [String: String]) -> String? {
        if let l = user.first(where: { $0.key.lowercased() == organisation.lowercased() })?.value { return "\(organisation) → \(l) (labels add-hub-org)" }
        if let lab = builtIn.first(where: { $0.organisation.lowercased() == organisation.lowercased() }) {
            return "\(organisation) → \(lab.label) (kaiyuan's built-in map of Hub labs\(lab.name != nil ? "; label defined by kaiyuan, not OpenDigger" : ""))"
        }
        return nil
    }
}
