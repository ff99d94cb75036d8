extension meta.v1 {
    /// The body kube-apiserver returns with every failed request (and with some deletes).
    public struct Status: Codable, Sendable, Hashable {
        public var kind: String?
        public var apiVersion: String?
        /// `Success` or `Failure`.
        public var status: String?
        public var message: String?
        /// Machine-readable reason, e.g. `NotFound`, `Conflict`, `Expired`.
        public var reason: String?
        public var details: StatusDetails?
        public var code: Int?

        public init(
            status: String? = "Failure", message: String? = nil, reason: String? = nil,
            details: StatusDetails? = nil, code: Int? = nil
        ) {
            self.kind = "Status"
            self.apiVersion = "v1"
            self.status = status
            self.message = message
            self.reason = reason
            self.details = details
            self.code = code
        }
    }

    /// Extra detail on a `Status`: the object concerned, the field causes of an `Invalid`, retry hints.
    public struct StatusDetails: Codable, Sendable, Hashable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [StatusCause]?
        public var retryAfterSeconds: Int?

        public init(
            name: String? = nil, group: String? = nil, kind: String? = nil, causes: [StatusCause]? = nil,
            retryAfterSeconds: Int? = nil
        ) {
            self.name = name
            self.group = group
            self.kind = kind
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// One cause of a failure, typically a field error of an `Invalid` request.
    public struct StatusCause: Codable, Sendable, Hashable {
        /// e.g. `FieldValueRequired`, `FieldValueInvalid`.
        public var reason: String?
        public var message: String?
        /// The field path, e.g. `spec.datastoreType`.
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }
}
