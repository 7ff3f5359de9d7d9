import Foundation

/// Charts drawn by kaiyuan as inline SVG: no script, no CDN; they open from disk and print.
/// Every chart has axes with ticks, axis titles and a legend where there is more than one series.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    /// Colours that stay apart in print and for common colour-blindness.
    static let palette = ["#c0392b", "#2471a3", "#229954", "#b7950b", "#7d3c98", "#ca6f1e", "#17a589", "#5d6d7e"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    public static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return abs(v) >= 100 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// "Nice" tick step for a range: 1, 2 or 5 × 10^k.
    static func ticks(max: Double, count: Int = 4) -> [Double] {
        guard max > 0 else { return [0, 1] }
        let raw = max / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        return stride(from: 0.0, through: step * ceil(max / step) + step / 2, by: step).map { $0 }
    }

    /// A line chart over labelled x positions (months), with a legend.
    public static func lines(_ series: [Series], xLabels: [String], yTitle: String, title: String,
                             width: Double = 720, height: Double = 260, format: (Double) -> String = number) -> String {
        let left = 56.0, right = 16.0, top = 28.0, bottom = 44.0
        let plotW = width - left - right, plotH = height - top - bottom
        // NaN is a value missing: no point, and a gap in the line.
        let maxV = series.flatMap(\.values).filter { !$0.isNaN }.max() ?? 0
        let yTicks = ticks(max: maxV)
        let yMax = yTicks.last ?? 1
        let n = max(xLabels.count, 1)
        func x(_ i: Int) -> Double { left + (n == 1 ? plotW / 2 : plotW * Double(i) / Double(n - 1)) }
        func y(_ v: Double) -> Double { top + plotH - plotH * v / yMax }
        var svg = header(width, height, title)
        svg += "<text x=\"\(f(left))\" y=\"16\" class=\"title\">\(escape(title))</text>"
        for t in yTicks {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\" class=\"tick\">\(format(t))</text>"
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        let every = max(1, Int((Double(n) / 8).rounded(.up)))
        var shown = Array(stride(from: 0, to: n, by: every))
        // The last label too, when it does not crowd the one before it.
        if let last = shown.last, last != n - 1, n - 1 - last >= every { shown.append(n - 1) }
        for i in shown where i < xLabels.count {
            let label = xLabels[i]
            let anchor = n > 1 && i == n - 1 ? "end" : n > 1 && i == 0 ? "start" : "middle"
            svg += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"\(anchor)\" class=\"tick\">\(escape(label))</text>"
        }
        svg += "<text transform=\"translate(12 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" class=\"axis-title\">\(escape(yTitle))</text>"
        for (k, s) in series.enumerated() {
            let colour = palette[k % palette.count]
            // Runs of known values; a lone value is a dot.
            var runs: [[Int]] = [[]]
            for (i, v) in s.values.enumerated() {
                if v.isNaN { if !runs[runs.count - 1].isEmpty { runs.append([]) } } else { runs[runs.count - 1].append(i) }
            }
            for run in runs where !run.isEmpty {
                if run.count == 1 {
                    svg += "<circle cx=\"\(f(x(run[0])))\" cy=\"\(f(y(s.values[run[0]])))\" r=\"3\" fill=\"\(colour)\"><title>\(escape(s.name))</title></circle>"
                } else {
                    let points = run.map { "\(f(x($0))),\(f(y(s.values[$0])))" }.joined(separator: " ")
                    svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(escape(s.name))</title></polyline>"
                }
            }
        }
        if series.count > 1 {
            var lx = left
            for (k, s) in series.enumerated() {
                svg += "<rect x=\"\(f(lx))\" y=\"\(f(height - 14))\" width=\"10\" height=\"10\" fill=\"\(palette[k % palette.count])\"/>"
                svg += "<text x=\"\(f(lx + 14))\" y=\"\(f(height - 5))\" class=\"legend\">\(escape(s.name))</text>"
                lx += 24 + Double(s.name.count) * 7
            }
        }
        return svg + "</svg>"
    }

    /// Horizontal bars with their labels and values: shares, rankings.
    public static func bars(_ items: [(label: String, value: Double)], title: String, valueTitle: String,
                            width: Double = 720, format: (Double) -> String = number) -> String {
        let rowH = 22.0, left = 220.0, right = 70.0, top = 28.0
        let height = top + rowH * Double(max(items.count, 1)) + 24
        let maxV = max(items.map(\.value).max() ?? 0, 1e-12)
        var svg = header(width, height, title)
        svg += "<text x=\"0\" y=\"16\" class=\"title\">\(escape(title))</text>"
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * rowH
            let w = (width - left - right) * item.value / maxV
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"tick\">\(escape(String(item.label.prefix(34))))</text>"
            svg += "<rect x=\"\(f(left))\" y=\"\(f(y + 3))\" width=\"\(f(max(w, 1)))\" height=\"\(f(rowH - 6))\" fill=\"\(palette[0])\"><title>\(escape(item.label)): \(format(item.value))</title></rect>"
            svg += "<text x=\"\(f(left + max(w, 1) + 6))\" y=\"\(f(y + 15))\" class=\"tick\">\(format(item.value))</text>"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" class=\"axis-title\">\(escape(valueTitle))</text>"
        return svg + "</svg>"
    }

    /// A word-sized trend line for tables (no axes; the title gives first, last and peak).
    public static func sparkline(_ values: [Double], labels: [String] = [], width: Double = 120, height: Double = 24) -> String {
        let maxV = max(values.max() ?? 0, 1e-12)
        let n = max(values.count - 1, 1)
        let points = values.enumerated().map { i, v in "\(f(width * Double(i) / Double(n))),\(f(height - 2 - (height - 4) * v / maxV))" }.joined(separator: " ")
        let first = labels.first.map { "\($0): " } ?? "", last = labels.last.map { "\($0): " } ?? ""
        let caption = values.isEmpty ? "no data" : "\(first)\(number(values.first!)) … \(last)\(number(values.last!)), peak \(number(values.max()!))"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escape(caption))\"><title>\(escape(caption))</title>"
            + (values.count > 1 ? "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>" : "<circle cx=\"\(f(width / 2))\" cy=\"\(f(height / 2))\" r=\"2\" fill=\"#c0392b\"/>")
            + "</svg>"
    }

    static func header(_ width: Double, _ height: Double, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\">"
    }

    /// The CSS the charts use (inlined into every page).
    public static let css = """
        svg.chart{width:100%;max-width:760px;height:auto;font-family:inherit}
        svg .title{font-size:13px;font-weight:600}svg .tick{font-size:11px;fill:#333}
        svg .axis-title,svg .legend{font-size:11px;fill:#333}svg .grid{stroke:#e5e5e5}svg .axis{stroke:#555}
        svg.spark{vertical-align:middle}
        """
}
