/// An organisation an email domain belongs to.
public struct Organisation: Hashable, Sendable {
    public var name: String
    /// The OpenDigger label of the organisation, where it has one (`:companies/alibaba`).
    public var label: String?
    /// ISO 3166 alpha-2 of its home country, where known.
    public var country: String?

    public init(name: String, label: String? = nil, country: String? = nil) {
        self.name = name
        self.label = label
        self.country = country
    }
}

/// Email domain → organisation (spec/metrics.md §9): a built-in map of well-known company,
/// university and foundation domains, to which users add their own (`kaiyuan labels domains`).
/// Public mail providers say nothing about affiliation and are never looked up.
public struct OrganisationDomains: Sendable {
    public private(set) var map: [String: Organisation]

    public init(extra: [String: Organisation] = [:], builtIn: Bool = true) {
        map = builtIn ? Self.builtIn : [:]
        for (domain, org) in extra { map[domain.lowercased()] = org }
    }

    /// The organisation of an address's domain, walking up parent domains
    /// (`dev.mail.alibaba-inc.com` → `alibaba-inc.com`); nil for public mail and unknown domains.
    public func organisation(ofEmail email: String) -> (domain: String, organisation: Organisation)? {
        guard let domain = Self.domain(of: email), !Self.isPublicMail(domain) else { return nil }
        var d = Substring(domain)
        while d.contains(".") {
            if let org = map[String(d)] { return (String(d), org) }
            d = d[d.index(after: d.firstIndex(of: ".")!)...]
        }
        return nil
    }

    public static func domain(of email: String) -> String? {
        guard let at = email.lastIndex(of: "@") else { return nil }
        let d = email[email.index(after: at)...].lowercased().trimmingCharacters(in: .whitespaces)
        return d.contains(".") ? d : nil
    }

    /// Free mail services: an address there tells nothing about an employer.
    public static func isPublicMail(_ domain: String) -> Bool {
        publicMail.contains(domain) || domain.hasSuffix(".noreply.github.com") || domain == "users.noreply.github.com"
            || domain.hasSuffix("noreply.gitee.com")
    }

    public static let publicMail: Set<String> = [
        "gmail.com", "googlemail.com", "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com",
        "vip.126.com", "yeah.net", "188.com", "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "aliyun.com",
        "139.com", "189.cn", "wo.cn", "tom.com", "21cn.com", "outlook.com", "hotmail.com", "live.com", "live.cn",
        "msn.com", "yahoo.com", "yahoo.co.jp", "yahoo.com.cn", "ymail.com", "icloud.com", "me.com", "mac.com",
        "protonmail.com", "proton.me", "pm.me", "gmx.de", "gmx.net", "gmx.com", "web.de", "mail.ru", "yandex.ru",
        "yandex.com", "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "naver.com", "hanmail.net",
        "daum.net", "rediffmail.com", "aol.com", "mail.com", "email.cz", "seznam.cz", "wp.pl", "o2.pl",
        "hotmail.co.uk", "outlook.jp", "qq.cn", "163.net", "263.net", "88.com", "petalmail.com",
    ]

