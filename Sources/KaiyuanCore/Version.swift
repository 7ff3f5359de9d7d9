/// kaiyuan's version: what `--version` prints and `/openapi.yaml` declares.
public enum KaiyuanVersion {
    public static let current = "0.3.0"
}
