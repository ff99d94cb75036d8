import KubeClient

extension ServedResource {
    /// The resources a CustomResourceDefinition serves: one a served version.
    public static func served(by crd: apiextensions.v1.CustomResourceDefinition) -> [ServedResource] {
        crd.spec.versions.filter(\.served).map { version in
            ServedResource(
                group: crd.spec.group, version: version.name, plural: crd.spec.names.plural, kind: crd.spec.names.kind,
                namespaced: crd.spec.scope == "Namespaced", singular: crd.spec.names.singular,
                shortNames: crd.spec.names.shortNames ?? [], categories: crd.spec.names.categories ?? [],
                hasStatusSubresource: version.subresources?["status"] != nil,
                printerColumns: version.additionalPrinterColumns ?? [],
                schema: version.schema?["openAPIV3Schema"].map(StructuralSchema.init)
            )
        }
    }
}
