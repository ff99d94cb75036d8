// Namespaces for Kubernetes models, one per API group and version (STYLE.md "Naming of Kubernetes models").
// A bare `Service` would clash with swift-service-lifecycle's `Service`, so every model is spelled
// with its group: `core.v1.Service`, `discovery.v1.EndpointSlice`.

/// Models of the `meta.k8s.io` group shared by every resource (ObjectMeta, Status, lists).
public enum meta {
    /// `meta.k8s.io/v1`.
    public enum v1 {}
}

/// Models of the core (legacy, empty-named) API group.
public enum core {
    /// Core `v1`.
    public enum v1 {}
}

/// Models of the `discovery.k8s.io` group.
public enum discovery {
    /// `discovery.k8s.io/v1`.
    public enum v1 {}
}

/// Models of the `coordination.k8s.io` group.
public enum coordination {
    /// `coordination.k8s.io/v1`.
    public enum v1 {}
}

/// Models of the `events.k8s.io` group.
public enum events {
    /// `events.k8s.io/v1`.
    public enum v1 {}
}

/// Models of the `apiextensions.k8s.io` group.
public enum apiextensions {
    /// `apiextensions.k8s.io/v1`.
    public enum v1 {}
}
