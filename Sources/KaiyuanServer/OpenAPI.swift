import KaiyuanCore
import KaiyuanMetrics

/// The API's description, served at `/openapi.yaml`. Its patterns and enums are the server's
/// own checks (`Dashboard.validName`, `validFile`, the metric names), so a request the
/// description allows is never refused as invalid (schemathesis checks this in `.ci/run`).
enum OpenAPIDocument {
    /// OWNER, NAME and login segments.
    static let namePattern = "^[A-Za-z0-9._\\[\\]-]{1,100}$"
    /// `METRIC.json`.
    static let filePattern = "^[a-z0-9_]{1,59}[.]json$"
    /// `:companies/alibaba`, `companies/alibaba`.
    static let labelPattern = "^:?[A-Za-z0-9._-]{1,100}(/[A-Za-z0-9._-]{1,100}){0,5}$"
    static let labelPathPattern = "^[A-Za-z0-9._-]{1,100}(/[A-Za-z0-9._-]{1,100}){0,5}$"
    static let repoMetrics = AnyRepoMetric.allNames.filter { AnyRepoMetric(name: $0)?.notRankable == nil }.joined(separator: ", ")
    static let labelMetrics = AnyRepoMetric.allNames.filter { AnyRepoMetric(name: $0).map { $0.notRankable == nil || $0 == .hub(.models) } ?? false }.joined(separator: ", ")