    static let builtIn: [String: Organisation] = {
        var m: [String: Organisation] = [:]
        func add(_ label: String?, _ name: String, _ country: String?, _ domains: String...) {
            for d in domains { m[d] = Organisation(name: name, label: label, country: country) }
        }
        // China
        add(":companies/alibaba", "Alibaba", "CN", "alibaba-inc.com", "alibaba.com", "alibabacloud.com", "taobao.com", "tmall.com", "alibaba.net", "list.alibaba-inc.com")
        add(":companies/antgroup", "Ant Group", "CN", "antgroup.com", "antfin.com", "alipay.com", "oceanbase.com", "mybank.cn")
        add(":companies/huawei", "Huawei", "CN", "huawei.com", "huaweicloud.com", "hisilicon.com", "h-partners.com")
        add(":companies/tencent", "Tencent", "CN", "tencent.com", "wechat.com")
        add(":companies/baidu", "Baidu", "CN", "baidu.com")
        add(":companies/bytedance", "ByteDance", "CN", "bytedance.com", "bytedance.net", "douyin.com", "tiktok.com")
        add(":companies/pingcap", "PingCAP", "CN", "pingcap.com", "pingcap.cn")
        add(":companies/deepseek", "DeepSeek", "CN", "deepseek.com")
        add(":companies/moonshot", "Moonshot AI (Kimi)", "CN", "moonshot.cn", "moonshot.ai")
        add(":companies/xiaomi", "Xiaomi", "CN", "xiaomi.com")
        add(":companies/jd", "JD.com", "CN", "jd.com", "jd.hk", "jdt.com.cn")
        add(":companies/meituan", "Meituan", "CN", "meituan.com", "sankuai.com")
        add(":companies/didi", "DiDi", "CN", "didiglobal.com", "didichuxing.com")
        add(":companies/netease", "NetEase", "CN", "netease.com", "corp.netease.com")
        add(":companies/zte", "ZTE", "CN", "zte.com.cn")
        add(":companies/inspur", "Inspur", "CN", "inspur.com")
        add(":companies/iflytek", "iFlytek", "CN", "iflytek.com")
        add(":companies/sensetime", "SenseTime", "CN", "sensetime.com")
        add(":companies/megvii", "Megvii", "CN", "megvii.com")
        add(":companies/bilibili", "Bilibili", "CN", "bilibili.com")
        add(":companies/qiniu", "Qiniu", "CN", "qiniu.com")
        add(":companies/webank", "WeBank", "CN", "webank.com")
        add(":companies/ctrip", "Trip.com", "CN", "ctrip.com", "trip.com")
        add(":companies/vipshop", "Vipshop", "CN", "vipshop.com")
        add(":companies/iqiyi", "iQIYI", "CN", "iqiyi.com")
        add(":companies/tuya", "Tuya", "CN", "tuya.com")
        add(":companies/espressif", "Espressif", "CN", "espressif.com")
        add(":companies/rtthread", "RT-Thread", "CN", "rt-thread.com", "rt-thread.org")
        add(":companies/daocloud", "DaoCloud", "CN", "daocloud.io")
        add(":companies/emq", "EMQ", "CN", "emqx.io", "emqx.com")
        add(":companies/zilliz", "Zilliz", "CN", "zilliz.com")
        add(":companies/starrocks", "StarRocks", "CN", "starrocks.com", "starrocks.io")
        add(":companies/selectdb", "SelectDB", "CN", "selectdb.com")
        add(":companies/kyligence", "Kyligence", "CN", "kyligence.io")
        add(":companies/databend", "Databend", "CN", "databend.com", "datafuselabs.com")
        add(":companies/greptime", "Greptime", "CN", "greptime.com")
        add(":companies/vesoft", "vesoft", "CN", "vesoft.com")
        add(":companies/matrix_origin", "MatrixOrigin", "CN", "matrixorigin.io", "matrixorigin.cn")
        add(":companies/fit2cloud", "FIT2CLOUD", "CN", "fit2cloud.com")
        add(":companies/qingcloud", "QingCloud", "CN", "qingcloud.com", "yunify.com")
        add(":companies/youzan", "Youzan", "CN", "youzan.com")
        add(":companies/hundsun", "Hundsun", "CN", "hundsun.com")
        add(":companies/zstack", "ZStack", "CN", "zstack.io")
        add(":companies/api7", "API7.ai", "CN", "api7.ai")
        add(":companies/taos", "TDengine (TAOS Data)", "CN", "taosdata.com")
        add(":companies/sphereex", "SphereEx", "CN", "sphere-ex.com")
        add(":companies/xorbits", "Xorbits", "CN", "xprobe.io")
        add(":companies/oneflow", "OneFlow", "CN", "oneflow.org")
        add(":companies/siliconflow", "SiliconFlow", "CN", "siliconflow.cn")
        add(":companies/modelbest", "ModelBest", "CN", "modelbest.cn")
        add(":companies/infiniflow", "InfiniFlow", "CN", "infiniflow.org")
        add(":companies/timecho", "Timecho", "CN", "timecho.com")
        add(":companies/dtstack", "DTStack", "CN", "dtstack.com")
        add(":companies/openkylin", "openKylin / KylinSoft", "CN", "kylinos.cn", "openkylin.top")
        add(":companies/deepin", "deepin / UnionTech", "CN", "deepin.org", "uniontech.com", "deepin.com")
        add(":companies/tencent", "Tencent", "CN", "qq.com.cn")
        add(":institutions/cas", "Chinese Academy of Sciences", "CN", "cas.cn", "iscas.ac.cn", "ict.ac.cn", "ucas.ac.cn", "ucas.edu.cn")
        add(":universities/thu", "Tsinghua University", "CN", "tsinghua.edu.cn", "mails.tsinghua.edu.cn")
        add(":universities/pku", "Peking University", "CN", "pku.edu.cn", "stu.pku.edu.cn")
        add(":universities/hust", "Huazhong University of Science and Technology", "CN", "hust.edu.cn")
        add(":universities/whu", "Wuhan University", "CN", "whu.edu.cn")
        add(":universities/cug", "China University of Geosciences", "CN", "cug.edu.cn")
        add(":universities/hubu", "Hubei University", "CN", "hubu.edu.cn")
        add(":universities/hku", "The University of Hong Kong", "HK", "hku.hk", "connect.hku.hk")
        add(nil, "East China Normal University", "CN", "ecnu.edu.cn", "stu.ecnu.edu.cn")
        add(nil, "Zhejiang University", "CN", "zju.edu.cn")
        add(nil, "Shanghai Jiao Tong University", "CN", "sjtu.edu.cn")
        add(nil, "Fudan University", "CN", "fudan.edu.cn")
        add(nil, "University of Science and Technology of China", "CN", "ustc.edu.cn", "mail.ustc.edu.cn")
        add(nil, "Nanjing University", "CN", "nju.edu.cn", "smail.nju.edu.cn")
        add(nil, "Open Source China (OSCHINA/Gitee)", "CN", "oschina.cn", "gitee.com")
        // Elsewhere
        add(":companies/google", "Google", "US", "google.com", "chromium.org")
        add(":companies/microsoft", "Microsoft", "US", "microsoft.com")
        add(":companies/redhat", "Red Hat", "US", "redhat.com")
        add(":companies/intel", "Intel", "US", "intel.com")
        add(":companies/ibm", "IBM", "US", "ibm.com", "us.ibm.com", "cn.ibm.com")
        add(":companies/apple", "Apple", "US", "apple.com")
        add(":companies/amazon", "Amazon", "US", "amazon.com", "amazon.de", "amazon.co.uk")
        add(":companies/nvidia", "NVIDIA", "US", "nvidia.com")
        add(":companies/meta", "Meta", "US", "meta.com", "fb.com")
        add(":companies/oracle", "Oracle", "US", "oracle.com")
        add(":companies/vmware", "VMware", "US", "vmware.com", "broadcom.com")
        add(":companies/salesforce", "Salesforce", "US", "salesforce.com")
        add(":companies/samsung", "Samsung", "KR", "samsung.com")
        add(":companies/nokia", "Nokia", "FI", "nokia.com")
        add(":companies/databricks", "Databricks", "US", "databricks.com")
        add(":companies/elastic", "Elastic", "US", "elastic.co")
        add(":companies/hashicorp", "HashiCorp", "US", "hashicorp.com")
        add(":companies/mongodb", "MongoDB", "US", "mongodb.com")
        add(":companies/github", "GitHub", "US", "github.com")
        add(":companies/cloudflare", "Cloudflare", "US", "cloudflare.com")
        add(":companies/netflix", "Netflix", "US", "netflix.com")
        add(":companies/linkedin", "LinkedIn", "US", "linkedin.com")
        add(":companies/uber", "Uber", "US", "uber.com")
        add(":companies/twitter", "Twitter", "US", "twitter.com")
        add(":companies/yandex", "Yandex", "RU", "yandex-team.ru")
        add(":companies/jetbrains", "JetBrains", "CZ", "jetbrains.com")
        add(":companies/docker", "Docker", "US", "docker.com")
        add(":companies/huggingface", "Hugging Face", "US", "huggingface.co")
        add(":companies/openai", "OpenAI", "US", "openai.com")
        add(":companies/anthropic", "Anthropic", "US", "anthropic.com")
        add(":companies/deepmind", "Google DeepMind", "GB", "deepmind.com")
        add(":companies/grafana", "Grafana Labs", "US", "grafana.com")
        add(":companies/confluent", "Confluent", "US", "confluent.io")
        add(":companies/snowflake", "Snowflake", "US", "snowflake.com")
        add(":universities/mit", "MIT", "US", "mit.edu", "csail.mit.edu")
        add(":universities/uc_berkeley", "UC Berkeley", "US", "berkeley.edu")
        add(":foundations/apache", "Apache Software Foundation", nil, "apache.org")
        add(":foundations/linux_foundation", "Linux Foundation", "US", "linuxfoundation.org")
        add(":foundations/openatom", "OpenAtom Foundation", "CN", "openatom.org", "openatom.io")
        add(":foundations/eclipse", "Eclipse Foundation", nil, "eclipse.org", "eclipse-foundation.org")
        return m
    }()
}
