import KubeClient

/// Answers `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` as kube-apiserver does: column definitions and one
/// row a object, each row carrying the object's metadata (`includeObject=Metadata`, the default), the whole object
/// (`Object`) or nothing (`None`).
struct TableRenderer: Sendable {
    let columns: [TableColumn]
    let includeObject: String

    init(resource: ServedResource, includeObject: String?) {
        // A CRD without printer columns gets the built-ins' default (Name, Age): no CRD can use a built-in group.
        columns = resource.printerColumns.isEmpty ? BuiltInColumns.columns(for: resource)
            : [.name] + resource.printerColumns.map(TableColumn.init)
        self.includeObject = includeObject ?? "Metadata"
    }

    func table(_ objects: [JSONValue], metadata: JSONValue = [:]) -> JSONValue {
        ["apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": metadata,
         "columnDefinitions": .array(columns.map(\.definition)), "rows": .array(objects.map(row))]
    }

    private func row(_ object: JSONValue) -> JSONValue {
        var row: JSONValue = ["cells": .array(columns.map { $0.cell(object) })]
        switch includeObject {
        case "None": break
        case "Object": row["object"] = object
        default:
            row["object"] = ["apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata", "metadata": object["metadata"] ?? [:]]
        }
        return row
    }
}
