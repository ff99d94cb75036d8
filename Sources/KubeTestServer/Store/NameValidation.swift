/// kube-apiserver's object-name rules, with its messages.
public enum NameRule: Sendable, Hashable {
    /// RFC 1123 subdomain: most resources.
    case dns1123Subdomain
    /// RFC 1123 label: namespaces.
    case dns1123Label
    /// RFC 1035 label: services.
    case dns1035Label

    /// Why `name` breaks the rule, or nil when it is valid.
    func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        switch self {
        case .dns1123Subdomain:
            if bytes.count > 253 { return "must be no more than 253 characters" }
            let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            let valid = !bytes.isEmpty && labels.allSatisfy { label in
                guard let first = label.first, let last = label.last else { return false }
                return isAlphanumeric(first) && isAlphanumeric(last) && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
            return valid ? nil : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        case .dns1123Label, .dns1035Label:
            if bytes.count > 63 { return "must be no more than 63 characters" }
            let startsRight = bytes.first.map { self == .dns1035Label ? (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) : isAlphanumeric($0) } ?? false
            let valid = startsRight && bytes.last.map(isAlphanumeric) == true
                && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            if valid { return nil }
            return self == .dns1035Label
                ? "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        }
    }
}
