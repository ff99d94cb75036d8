import Foundation
import KubeClient

/// One column of a `meta.k8s.io/v1` Table: its definition and how a cell is read from an object.
struct TableColumn: Sendable {
    var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    var type: String
    var format: String = ""
    var description: String = ""
    /// 0 for the default columns, 1 for those `-o wide` adds.
    var priority: Int = 0
    var cell: @Sendable (JSONValue) -> JSONValue

    var definition: JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description),
         "priority": .int(Int64(priority))]
    }

    static let name = TableColumn(name: "Name", type: "string", format: "name",
                                  description: "Name must be unique within a namespace.") { .string($0.metadataString("name") ?? "") }

    static let age = TableColumn(name: "Age", type: "string", description: "CreationTimestamp is the time the object was created.") {
        .string(HumanDuration.since($0.metadataString("creationTimestamp")))
    }

    /// A column that shows a string field (`absent` when the field is).
    static func field(_ name: String, _ path: String, priority: Int = 0, absent: String = "") -> TableColumn {
        let query = JSONPathQuery(path)
        return TableColumn(name: name, type: "string", priority: priority) { object in
            let text = query.map { JSONPathQuery.text($0.values(in: object)) } ?? ""
            return .string(text.isEmpty ? absent : text)
        }
    }

    /// A CRD's `additionalPrinterColumns` entry, read with its JSONPath as kube-apiserver's CRD table convertor does:
    /// `date` cells become ages, a missing value an empty cell.
    init(_ printer: apiextensions.v1.PrinterColumn) {
        name = printer.name
        type = printer.type
        format = printer.format ?? ""
        description = printer.description ?? ""
        priority = Int(printer.priority ?? 0)
        let query = JSONPathQuery(printer.jsonPath)
        let type = printer.type
        cell = { object in
            let values = query?.values(in: object) ?? []
            guard let first = values.first else { return .null }
            if type == "date" { return .string(HumanDuration.since(first.stringValue)) }
            if values.count > 1 { return .string(JSONPathQuery.text(values)) }
            return first
        }
    }

    init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0,
         cell: @escaping @Sendable (JSONValue) -> JSONValue) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.cell = cell
    }
}

/// How kubectl and kube-apiserver print ages: `45s`, `3m12s`, `5h`, `2d3h`, `1y20d` (duration.HumanDuration).
enum HumanDuration {
    static func since(_ timestamp: String?, now: Date = Date()) -> String {
        guard let timestamp, let date = RFC3339.parse(timestamp) else { return "<unknown>" }
        return format(seconds: Int(now.timeIntervalSince(date)))
    }

    static func format(seconds: Int) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        let years = hours / 24 / 365, days = (hours / 24) % 365
        if hours < 24 * 365 * 8 { return days == 0 ? "\(years)y" : "\(years)y\(days)d" }
        return "\(years)y"
    }
}