    static let yaml = """
        openapi: 3.0.3
        info:
          title: kaiyuan
          version: \(KaiyuanVersion.current)
          description: |
            A local open source ecosystem observatory. The OpenDigger-compatible files mirror
            OpenDigger's static layout, so clients written for its data work unchanged. Ranks,
            label sums and developer files are computed in the background: until they are
            ready for the store's current data, the answer is 202 with Retry-After.
        paths:
          /github/{owner}/{repo}/{file}:
            get:
              summary: A repository's metric file, as `kaiyuan export opendigger` writes it (OpenDigger's metrics and git metrics).
              parameters:
                - {$ref: '#/components/parameters/Owner'}
                - {$ref: '#/components/parameters/Repo'}
                - {$ref: '#/components/parameters/File'}
              responses:
                '200': {description: 'JSON object keyed by "YYYY", "YYYYQn", "YYYY-MM"', content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '304': {description: Not modified (If-None-Match)}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /{platform}/{owner}/{repo}/{file}:
            get:
              summary: Git metric files of a history on another forge (gitee, atomgit, gitlab, other).
              parameters:
                - {name: platform, in: path, required: true, schema: {type: string, enum: [gitee, gitcode, atomgit, gitlab, other]}}
                - {$ref: '#/components/parameters/Owner'}
                - {$ref: '#/components/parameters/Repo'}
                - {$ref: '#/components/parameters/File'}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /github/{list}:
            get:
              summary: The repositories or developers that have files, as `export opendigger` lists them.
              parameters:
                - {name: list, in: path, required: true, schema: {type: string, enum: [repo_list.csv, user_list.csv]}}
              responses:
                '200': {description: 'CSV: id,repo_name or id,actor_login', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /github/{login}/{file}:
            get:
              summary: A developer's metric file (openrank, activity, open_issue, issue_comment, open_pull, merged_pull, review_comment).
              parameters:
                - {name: login, in: path, required: true, schema: {type: string, pattern: '\(namePattern)', example: octocat}}
                - {name: file, in: path, required: true, schema: {type: string, enum: [\(DeveloperMetric.allCases.map { $0.rawValue + ".json" }.joined(separator: ", ")), meta.json]}}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
          /huggingface/{org}/{model}/{file}:
            get:
              summary: "A Hugging Face model's file, as `export opendigger` writes it: downloads, downloads_all_time, likes, derivatives (keyed by snapshot month; a quarter or a year takes its last snapshot) and licence.json ({id, kind, osi, evidence})."
              parameters:
                - {name: org, in: path, required: true, schema: {type: string, pattern: '\(namePattern)', example: deepseek-ai}}
                - {name: model, in: path, required: true, schema: {type: string, pattern: '\(namePattern)', example: DeepSeek-V3}}
                - {name: file, in: path, required: true, schema: {type: string, enum: [downloads.json, downloads_all_time.json, likes.json, derivatives.json, licence.json]}}
              responses:
                '200': {description: JSON object keyed by period, or the licence, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /repo_list.csv:
            get:
              summary: "Every repository with an OpenRank value (`id,platform,repo_name`), by its latest monthly OpenRank, as `export opendigger` writes OUT/repo_list.csv."
              responses:
                '200': {description: 'CSV: id,platform,repo_name', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '503': {$ref: '#/components/responses/Busy'}
          /user_list.csv:
            get:
              summary: "Every developer with an OpenRank value (`id,platform,actor_login`), by latest monthly OpenRank."
              responses:
                '200': {description: 'CSV: id,platform,actor_login', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '503': {$ref: '#/components/responses/Busy'}
          /huggingface/model_list.csv:
            get:
              summary: The Hugging Face models that have files.
              responses:
                '200': {description: 'CSV: model_id', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /labels/{path}/{file}:
            get:
              summary: A label's sums over the repositories it covers (`/labels/companies/alibaba/activity.json`).
              parameters:
                - {name: path, in: path, required: true, schema: {type: string, pattern: '\(labelPathPattern)', example: companies/alibaba}}
                - {$ref: '#/components/parameters/File'}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /api/v1/mirrors:
            get:
              summary: "Repositories on two forges that are copies of one another: upstream, mirror, evidence, lag in days, shared and missing commits, each side's share of activity and people; and the burden (projects, mirrored, median lag, where the activity happens), for everything or one label."
              parameters:
                - {$ref: '#/components/parameters/Label'}
              responses:
                '200': {description: '{"pairs": [...], "burden": {...}}', content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /api/v1/rank/repos:
            get:
              summary: "Repositories ranked by a metric in a period: OpenDigger's, git's, or the Hub's (hf_downloads, hf_downloads_all_time, hf_likes, hf_derivatives: Hugging Face models at the period's last snapshot, the newest month by default)."
              parameters:
                - {name: by, in: query, schema: {type: string, default: activity, enum: [\(repoMetrics)]}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /api/v1/rank/devs:
            get:
              summary: Developers ranked by a metric in a period.
              parameters:
                - {name: by, in: query, schema: {type: string, default: openrank, enum: [\(DeveloperMetric.allCases.map(\.rawValue).joined(separator: ", "))]}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /api/v1/rank/labels:
            get:
              summary: "Labels of one type ranked by a metric summed over their repositories, or over their Hub organisations' models (hf_downloads, hf_models, hf_derivatives, hf_likes)."
              parameters:
                - {name: type, in: query, schema: {type: string, default: Company, minLength: 1, maxLength: 40}}
                - {name: by, in: query, schema: {type: string, default: openrank, enum: [\(labelMetrics)]}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /api/v1/search:
            get:
              summary: Repositories, developers, git histories and labels whose name starts with (or, for labels, contains) q.
              parameters:
                - {name: q, in: query, required: true, schema: {type: string, minLength: 1, maxLength: 100}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 20}}
              responses:
                '200': {description: Matches, content: {application/json: {schema: {type: object}}}}
                '400': {$ref: '#/components/responses/Invalid'}
          /api/v1/status:
            get:
              summary: The store's data stamp and what it holds (cheap counts).
              responses:
                '200': {description: Status, content: {application/json: {schema: {type: object}}}}
          /:
            get:
              summary: The overview page (HTML); query period and label as for `kaiyuan report`.
              parameters:
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Label'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {description: HTML page, content: {text/html: {schema: {type: string}}}}
                '202': {description: Being computed; the page refreshes itself}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
                '503': {$ref: '#/components/responses/Busy'}
          /projects/github/{owner}/{repo}:
            get:
              summary: A project's page (HTML).
              parameters:
                - {$ref: '#/components/parameters/Owner'}
                - {$ref: '#/components/parameters/Repo'}
                - {$ref: '#/components/parameters/Period'}
              responses:
                '200': {description: HTML page, content: {text/html: {schema: {type: string}}}}
                '202': {description: Being computed; the page refreshes itself}
                '304': {description: Not modified (If-None-Match)}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
        components:
          parameters:
            Period: {name: period, in: query, schema: {type: string, example: '2025', pattern: '^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$'}}
            Top: {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 20}}
            Owner: {name: owner, in: path, required: true, schema: {type: string, pattern: '\(namePattern)', example: alibaba}}
            Repo: {name: repo, in: path, required: true, schema: {type: string, pattern: '\(namePattern)', example: nacos}}
            File: {name: file, in: path, required: true, schema: {type: string, pattern: '\(filePattern)', example: openrank.json}}
            Label: {name: label, in: query, schema: {type: string, pattern: '\(labelPattern)', example: ':companies/alibaba'}}
          responses:
            Ranked:
              description: Ranked items
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      by: {type: string}
                      period: {type: string}
                      items: {type: array, items: {type: object, properties: {rank: {type: integer}, name: {type: string}, value: {type: number}}}}
            Busy:
              description: Too much whole-store work is waiting; ask again after Retry-After seconds.
              content: {application/json: {schema: {type: object, properties: {status: {type: string}, error: {type: string}}}}}
            Computing:
              description: Being computed in the background; ask again after Retry-After seconds.
              content: {application/json: {schema: {type: object, properties: {status: {type: string, enum: [computing]}}}}}
            Invalid:
              description: A parameter is not valid.
              content: {application/json: {schema: {type: object, properties: {error: {type: string}}}}}
            NotFound:
              description: No such entity or file.
              content: {application/json: {schema: {type: object, properties: {error: {type: string}}}}}
        """
}
