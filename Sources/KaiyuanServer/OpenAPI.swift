import KaiyuanCore

/// The API's description, served at `/openapi.yaml`.
enum OpenAPIDocument {
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
                - {name: owner, in: path, required: true, schema: {type: string, pattern: '^[A-Za-z0-9._-]{1,100}$'}}
                - {name: repo, in: path, required: true, schema: {type: string, pattern: '^[A-Za-z0-9._-]{1,100}$'}}
                - {name: file, in: path, required: true, schema: {type: string, example: openrank.json}}
              responses:
                '200': {description: 'JSON object keyed by "YYYY", "YYYYQn", "YYYY-MM"', content: {application/json: {schema: {type: object}}}}
                '304': {description: Not modified (If-None-Match)}
                '400': {$ref: '#/components/responses/Invalid'}
                '404': {$ref: '#/components/responses/NotFound'}
          /{platform}/{owner}/{repo}/{file}:
            get:
              summary: Git metric files of a history on another forge (gitee, atomgit, gitlab, other).
              parameters:
                - {name: platform, in: path, required: true, schema: {type: string, enum: [gitee, atomgit, gitlab, other]}}
                - {name: owner, in: path, required: true, schema: {type: string}}
                - {name: repo, in: path, required: true, schema: {type: string}}
                - {name: file, in: path, required: true, schema: {type: string, example: commits.json}}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '404': {$ref: '#/components/responses/NotFound'}
          /github/{list}:
            get:
              summary: The repositories or developers that have files, as `export opendigger` lists them.
              parameters:
                - {name: list, in: path, required: true, schema: {type: string, enum: [repo_list.csv, user_list.csv]}}
              responses:
                '200': {description: 'CSV: id,repo_name or id,actor_login', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /github/{login}/{file}:
            get:
              summary: A developer's metric file (openrank, activity, open_issue, issue_comment, open_pull, merged_pull, review_comment).
              parameters:
                - {name: login, in: path, required: true, schema: {type: string}}
                - {name: file, in: path, required: true, schema: {type: string, example: activity.json}}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /huggingface/{org}/{model}/{file}:
            get:
              summary: "A Hugging Face model's file, as `export opendigger` writes it: downloads, downloads_all_time, likes, derivatives (keyed by snapshot month; a quarter or a year takes its last snapshot) and licence.json ({id, kind, osi, evidence})."
              parameters:
                - {name: org, in: path, required: true, schema: {type: string, example: deepseek-ai}}
                - {name: model, in: path, required: true, schema: {type: string, example: DeepSeek-V3}}
                - {name: file, in: path, required: true, schema: {type: string, example: downloads.json}}
              responses:
                '200': {description: JSON object keyed by period, or the licence, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /huggingface/model_list.csv:
            get:
              summary: The Hugging Face models that have files.
              responses:
                '200': {description: 'CSV: model_id', content: {text/csv: {schema: {type: string}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /labels/{path}/{file}:
            get:
              summary: A label's sums over the repositories it covers (`/labels/companies/alibaba/activity.json`).
              parameters:
                - {name: path, in: path, required: true, schema: {type: string, example: companies/alibaba}}
                - {name: file, in: path, required: true, schema: {type: string, example: openrank.json}}
              responses:
                '200': {description: JSON object keyed by period, content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /api/v1/mirrors:
            get:
              summary: "Repositories on two forges that are copies of one another: upstream, mirror, evidence, lag in days, shared and missing commits, each side's share of activity and people; and the burden (projects, mirrored, median lag, where the activity happens), for everything or one label."
              parameters:
                - {name: label, in: query, schema: {type: string, example: ':companies/alibaba'}}
              responses:
                '200': {description: '{"pairs": [...], "burden": {...}}', content: {application/json: {schema: {type: object}}}}
                '202': {$ref: '#/components/responses/Computing'}
                '404': {$ref: '#/components/responses/NotFound'}
          /api/v1/rank/repos:
            get:
              summary: "Repositories ranked by a metric in a period: OpenDigger's, git's, or the Hub's (hf_downloads, hf_downloads_all_time, hf_likes, hf_derivatives: Hugging Face models at the period's last snapshot, the newest month by default)."
              parameters:
                - {name: by, in: query, schema: {type: string, default: activity}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
          /api/v1/rank/devs:
            get:
              summary: Developers ranked by a metric in a period.
              parameters:
                - {name: by, in: query, schema: {type: string, default: openrank}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
          /api/v1/rank/labels:
            get:
              summary: "Labels of one type ranked by a metric summed over their repositories, or over their Hub organisations' models (hf_downloads, hf_models, hf_derivatives, hf_likes)."
              parameters:
                - {name: type, in: query, schema: {type: string, default: Company}}
                - {name: by, in: query, schema: {type: string, default: openrank}}
                - {$ref: '#/components/parameters/Period'}
                - {$ref: '#/components/parameters/Top'}
              responses:
                '200': {$ref: '#/components/responses/Ranked'}
                '202': {$ref: '#/components/responses/Computing'}
                '400': {$ref: '#/components/responses/Invalid'}
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
              responses:
                '200': {description: HTML page, content: {text/html: {schema: {type: string}}}}
                '202': {description: Being computed; the page refreshes itself}
          /projects/github/{owner}/{repo}:
            get:
              summary: A project's page (HTML).
              responses:
                '200': {description: HTML page, content: {text/html: {schema: {type: string}}}}
                '404': {$ref: '#/components/responses/NotFound'}
        components:
          parameters:
            Period: {name: period, in: query, schema: {type: string, example: '2025', pattern: '^[0-9]{4}(Q[1-4]|-[0-9]{2})?$'}}
            Top: {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 20}}
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
